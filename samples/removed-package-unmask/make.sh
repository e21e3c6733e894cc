#!/bin/sh
# Makes evidence/ with the real dpkg-deb, apt-get, dpkg and systemctl on a scratch root: nothing is installed on
# this machine. Needs root, apt-get, script(1), systemd-journal-remote. The story is in README.md.
# The scratch prefix is cut out of the logs so paths read as on the machine. Times are the real clock
# (TZ=Europe/Berlin, like the evidence's etc/localtime); the journal's mask record is dated between the two apt runs.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/maskwhy-sample.XXXXXX)
R=$W/root
L=$R/var/log/apt

# --- the package: a unit file and a conffile, no maintainer scripts ------------------------------------------
P=$W/pkg
mkdir -p "$P/DEBIAN" "$P/lib/systemd/system" "$P/etc/telemetryd" "$P/usr/bin"
cat >"$P/DEBIAN/control" <<'CTL'
Package: telemetryd
Version: 1.4.2-1
Architecture: all
Maintainer: maskwhy samples <samples@example.invalid>
Section: admin
Priority: optional
Description: sample agent that reports build metrics to a vendor
 Ships its unit in /lib/systemd/system and a conffile.
CTL
echo /etc/telemetryd/telemetryd.conf >"$P/DEBIAN/conffiles"
printf 'endpoint=https://telemetry.example.invalid/v1\n' >"$P/etc/telemetryd/telemetryd.conf"
printf '#!/bin/sh\nexec sleep infinity\n' >"$P/usr/bin/telemetryd" && chmod 755 "$P/usr/bin/telemetryd"
printf '[Unit]\nDescription=Build telemetry agent\nAfter=network-online.target\n\n[Service]\nExecStart=/usr/bin/telemetryd\n\n[Install]\nWantedBy=multi-user.target\n' \
  >"$P/lib/systemd/system/telemetryd.service"
dpkg-deb --root-owner-group -b "$P" "$W/telemetryd_1.4.2-1_all.deb" >/dev/null

# --- the scratch root (as in samples/package-removal/make.sh) -----------------------------------------------
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/etc/systemd/system" "$R/var/cache/apt/archives/partial" \
  "$R/var/lib/apt/lists/partial" "$L" "$R/lib/systemd/system"
touch "$R/var/lib/dpkg/status"
# systemd's own multi-user.target stands for the rest of the vendor directory.
printf '[Unit]\nDescription=Multi-User System\n' >"$R/lib/systemd/system/multi-user.target"
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
cd "$W"
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./telemetryd_1.4.2-1_all.deb' /dev/null >>"$W/console.txt" 2>&1
systemctl --root="$R" enable telemetryd.service
sleep 2
# lena masks it (the journal records her sudo; systemctl --root makes the same link).
MASK_AT=$(date -u +%Y-%m-%dT%H:%M:%S.118204Z)
systemctl --root="$R" mask telemetryd.service
sleep 3
# Weeks later, in the story: removed, not purged. Its conffile stays, its unit file goes; the mask stays.
SUDO_UID=1001 SUDO_USER=mo script -qec 'apt-get -y remove telemetryd' /dev/null >>"$W/console.txt" 2>&1
cat "$W/console.txt"
systemctl --root="$R" list-unit-files 'telemetryd*' || true

E=$HERE/evidence
rm -rf "$E"
mkdir -p "$E/var/log/apt" "$E/var/lib/dpkg/info" "$E/etc"
for f in apt/history.log apt/term.log dpkg.log; do sed "s#$R##g" "$R/var/log/$f" >"$E/var/log/$f"; done
cp "$R/var/lib/dpkg/status" "$E/var/lib/dpkg/status"
for f in "$R"/var/lib/dpkg/info/telemetryd.*; do sed "s#$R##g" "$f" >"$E/var/lib/dpkg/info/${f##*/}"; done
cp -a "$R/etc/systemd" "$R/etc/telemetryd" "$R/etc/localtime" "$R/etc/timezone" "$E/etc/"
# The vendor unit directory as it is after the removal: telemetryd.service went with the package.
mkdir -p "$E/lib/systemd" && cp -a "$R/lib/systemd/system" "$E/lib/systemd/"
cd "$HERE"
MASK_AT=$MASK_AT node ../../scripts/journal-fixture.mjs scenario.mjs "$E/var/log" json
mv "$E/var/log/journal.json" "$E/var/log/journal-export.json"
rm -rf "$W"
find "$E" -printf '%y %p %l\n' | sed "s#$HERE/##" | sort
