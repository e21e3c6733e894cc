#!/bin/sh
# Regenerates evidence/ (see README.md for the story). Needs Debian 12's systemctl and systemd-journal-remote
# (apt-get install systemd-journal-remote); works on a scratch tree only, nothing on this machine changes.
set -eu
cd "$(dirname "$0")"
rm -rf evidence
mkdir -p evidence/lib/systemd/system evidence/etc/systemd/system evidence/var/log
cat >evidence/lib/systemd/system/nginx.service <<'UNIT'
[Unit]
Description=A high performance web server and a reverse proxy server
Documentation=man:nginx(8)
After=network-online.target remote-fs.target nss-lookup.target
Wants=network-online.target

[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t -q -g 'daemon on; master_process on;'
ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'
ExecReload=/usr/sbin/nginx -g 'daemon on; master_process on;' -s reload
TimeoutStopSec=5
KillMode=mixed

[Install]
WantedBy=multi-user.target
UNIT
systemctl --root=evidence enable nginx.service
# What alice and bob did to the disk, replayed with the real tool: the link is made and removed again.
systemctl --root=evidence mask nginx.service
systemctl --root=evidence unmask nginx.service
ln -s /usr/share/zoneinfo/America/New_York evidence/etc/localtime
echo America/New_York >evidence/etc/timezone
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
