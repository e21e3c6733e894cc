#!/bin/sh
# Regenerates evidence/ — an unpacked sosreport of web1 (Debian 12, systemd 252), as `sos report` 4.5 lays it
# out — with the real tools; nothing on this machine changes. Needs systemctl/journalctl 252 and
# systemd-journal-remote (apt-get install systemd-journal-remote).
#  1. the machine's journal: scenario.mjs → Journal Export Format → systemd-journal-remote (a binary journal);
#  2. the machine's unit tree on a scratch root, masked and enabled with the real `systemctl --root`;
#  3. what sos keeps (sos/report/plugins/{logs,systemd,date,host}.py): each command's output under
#     sos_commands/<plugin>/, named by _mangle_command() ("journalctl --no-pager  --boot -1" →
#     journalctl_--no-pager_--boot_-1), run in the machine's zone with LC_ALL=C.UTF-8; journalctl reads
#     the journal file here, where sos reads the live journal. No binary journal: sos copies var/log/journal
#     only with --all-logs. Copies keep symlinks, absolute targets made relative to the link
#     (Plugin._copy_symlink): etc/systemd/system/nginx.service -> ../../../dev/null.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf evidence
mkdir evidence

node ../../scripts/journal-fixture.mjs scenario.mjs "$work" export >/dev/null
/lib/systemd/systemd-journal-remote --output="$work/system.journal" "$work/journal.export" 2>/dev/null

root="$work/root"
mkdir -p "$root/lib/systemd/system" "$root/etc/systemd/system"
cat >"$root/lib/systemd/system/nginx.service" <<'UNIT'
[Unit]
Description=A high performance web server and a reverse proxy server
Documentation=man:nginx(8)
After=network.target nss-lookup.target

[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t -q -g 'daemon on; master_process on;'
ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'
ExecStop=-/sbin/start-stop-daemon --quiet --stop --retry QUIT/5 --pidfile /run/nginx.pid
TimeoutStopSec=5
KillMode=mixed

[Install]
WantedBy=multi-user.target
UNIT
cat >"$root/lib/systemd/system/ssh.service" <<'UNIT'
[Unit]
Description=OpenBSD Secure Shell server
Documentation=man:sshd(8) man:sshd_config(5)
After=network.target auditd.service

[Service]
ExecStartPre=/usr/sbin/sshd -t
ExecStart=/usr/sbin/sshd -D $SSHD_OPTS
Restart=on-failure

[Install]
WantedBy=multi-user.target
Alias=sshd.service
UNIT
cat >"$root/lib/systemd/system/deploy.service" <<'UNIT'
[Unit]
Description=Deploy web application

[Service]
Type=oneshot
ExecStart=/usr/local/bin/deploy.sh
UNIT
printf '[Unit]\nDescription=Multi-User System\n' >"$root/lib/systemd/system/multi-user.target"
SYSTEMD_LOG_LEVEL=err systemctl --root="$root" enable nginx.service ssh.service >/dev/null 2>&1
systemctl --root="$root" mask nginx.service >/dev/null 2>&1

export TZ=Europe/Berlin LC_ALL=C.UTF-8
cd evidence
mkdir -p sos_commands/logs sos_commands/systemd sos_commands/date sos_commands/host
j() { journalctl --file "$work/system.journal" "$@"; }
j --no-pager >sos_commands/logs/journalctl_--no-pager
j --no-pager --boot >sos_commands/logs/journalctl_--no-pager_--boot
j --no-pager --boot -1 >sos_commands/logs/journalctl_--no-pager_--boot_-1
j --disk-usage >sos_commands/logs/journalctl_--disk-usage
j --list-boots >sos_commands/systemd/journalctl_--list-boots
systemctl --root="$root" list-unit-files >sos_commands/systemd/systemctl_list-unit-files
collected=$(date -d 2024-03-04T08:00:01Z +%s)
date -d "@$collected" >sos_commands/date/date
date -u -d "@$collected" >sos_commands/date/date_--utc
echo web1 >sos_commands/host/hostname
ln -s sos_commands/date/date date
ln -s sos_commands/host/hostname hostname
printf 'sosreport: 4.5.6' >version.txt

# Copies of the machine's files, links kept, absolute targets made relative as sos does (os.path.relpath: lexical).
copy_tree() {
  (cd "$root" && find "$1" \( -type f -o -type l \) | sort) | while read -r rel; do
    mkdir -p "$(dirname "$rel")"
    if [ -L "$root/$rel" ]; then
      target=$(readlink "$root/$rel")
      case "$target" in /*) target=$(realpath -m -s --relative-to="/$(dirname "$rel")" "$target") ;; esac
      ln -s "$target" "$rel"
    else
      cp "$root/$rel" "$rel"
    fi
  done
}
copy_tree etc/systemd
copy_tree lib/systemd/system
echo web1 >etc/hostname
# date.py copies /etc/localtime: the link (made relative) and the file it points to
ln -s ../usr/share/zoneinfo/Europe/Berlin etc/localtime
mkdir -p usr/share/zoneinfo/Europe
cp /usr/share/zoneinfo/Europe/Berlin usr/share/zoneinfo/Europe/Berlin
find . | sort
