#!/bin/sh
# Makes evidence/ with the real debhelper (dh, Debian 12: 13.11.4), apt-get, dpkg and deb-systemd-helper
# (init-system-helpers 1.65.2), on a scratch root: nothing is installed on this machine.
# Needs root, debhelper + dpkg-dev (apt-get install debhelper), apt-get, script(1). See README.md for the story.
# debhelper >= 13.10 no longer masks units on `remove`, so the package's debian/fleetagent.postrm carries the
# pre-13.10 postrm-systemd autoscript, copied by hand; everything else in the maintainer scripts is dh's.
# The scratch prefix is cut out of the logs so paths read as on the machine. Times are the real clock
# (TZ=Europe/Berlin, like the evidence's etc/localtime).
set -eu
command -v dh >/dev/null && command -v dpkg-buildpackage >/dev/null || { echo "needs debhelper (apt-get install debhelper)" >&2; exit 1; }
# dh's postinst/postrm run `systemctl daemon-reload` and `deb-systemd-invoke start` when /run/systemd/system
# exists, and maintainer scripts run chrootless here: on a systemd-booted host they would touch the host.
if [ -d /run/systemd/system ]; then echo "run this in a container without systemd as PID 1" >&2; exit 1; fi
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/maskwhy-sample.XXXXXX)
R=$W/root
L=$R/var/log/apt
hoststate() { find /etc/systemd /var/lib/systemd /lib/systemd/system 2>/dev/null | sort; }
hoststate >"$W/host-before.txt"

# --- the package, built by dh -------------------------------------------------------------------------------
S=$W/src/fleetagent-2.3.1
mkdir -p "$S/debian/source"
echo '3.0 (native)' >"$S/debian/source/format"
cat >"$S/debian/control" <<'CTL'
Source: fleetagent
Section: admin
Priority: optional
Maintainer: maskwhy samples <samples@example.invalid>
Build-Depends: debhelper-compat (= 13)
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: fleetagent
Architecture: all
Depends: ${misc:Depends}
Description: sample agent whose postrm masks its unit on remove
 Built with dh; the postrm carries debhelper's pre-13.10 mask-on-remove snippet.
CTL
printf 'fleetagent (2.3.1) bookworm; urgency=medium\n\n  * Sample package for maskwhy.\n\n -- maskwhy samples <samples@example.invalid>  Tue, 24 Nov 2026 20:00:00 +0000\n' >"$S/debian/changelog"
printf '#!/usr/bin/make -f\n%%:\n\tdh $@\n' >"$S/debian/rules"
chmod 755 "$S/debian/rules"
printf '[Unit]\nDescription=Fleet management agent\nAfter=network-online.target\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n' >"$S/debian/fleetagent.service"
printf '# fleetagent configuration\nserver=https://fleet.example.invalid/\n' >"$S/debian/fleetagent.default"
cat >"$S/debian/fleetagent.postrm" <<'POSTRM'
#!/bin/sh
set -e

#DEBHELPER#

# debhelper's postrm-systemd autoscript as emitted before 13.10 (Debian 11 and older; Debian #1021027),
# copied by hand because the dh of Debian 12 no longer masks on remove.
if [ "$1" = "remove" ]; then
	if [ -x "/usr/bin/deb-systemd-helper" ]; then
		deb-systemd-helper mask 'fleetagent.service' >/dev/null || true
	fi
fi

if [ "$1" = "purge" ]; then
	if [ -x "/usr/bin/deb-systemd-helper" ]; then
		deb-systemd-helper purge 'fleetagent.service' >/dev/null || true
		deb-systemd-helper unmask 'fleetagent.service' >/dev/null || true
	fi
fi
POSTRM
(cd "$S" && dpkg-buildpackage -b -us -uc >"$W/build.txt" 2>&1) || { cat "$W/build.txt"; exit 1; }
DEB=$W/src/fleetagent_2.3.1_all.deb
mkdir "$W/ctl" && dpkg-deb -e "$DEB" "$W/ctl"
grep -n 'deb-systemd-helper' "$W/ctl/postinst" "$W/ctl/postrm"

# --- the scratch root -----------------------------------------------------------------------------------
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/etc/systemd/system" "$R/var/cache/apt/archives/partial" \
  "$R/var/lib/apt/lists/partial" "$L"
touch "$R/var/lib/dpkg/status"
# As on a real Debian 12 machine, systemctl is there: deb-systemd-helper's first `enable` then runs
# `systemctl --root=$DPKG_ROOT preset`, which prints `Created symlink …` into term.log (not copied to evidence/).
mkdir -p "$R/usr/bin" && ln -s "$(command -v systemctl)" "$R/usr/bin/systemctl"
# …and so is systemd's multi-user.target (else preset warns "added as a dependency to a non-existent unit").
mkdir -p "$R/lib/systemd/system" && printf '[Unit]\nDescription=Multi-User System\n' >"$R/lib/systemd/system/multi-user.target"
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
# dpkg sets DPKG_ROOT=$R for the chrootless maintainer scripts; deb-systemd-helper then works below $R.
export APT_CONFIG="$W/apt.conf" TZ=Europe/Berlin

cp "$DEB" "$W/"
cd "$W"
# A pty, as on a terminal (without one apt logs empty term.log blocks); SUDO_UID gives Requested-By.
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y install ./fleetagent_2.3.1_all.deb' /dev/null >>"$W/console.txt" 2>&1
sleep 3
# Later the agent is retired: removed, not purged (its config and the postrm stay behind).
SUDO_UID=1000 SUDO_USER=ops script -qec 'apt-get -y remove fleetagent' /dev/null >>"$W/console.txt" 2>&1
cat "$W/console.txt"
systemctl --root="$R" list-unit-files 'fleetagent*' || true

hoststate >"$W/host-after.txt"
if ! cmp -s "$W/host-before.txt" "$W/host-after.txt"; then
  echo "HOST CHANGED:" >&2; diff "$W/host-before.txt" "$W/host-after.txt" >&2; exit 1
fi
echo "host /etc/systemd, /var/lib/systemd, /lib/systemd/system unchanged"

E=$HERE/evidence
rm -rf "$E"
mkdir -p "$E/var/log/apt" "$E/var/lib/dpkg/info" "$E/etc" "$E/var/lib/systemd"
for f in apt/history.log apt/term.log dpkg.log; do sed "s#$R##g" "$R/var/log/$f" >"$E/var/log/$f"; done
cp "$R/var/lib/dpkg/status" "$E/var/lib/dpkg/status"
for f in "$R"/var/lib/dpkg/info/fleetagent.*; do sed "s#$R##g" "$f" >"$E/var/lib/dpkg/info/${f##*/}"; done
chmod 755 "$E"/var/lib/dpkg/info/fleetagent.post* 2>/dev/null || true
cp -a "$R/etc/systemd" "$R/etc/default" "$R/etc/localtime" "$R/etc/timezone" "$E/etc/"
cp -a "$R"/var/lib/systemd/deb-systemd-helper-* "$E/var/lib/systemd/"
# lib/systemd/system is not copied: after the removal it holds only the stand-in multi-user.target.
rm -rf "$W"
find "$E" -printf '%y %p %l\n' | sed "s#$HERE/##" | sort
