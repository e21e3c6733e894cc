#!/bin/sh
# Regenerates evidence/ (the story is in README.md), on a scratch tree only:
#  - the unit files (modelled on Ubuntu 24.04's openssh-server 9.6, cups 2.4 and systemd 255), then
#    systemctl --root=evidence enable/mask as ivan did (real links, including ssh.socket's RequiredBy=ssh.service);
#  - cups.service was masked months before the story starts (its sudo record has rotated away);
#  - the journal: scenario.mjs → Journal Export Format → systemd-journal-remote → journalctl -o json.
set -eu
cd "$(dirname "$0")"
E=evidence
rm -rf "$E"
U=$E/usr/lib/systemd/system
mkdir -p "$U" "$E/etc/systemd/system" "$E/var/log"
cat >"$U/ssh.socket" <<'UNIT'
[Unit]
Description=OpenBSD Secure Shell server socket
Before=sockets.target ssh.service
ConditionPathExists=!/etc/ssh/sshd_not_to_be_run

[Socket]
ListenStream=22
Accept=no
FreeBind=yes

[Install]
WantedBy=sockets.target
RequiredBy=ssh.service
UNIT
cat >"$U/ssh.service" <<'UNIT'
[Unit]
Description=OpenBSD Secure Shell server
Documentation=man:sshd(8) man:sshd_config(5)
After=network.target nss-user-lookup.target auditd.service
ConditionPathExists=!/etc/ssh/sshd_not_to_be_run

[Service]
EnvironmentFile=-/etc/default/ssh
ExecStartPre=/usr/sbin/sshd -t
ExecStart=/usr/sbin/sshd -D $SSHD_OPTS
ExecReload=/usr/sbin/sshd -t
ExecReload=/bin/kill -HUP $MAINPID
KillMode=process
Restart=on-failure
RestartPreventExitStatus=255
Type=notify
RuntimeDirectory=sshd
RuntimeDirectoryMode=0755

[Install]
WantedBy=multi-user.target
Alias=sshd.service
UNIT
cat >"$U/cups.socket" <<'UNIT'
[Unit]
Description=CUPS Scheduler
PartOf=cups.service

[Socket]
ListenStream=/run/cups/cups.sock

[Install]
WantedBy=sockets.target
UNIT
cat >"$U/cups.path" <<'UNIT'
[Unit]
Description=CUPS Scheduler
PartOf=cups.service

[Path]
PathExists=/var/cache/cups/org.cups.cupsd

[Install]
WantedBy=multi-user.target
UNIT
cat >"$U/cups.service" <<'UNIT'
[Unit]
Description=CUPS Scheduler
Documentation=man:cupsd(8)
After=network.target nss-user-lookup.target nslcd.service
Requires=cups.socket

[Service]
ExecStart=/usr/sbin/cupsd -l
Type=notify
Restart=on-failure

[Install]
Also=cups.socket cups.path
WantedBy=printer.target multi-user.target
UNIT
cat >"$U/serial-getty@.service" <<'UNIT'
[Unit]
Description=Serial Getty on %I
Documentation=man:agetty(8) man:systemd-getty-generator(8)
BindsTo=dev-%i.device
After=dev-%i.device systemd-user-sessions.service plymouth-quit-wait.service getty-pre.target
Before=getty.target
IgnoreOnIsolate=yes
Conflicts=rescue.service
Before=rescue.service

[Service]
ExecStart=-/sbin/agetty -o '-p -- \\u' --keep-baud 115200,57600,38400,9600 - $TERM
Type=idle
Restart=always
UtmpIdentifier=%I
StandardInput=tty
StandardOutput=tty
TTYPath=/dev/%I
TTYReset=yes
TTYVHangup=yes
IgnoreSIGPIPE=no
SendSIGHUP=yes

[Install]
WantedBy=getty.target
UNIT
for t in sockets.target multi-user.target getty.target printer.target; do printf '[Unit]\nDescription=%s\n' "$t" >"$U/$t"; done
systemctl --root="$E" enable ssh.socket cups.service serial-getty@ttyS0.service
systemctl --root="$E" mask cups.service
systemctl --root="$E" mask serial-getty@.service
systemctl --root="$E" mask ssh.socket
# Ubuntu 24.04 is merged-/usr.
ln -s usr/lib "$E/lib"
ln -s /usr/share/zoneinfo/Etc/UTC "$E/etc/localtime"
node ../../scripts/journal-fixture.mjs scenario.mjs "$E/var/log" json
mv "$E/var/log/journal.json" "$E/var/log/journal-export.json"
find "$E" -printf '%y %p %l\n' | sort
