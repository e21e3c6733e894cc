#!/bin/sh
# Regenerates evidence/ (the story is in README.md) with the real tools, on scratch directories only:
#  - systemctl --root=evidence enable (the unit's links);
#  - GRUB's own grub-mkconfig (Debian 12 grub-common 2.06; apt-get install grub-common) writes boot/grub/grub.cfg
#    from evidence/etc/default/grub. It runs in a private mount namespace (unshare -m, needs root) where a scratch
#    /boot (two empty kernel images), a scratch /etc/default and a grub-probe stand-in (it answers for a VM's
#    /dev/vda1) are bind-mounted; nothing on this machine changes. The scratch prefix is cut from the paths.
#  - systemd 252's own systemd-debug-generator writes run/systemd/generator.early/ from proc/cmdline
#    (SYSTEMD_PROC_CMDLINE), as at every boot;
#  - the journal: scenario.mjs → Journal Export Format → systemd-journal-remote → journalctl -o json
#    (apt-get install systemd-journal-remote).
set -eu
cd "$(dirname "$0")"
command -v grub-mkconfig >/dev/null || { echo "needs grub-mkconfig (apt-get install grub-common)" >&2; exit 1; }
W=$(mktemp -d /tmp/maskwhy-sample.XXXXXX)
E=evidence
rm -rf "$E"
mkdir -p "$E/lib/systemd/system" "$E/etc/systemd/system" "$E/etc/default" "$E/boot/grub" "$E/proc" "$E/var/log"

# chrony's unit, modelled on Debian 12's (chrony 4.3), enabled as the package does.
cat >"$E/lib/systemd/system/chrony.service" <<'UNIT'
[Unit]
Description=chrony, an NTP client/server
Documentation=man:chronyd(8) man:chronyc(1) man:chrony.conf(5)
Conflicts=openntpd.service ntp.service ntpsec.service
Wants=time-sync.target
Before=time-sync.target
After=network.target

[Service]
Type=forking
PIDFile=/run/chrony/chronyd.pid
EnvironmentFile=-/etc/default/chrony
ExecStart=!/usr/sbin/chronyd $DAEMON_OPTS
ExecStartPost=-/usr/lib/chrony/chrony-helper update-daemon
ExecStopPost=-/usr/lib/chrony/chrony-helper remove-daemon-state
PrivateTmp=yes
ProtectHome=yes
ProtectSystem=full

[Install]
Alias=chronyd.service
WantedBy=multi-user.target
UNIT
systemctl --root="$E" enable chrony.service

# dave's edit of GRUB's defaults (Debian's shipped file, one word added).
sed 's/^GRUB_CMDLINE_LINUX_DEFAULT="quiet"$/GRUB_CMDLINE_LINUX_DEFAULT="quiet systemd.mask=chrony.service"/' \
  /usr/share/grub/default/grub >"$E/etc/default/grub"
grep -q 'systemd.mask=chrony.service' "$E/etc/default/grub"

# update-grub = grub-mkconfig -o /boot/grub/grub.cfg, in a private mount namespace.
mkdir -p "$W/boot/grub" "$W/etcdefault/grub.d"
for v in 6.1.0-23-amd64 6.1.0-25-amd64; do : >"$W/boot/vmlinuz-$v"; : >"$W/boot/initrd.img-$v"; done
cp "$E/etc/default/grub" "$W/etcdefault/grub"
cat >"$W/grub-probe" <<'PROBE'
#!/bin/sh
# grub-probe stand-in: one ext4 root filesystem on /dev/vda1 (no /dev/disk/by-uuid, so grub.cfg says root=/dev/vda1).
case "$*" in
  *--target=device*) echo /dev/vda1 ;;
  *--target=fs_uuid*) echo 5f1c3b2a-8d4e-4c61-9b7a-2e6f0d3c4a18 ;;
  *--target=partuuid*) echo 3a9e1f64-01 ;;
  *--target=fs*) echo ext2 ;;
  *--target=drive*) echo '(hostdisk//dev/vda,msdos1)' ;;
  *--target=partmap*) echo msdos ;;
  *--target=hints_string*) echo '--hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1' ;;
  *--target=compatibility_hint*) echo hd0,msdos1 ;;
  *--target=disk*) echo /dev/vda ;;
esac
PROBE
chmod 755 "$W/grub-probe"
unshare -m sh -c "mount --bind '$W/boot' /boot && mount --bind '$W/etcdefault' /etc/default && mount --bind '$W/grub-probe' /usr/sbin/grub-probe && grub-mkconfig -o '$W/grub.cfg'"
sed "s#$W##g" "$W/grub.cfg" >"$E/boot/grub/grub.cfg"

# The running boot (boot 3) when the evidence was copied, and what systemd-debug-generator made of it.
echo 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-25-amd64 root=/dev/vda1 ro quiet systemd.mask=chrony.service' >"$E/proc/cmdline"
mkdir -p "$W/gen/normal" "$E/run/systemd/generator.early" "$W/gen/late"
SYSTEMD_PROC_CMDLINE="$(cat "$E/proc/cmdline")" /lib/systemd/system-generators/systemd-debug-generator \
  "$W/gen/normal" "$E/run/systemd/generator.early" "$W/gen/late"
ls -l "$E/run/systemd/generator.early"

ln -s /usr/share/zoneinfo/Etc/UTC "$E/etc/localtime"
node ../../scripts/journal-fixture.mjs scenario.mjs "$E/var/log" json
mv "$E/var/log/journal.json" "$E/var/log/journal-export.json"
rm -rf "$W"
