#!/bin/sh
# Regenerates evidence/ (see README.md for the story). Needs systemctl and systemd-journal-remote (Debian 12:
# apt-get install systemd-journal-remote); works on a scratch tree only, nothing on this machine changes.
set -eu
cd "$(dirname "$0")"
rm -rf evidence
mkdir -p evidence/usr/lib/systemd/system evidence/etc/systemd/system evidence/var/log
U=evidence/usr/lib/systemd/system
# postgresql-common's umbrella unit (the clusters are postgresql@VERSION-NAME.service).
cat >$U/postgresql.service <<'UNIT'
[Unit]
Description=PostgreSQL RDBMS

[Service]
Type=oneshot
ExecStart=/bin/true
ExecReload=/bin/true
RemainAfterExit=on

[Install]
WantedBy=multi-user.target
UNIT
cat >$U/app.service <<'UNIT'
[Unit]
Description=App
Requires=postgresql.service
After=postgresql.service

[Service]
User=app
ExecStart=/opt/app/bin/app-server
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
cat >$U/app-watchdog.service <<'UNIT'
[Unit]
Description=Start the app if it is down

[Service]
Type=oneshot
ExecStart=/usr/bin/systemctl start app.service
UNIT
cat >$U/app-watchdog.timer <<'UNIT'
[Unit]
Description=Start the app if it is down, every 5 minutes

[Timer]
OnBootSec=5min
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
UNIT
systemctl --root=evidence enable postgresql.service app.service app-watchdog.timer
systemctl --root=evidence mask postgresql.service
# Ubuntu 24.04 is merged-/usr: /lib -> usr/lib (made after systemctl, so that its links name /usr/lib/... as 24.04's do).
ln -s usr/lib evidence/lib
ln -s /usr/share/zoneinfo/Europe/London evidence/etc/localtime
echo Europe/London >evidence/etc/timezone
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
