#!/bin/sh
# evidence/var/log/ is the output of real dnf 4.14.0 runs (see test/fixtures/dnf/make.sh, which makes it:
# rpmbuild-made packages installed with dnf --installroot from a local repo, one run kill -9'd).
set -eu
cd "$(dirname "$0")"
sh ../../test/fixtures/dnf/make.sh
cp ../../test/fixtures/dnf/real/dnf.log ../../test/fixtures/dnf/real/dnf.rpm.log \
  ../../test/fixtures/dnf/real/dnf.librepo.log ../../test/fixtures/dnf/real/hawkey.log evidence/var/log/
