#!/usr/bin/env bash
# `npm test`'s set-up (its `pretest`): installs what the tests need when it is missing, and nothing when
# everything is there. On a fresh clone: the npm packages exactly as package-lock.json pins them (`npm ci`),
# then the Debian packages below (as root through apt-get; otherwise it says what to install).
set -euo pipefail
cd "$(dirname "$0")/.."

# node_modules holds exactly what the lockfile pins, and its native module loads on this Node (a checkout
# that changed the lockfile, or a switch of Node version, makes it stale): otherwise install it afresh.
if ! node scripts/check-install.mjs; then
  echo "Installing the npm packages package-lock.json pins (npm ci)" >&2
  npm ci --no-audit --no-fund
fi

# The Debian packages the tests drive, one a line: PACKAGE=PROGRAM (installed when PROGRAM is missing).
debian_packages=(
  chromium=/usr/bin/chromium # the browser tests (playwright-core drives Debian's Chromium)
)
bash scripts/ensure-debian.sh "${debian_packages[@]}"
