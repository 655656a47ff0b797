#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (Node 20.19+, npm), as pinned by package-lock.json.
# (`npm install`, not `npm ci`: npm 11 leaves other platforms' optional packages out of the lockfile, and `npm ci`
# then refuses it as out of sync.) Idempotent.
# better-sqlite3 is compiled from source when no prebuilt binary can be fetched (needs python3, make, g++).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
# A native module built for another Node version fails to load: rebuild it then.
if ! node -e "require('better-sqlite3')(':memory:').close()" 2>/dev/null; then
  npm rebuild better-sqlite3
fi
# Browser tests drive Debian's Chromium (no browser downloads are possible here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install the Debian package 'chromium' (browser tests need /usr/bin/chromium)" >&2
    exit 1
  fi
fi
