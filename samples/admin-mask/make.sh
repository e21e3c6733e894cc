#!/bin/sh
# Regenerates evidence/var/log/journal-export.json with real systemd tools (Debian: apt-get install systemd-journal-remote).
set -eu
cd "$(dirname "$0")"
node ../../scripts/journal-fixture.mjs scenario.mjs evidence/var/log json
mv evidence/var/log/journal.json evidence/var/log/journal-export.json
