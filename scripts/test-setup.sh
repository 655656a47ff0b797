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
# PostgreSQL's programs live under /usr/lib/postgresql/<version>/bin: any installed version will do.
initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
debian_packages=(
  chromium=/usr/bin/chromium # the browser tests (playwright-core drives Debian's Chromium)
  redis-server=redis-server # the cluster tests: the bus between instances
  nginx-light=nginx # the cluster tests: the shipped reverse proxy in front of three instances
  "postgresql=${initdb:-/usr/lib/postgresql/initdb}" # the PostgreSQL store and the cluster tests
  libreoffice-writer-nogui=/usr/lib/libreoffice/program/libswlo.so # the export tests: DOCX → PDF, as Word-less users see it
  libreoffice-calc-nogui=/usr/lib/libreoffice/program/libsclo.so # the export tests: XLSX → PDF
  poppler-utils=pdftoppm # the export tests: PDF → PNG pictures and text (pdftotext)
  fonts-crosextra-carlito=/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf # Calibri's metrics, for those PDFs
)
bash scripts/ensure-debian.sh "${debian_packages[@]}"
