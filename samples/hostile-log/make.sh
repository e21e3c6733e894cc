#!/bin/sh
# Regenerates evidence/ with real systemd tools (Debian 12: apt-get install systemd systemd-journal-remote).
# 1. the real `systemctl --root=evidence mask 'javascript:window.__pwned=3'` makes the mask on disk (systemctl
#    escapes the `=` it refuses in unit names) and prints what it did;
# 2. that output goes into the journal verbatim (scenario.mjs) → systemd-journal-remote → journalctl -o json;
# 3. one damaged line is appended to the export, so that the report's diagnostics quote hostile text too.
set -eu
cd "$(dirname "$0")"
HERE=$(pwd)
W=$(mktemp -d /tmp/maskwhy-hostile.XXXXXX)
trap 'rm -rf "$W"' EXIT
rm -rf evidence
mkdir -p evidence/etc/systemd/system evidence/var/log
systemctl --root="$HERE/evidence" mask 'javascript:window.__pwned=3' 2>"$W/systemctl.raw"
sed "s#$HERE/evidence##g" "$W/systemctl.raw" >"$W/systemctl.log"
cat "$W/systemctl.log"
SYSTEMCTL_LOG="$W/systemctl.log" node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
printf '%s\n' '{"MESSAGE": <script>window.__pwned=8</script>, "_HOSTNAME": "</svg><script>window.__pwned=4</script>"}' \
  >>evidence/var/log/journal-export.json
find evidence -printf '%y %p %l\n' | sort
