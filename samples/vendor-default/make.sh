#!/bin/sh
# Makes evidence/ with the real dpkg-deb and apt-get (Debian 12), on a scratch root: nothing is installed on
# this machine. Needs root, dpkg-deb, apt-get, script(1). See README.md for the story.
# The package `clockcompat` ships, like Debian 12's x11-common, hwclock.service or rc.service, a unit that
# is a symlink to /dev/null in the vendor directory /lib/systemd/system: a mask by design, made by dpkg
# unpacking the archive — no maintainer script, no systemctl. The scratch prefix is cut out of the logs so
# paths read as on the machine. Times are the real clock (TZ=Europe/Berlin, like the evidence's etc/localtime).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/maskwhy-sample.XXXXXX)
R=$W/root
L=$R/var/log/apt
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/etc/systemd/system" "$R/var/cache/apt/archives/partial" \
  "$R/var/lib/apt/lists/partial" "$L"
touch "$R/var/lib/dpkg/status"
ln -s /usr/share/zoneinfo/Europe/Berlin "$R/etc/localtime"
echo Europe/Berlin >"$R/etc/timezone"
cat >"$W/apt.conf" <<CONF
Dir::State::status "$R/var/lib/dpkg/status";
Dir::State "$R/var/lib/apt";
Dir::Cache "$R/var/cache/apt";
Dir::Log "$L";
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "/nonexistent";
DPkg::Options { "--root=$R"; "--force-script-chrootless"; "--log=$R/var/log/dpkg.log"; };
Debug::NoLocking "1";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$W/apt.conf" TZ=Europe/Berlin

# The package: an old-style init script (a conffile), the vendor mask that keeps systemd-sysv-generator from
# turning that script into clockcompat.service, and the native unit that replaces it.
d=$W/pkg/clockcompat
mkdir -p "$d/DEBIAN" "$d/lib/systemd/system" "$d/etc/init.d"
printf 'Package: clockcompat\nVersion: 1.4-2\nArchitecture: all\nMaintainer: maskwhy samples <samples@example.invalid>\nDescription: sample package that ships a unit masked by its vendor\n' >"$d/DEBIAN/control"
printf '/etc/init.d/clockcompat\n' >"$d/DEBIAN/conffiles"
printf '#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          clockcompat\n# Required-Start:    $local_fs\n# Required-Stop:\n# Default-Start:     S\n# Default-Stop:\n# Short-Description: sync the clock (sysvinit only; systemd uses clockcompat-sync.service)\n### END INIT INFO\nexit 0\n' >"$d/etc/init.d/clockcompat"
chmod 755 "$d/etc/init.d/clockcompat"
ln -s /dev/null "$d/lib/systemd/system/clockcompat.service"
printf '[Unit]\nDescription=Sync the clock (replaces /etc/init.d/clockcompat)\n[Service]\nType=oneshot\nExecStart=/bin/true\n[Install]\nWantedBy=sysinit.target\n' >"$d/lib/systemd/system/clockcompat-sync.service"
dpkg-deb --root-owner-group -b "$d" "$W/clockcompat_1.4-2_all.deb" >/dev/null

cd "$W"
# A pty, as on a terminal (without one apt logs empty term.log blocks); SUDO_UID gives Requested-By.
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./clockcompat_1.4-2_all.deb' /dev/null >>"$W/console.txt" 2>&1
cat "$W/console.txt"
# What systemctl makes of it on the scratch root (shown, not kept):
systemctl --root="$R" list-unit-files 'clockcompat*' || true

E=$HERE/evidence
rm -rf "$E"
mkdir -p "$E/var/log/apt" "$E/var/lib/dpkg/info" "$E/etc" "$E/lib/systemd"
for f in apt/history.log apt/term.log dpkg.log; do sed "s#$R##g" "$R/var/log/$f" >"$E/var/log/$f"; done
cp "$R/var/lib/dpkg/status" "$E/var/lib/dpkg/status"
for f in list conffiles md5sums; do
  [ -e "$R/var/lib/dpkg/info/clockcompat.$f" ] && sed "s#$R##g" "$R/var/lib/dpkg/info/clockcompat.$f" >"$E/var/lib/dpkg/info/clockcompat.$f"
done
# etc/systemd/system stays empty (no admin override, no mask there): git keeps no empty directory, so it is left out.
cp -a "$R/etc/init.d" "$E/etc/"
cp -a "$R/lib/systemd/system" "$E/lib/systemd/"
cp -a "$R/etc/localtime" "$R/etc/timezone" "$E/etc/"
rm -rf "$W"
find "$E" -printf '%y %p %l\n' | sed "s#$HERE/##" | sort
