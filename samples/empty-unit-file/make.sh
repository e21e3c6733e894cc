#!/bin/sh
# Regenerates evidence/ (see README.md for the story). Needs Debian 12's systemctl and systemd-journal-remote
# (apt-get install systemd-journal-remote); works on a scratch tree only, nothing on this machine changes.
set -eu
cd "$(dirname "$0")"
rm -rf evidence
mkdir -p evidence/lib/systemd/system evidence/etc/systemd/system evidence/var/log
# The vendor units (shipped by the site's own backup package).
cat >evidence/lib/systemd/system/backup.service <<'UNIT'
[Unit]
Description=Nightly backup
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/backup-nightly
UNIT
cat >evidence/lib/systemd/system/backup.timer <<'UNIT'
[Unit]
Description=Nightly backup timer

[Timer]
OnCalendar=*-*-* 02:30:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
systemctl --root=evidence enable backup.timer
# The full copy `systemctl edit --full` left in /etc, found empty after the power loss.
truncate -s 0 evidence/etc/systemd/system/backup.service
ln -s /usr/share/zoneinfo/Europe/Amsterdam evidence/etc/localtime
echo Europe/Amsterdam >evidence/etc/timezone
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
