#!/bin/sh
# Makes evidence/ with the real apt-get, dpkg and systemctl (Debian 12), on a scratch root: nothing is
# installed on this machine. Needs root, dpkg-deb, apt-get, systemctl, script(1). See README.md for the story.
# The scratch prefix is cut out of the logs so paths read as on the machine. Times are the real clock
# (TZ=Europe/Berlin, like the evidence's etc/localtime): regenerate, then UPDATE_GOLDEN=1 npm test.
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

build() { # version, postinst body
  d=$W/pkg/webcache-$1
  mkdir -p "$d/DEBIAN" "$d/lib/systemd/system"
  printf 'Package: webcache\nVersion: %s\nArchitecture: all\nMaintainer: maskwhy samples <samples@example.invalid>\nDescription: sample package whose maintainer script masks units\n' "$1" >"$d/DEBIAN/control"
  for u in webcache webcache-legacy webcache-warmup; do
    printf '[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' "$u" >"$d/lib/systemd/system/$u.service"
  done
  printf '#!/bin/sh\nset -e\nS="systemctl --root=${DPKG_ROOT:-/}"\n%s\n' "$2" >"$d/DEBIAN/postinst"
  chmod 755 "$d/DEBIAN/postinst"
  dpkg-deb --root-owner-group -b "$d" "$W/webcache_$1_all.deb" >/dev/null
}
build 2.0 'if [ "$1" = configure ]; then $S enable webcache.service; $S mask webcache-legacy.service; fi'
build 2.1 'if [ "$1" = configure ]; then $S mask webcache-warmup.service; if [ -e "$DPKG_ROOT/hang" ]; then sleep 600; fi; fi'

cd "$W"
# A pty, as on a terminal (without one apt logs empty term.log blocks); SUDO_UID gives Requested-By.
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./webcache_2.0_all.deb' /dev/null >>"$W/console.txt" 2>&1 || true
sleep 2
touch "$R/hang"
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./webcache_2.1_all.deb' /dev/null >>"$W/console.txt" 2>&1 &
sleep 4
# The machine loses power while the 2.1 postinst runs: stop the whole tree at once.
tree() { for c in $(ps -o pid= --ppid "$1"); do tree "$c"; done; echo "$1"; }
kill -STOP $(tree $!) 2>/dev/null || true
kill -KILL $(tree $!) 2>/dev/null || true
wait || true
rm -f "$R/hang"

E=$HERE/evidence
rm -rf "$E"
mkdir -p "$E/var/log/apt" "$E/var/lib/dpkg/info" "$E/etc/systemd" "$E/lib/systemd"
for f in apt/history.log apt/term.log dpkg.log; do sed "s#$R##g" "$R/var/log/$f" >"$E/var/log/$f"; done
cp "$R/var/lib/dpkg/status" "$E/var/lib/dpkg/status"
sed "s#$R##g" "$R/var/lib/dpkg/info/webcache.list" >"$E/var/lib/dpkg/info/webcache.list"
cp -a "$R/etc/systemd/system" "$E/etc/systemd/"
cp -a "$R/lib/systemd/system" "$E/lib/systemd/"
cp -a "$R/etc/localtime" "$R/etc/timezone" "$E/etc/"
rm -rf "$W"
find "$E" -printf '%y %p %l\n' | sed "s#$HERE/##" | sort
