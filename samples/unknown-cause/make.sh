#!/bin/sh
# Regenerates evidence/ (see README.md for the story). Needs systemctl and systemd-journal-remote (Debian 12:
# apt-get install systemd-journal-remote); works on a scratch tree only, nothing on this machine changes.
# Modelled on the layout of a real RHEL 8.3 EC2 image (../shared/corpus/public/rhel8-ec2-rootfs); no file is copied from it.
set -eu
cd "$(dirname "$0")"
rm -rf evidence
mkdir -p evidence/usr/lib/systemd/system evidence/etc/systemd/system evidence/var/log
cat >evidence/usr/lib/systemd/system/systemd-timedated.service <<'UNIT'
[Unit]
Description=Time & Date Service
Documentation=man:systemd-timedated.service(8) man:localtime(5)
Documentation=https://www.freedesktop.org/wiki/Software/systemd/timedated

[Service]
ExecStart=/usr/lib/systemd/systemd-timedated
BusName=org.freedesktop.timedate1
WatchdogSec=3min
UNIT
# The mask as the image has it, made with the real tool.
systemctl --root=evidence mask systemd-timedated.service
# RHEL 8 is merged-/usr (/lib -> usr/lib); its etc/localtime is a relative link.
ln -s usr/lib evidence/lib
ln -s ../usr/share/zoneinfo/UTC evidence/etc/localtime
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
