#!/bin/sh
# Regenerates evidence/ (the story is in README.md), on scratch directories only:
#  - the site's generator (etc/systemd/system-generators/standby-guard, written here) is run the way systemd runs
#    every generator, with the three output directories as arguments; it writes run/systemd/generator/;
#  - systemctl --root=evidence enable pgbouncer.service (its links);
#  - the journal: scenario.mjs → Journal Export Format → systemd-journal-remote → journalctl -o json
#    (apt-get install systemd-journal-remote).
set -eu
cd "$(dirname "$0")"
E=evidence
rm -rf "$E"
mkdir -p "$E/lib/systemd/system" "$E/etc/systemd/system" "$E/etc/systemd/system-generators" "$E/etc/ha" "$E/proc" "$E/var/log"

# pgbouncer's unit, modelled on Debian 12's (pgbouncer 1.18).
cat >"$E/lib/systemd/system/pgbouncer.service" <<'UNIT'
[Unit]
Description=connection pooler for PostgreSQL
Documentation=man:pgbouncer(1)
Documentation=https://www.pgbouncer.org/
After=network.target

[Service]
Type=notify
User=postgres
ExecStart=/usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini
ExecReload=/bin/kill -HUP $MAINPID
KillSignal=SIGINT

[Install]
WantedBy=multi-user.target
UNIT
systemctl --root="$E" enable pgbouncer.service

cat >"$E/etc/systemd/system-generators/standby-guard" <<'GEN'
#!/bin/sh
# standby-guard: on the standby node of the database pair, keep pgbouncer masked so that nothing (an admin,
# a deploy job) starts a second pool against the replica. Installed by the HA runbook.
# systemd runs it at every boot and daemon-reload as: standby-guard NORMAL_DIR EARLY_DIR LATE_DIR
role=$(cat "${HA_ROLE_FILE:-/etc/ha/role}" 2>/dev/null || echo unknown)
[ "$role" = standby ] || exit 0
ln -sf /dev/null "$1/pgbouncer.service"
GEN
chmod 755 "$E/etc/systemd/system-generators/standby-guard"
echo standby >"$E/etc/ha/role"

# The generator run that followed grace's daemon-reload (systemd runs generators with empty output directories).
W=$(mktemp -d /tmp/maskwhy-sample.XXXXXX)
mkdir -p "$E/run/systemd/generator" "$W/early" "$W/late"
HA_ROLE_FILE="$E/etc/ha/role" "$E/etc/systemd/system-generators/standby-guard" "$E/run/systemd/generator" "$W/early" "$W/late"
rm -rf "$W"
ls -l "$E/run/systemd/generator"

echo 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=0b6d2c1e-5a7f-4e3b-9c1d-8f2a4e6b0c37 ro quiet' >"$E/proc/cmdline"
ln -s /usr/share/zoneinfo/Etc/UTC "$E/etc/localtime"
node ../../scripts/journal-fixture.mjs scenario.mjs "$E/var/log" json
mv "$E/var/log/journal.json" "$E/var/log/journal-export.json"
