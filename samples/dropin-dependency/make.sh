#!/bin/sh
# Regenerates evidence/ (the story is in README.md), on a scratch tree only: the vendor unit files, the drop-in
# and the etc/ copy an admin wrote with an editor, then systemctl --root=evidence enable/mask (real links), and the
# journal: scenario.mjs → Journal Export Format → systemd-journal-remote → journalctl -o json.
set -eu
cd "$(dirname "$0")"
E=evidence
rm -rf "$E"
U=$E/lib/systemd/system
mkdir -p "$U" "$E/etc/systemd/system/app.service.d" "$E/var/log"
# redis-server's unit, modelled on Debian 12's (redis 7.0), shortened.
cat >"$U/redis-server.service" <<'UNIT'
[Unit]
Description=Advanced key-value store
After=network.target
Documentation=http://redis.io/documentation, man:redis-server(1)

[Service]
Type=notify
ExecStart=/usr/bin/redis-server /etc/redis/redis.conf --supervised systemd --daemonize no
PIDFile=/run/redis/redis-server.pid
TimeoutStopSec=0
Restart=always
User=redis
Group=redis
RuntimeDirectory=redis
RuntimeDirectoryMode=2755

[Install]
WantedBy=multi-user.target
Alias=redis.service
UNIT
# The application's packages: none of them needs redis to start.
cat >"$U/app.service" <<'UNIT'
[Unit]
Description=Order API
After=network-online.target
Wants=network-online.target

[Service]
User=app
ExecStart=/opt/app/bin/api --listen :8080
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
cat >"$U/worker.service" <<'UNIT'
[Unit]
Description=Order queue worker
Wants=redis-server.service
After=redis-server.service

[Service]
User=app
ExecStart=/opt/app/bin/worker
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
cat >"$U/reports.service" <<'UNIT'
[Unit]
Description=Nightly reports
Wants=redis-server.service
After=redis-server.service

[Service]
Type=oneshot
RemainAfterExit=yes
User=app
ExecStart=/opt/app/bin/reports --warm-cache

[Install]
WantedBy=multi-user.target
UNIT
cat >"$U/app-healthcheck.service" <<'UNIT'
[Unit]
Description=Restart the API when it is down

[Service]
Type=oneshot
ExecStart=/usr/bin/systemctl start app.service
UNIT
printf '[Unit]\nDescription=Multi-User System\n' >"$U/multi-user.target"
# What the admins added later: a drop-in (cache warm-up moved into the API) and a full etc/ copy of worker.
cat >"$E/etc/systemd/system/app.service.d/10-cache.conf" <<'UNIT'
[Unit]
# the API now keeps its sessions in redis
Requires=redis-server.service
After=redis-server.service
UNIT
sed 's/^Wants=redis-server.service$/BindsTo=redis-server.service/' "$U/worker.service" >"$E/etc/systemd/system/worker.service"
grep -q '^BindsTo=redis-server.service$' "$E/etc/systemd/system/worker.service"
systemctl --root="$E" enable redis-server.service app.service worker.service reports.service
systemctl --root="$E" mask redis-server.service
ln -s /usr/share/zoneinfo/Europe/Vienna "$E/etc/localtime"
node ../../scripts/journal-fixture.mjs scenario.mjs "$E/var/log" json
mv "$E/var/log/journal.json" "$E/var/log/journal-export.json"
find "$E" -printf '%y %p %l\n' | sort
