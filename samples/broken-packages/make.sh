#!/bin/sh
# Makes evidence/ with the real apt-get, dpkg and dpkg-deb (Debian 12) on a scratch root: nothing is installed on
# this machine. Needs root, apt-get, dpkg-deb, script(1). The story is in README.md: three packages left half-way,
# no unit masked (yet). The scratch prefix is cut out of the logs so paths read as on the machine. Times are the
# real clock (TZ=Europe/Berlin, like the evidence's etc/localtime).
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

build() { # package, version, maintainer script name, its body
  d=$W/pkg/$1-$2
  mkdir -p "$d/DEBIAN" "$d/lib/systemd/system"
  printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: maskwhy samples <samples@example.invalid>\nDescription: sample package left half-way\n' "$1" "$2" >"$d/DEBIAN/control"
  printf '[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' "$1" >"$d/lib/systemd/system/$1.service"
  if [ -n "$3" ]; then printf '#!/bin/sh\nset -e\n%s\n' "$4" >"$d/DEBIAN/$3" && chmod 755 "$d/DEBIAN/$3"; fi
  dpkg-deb --root-owner-group -b "$d" "$W/$1_$2_all.deb" >/dev/null
}
build ledgerd 3.1 postinst 'if [ "$1" = configure ]; then echo "ledgerd: schema migration 31 failed: relation \"journal\" is locked" >&2; exit 1; fi'
build metricsd 1.2 '' ''
build metricsd 1.3 preinst 'if [ -e "$DPKG_ROOT/hang" ]; then sleep 600; fi'
build reportgen 0.9 '' ''

cd "$W"
tree() { for c in $(ps -o pid= --ppid "$1"); do tree "$c"; done; echo "$1"; }
# 1. ledgerd's postinst fails: apt ends with an error, dpkg leaves it half-configured.
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./ledgerd_3.1_all.deb' /dev/null >>"$W/console.txt" 2>&1 || true
sleep 2
# 2. metricsd 1.2 installs; the upgrade to 1.3 loses power while its preinst runs.
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./metricsd_1.2_all.deb' /dev/null >>"$W/console.txt" 2>&1 || true
sleep 2
touch "$R/hang"
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./metricsd_1.3_all.deb' /dev/null >>"$W/console.txt" 2>&1 &
sleep 4
kill -STOP $(tree $!) 2>/dev/null || true
kill -KILL $(tree $!) 2>/dev/null || true
wait || true
rm -f "$R/hang"
sleep 2
# 3. someone unpacks reportgen by hand and never configures it.
dpkg --root="$R" --force-script-chrootless --force-depends --log="$R/var/log/dpkg.log" --unpack reportgen_0.9_all.deb >>"$W/console.txt" 2>&1
cat "$W/console.txt"
grep -A1 '^Package:' "$R/var/lib/dpkg/status"; grep '^Status:' "$R/var/lib/dpkg/status"

E=$HERE/evidence
rm -rf "$E"
mkdir -p "$E/var/log/apt" "$E/var/lib/dpkg/info" "$E/etc/systemd" "$E/lib/systemd"
for f in apt/history.log apt/term.log dpkg.log; do sed "s#$R##g" "$R/var/log/$f" >"$E/var/log/$f"; done
cp "$R/var/lib/dpkg/status" "$E/var/lib/dpkg/status"
for f in "$R"/var/lib/dpkg/info/*.list; do sed "s#$R##g" "$f" >"$E/var/lib/dpkg/info/${f##*/}"; done
cp -a "$R/etc/systemd/system" "$E/etc/systemd/"
cp -a "$R/lib/systemd/system" "$E/lib/systemd/"
cp -a "$R/etc/localtime" "$R/etc/timezone" "$E/etc/"
rm -rf "$W"
find "$E" -printf '%y %p %l\n' | sed "s#$HERE/##" | sort
