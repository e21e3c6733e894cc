#!/bin/sh
# Regenerates evidence/ (see README.md for the story). Needs Debian 12's systemctl and systemd-journal-remote
# (apt-get install systemd-journal-remote); works on a scratch tree only, nothing on this machine changes.
set -eu
cd "$(dirname "$0")"
rm -rf evidence
mkdir -p evidence/lib/systemd/system evidence/etc/systemd/system evidence/var/log
cat >evidence/lib/systemd/system/cups.service <<'UNIT'
[Unit]
Description=CUPS Scheduler
Documentation=man:cupsd(8)
After=network.target nss-user-lookup.target

[Service]
ExecStart=/usr/sbin/cupsd -l
Type=notify
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
systemctl --root=evidence enable cups.service
# What `systemctl mask --runtime` makes: /run/systemd/system/cups.service -> /dev/null (the copy was taken before any reboot).
systemctl --root=evidence mask --runtime cups.service
ln -s /usr/share/zoneinfo/America/Chicago evidence/etc/localtime
echo America/Chicago >evidence/etc/timezone
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
