#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing, in one apt-get call; costs nothing
# when everything is there. Each argument is PACKAGE=PROGRAM: PACKAGE is installed when PROGRAM (a path,
# or a name looked up on PATH and in the usual sbin folders; a path may also be a data file such as a font)
# is not found.
#   scripts/ensure-debian.sh chromium=/usr/bin/chromium redis-server=redis-server
set -euo pipefail
missing=()
for pair in "$@"; do
  package=${pair%%=*}
  program=${pair#*=}
  if [[ $program == /* ]]; then
    [ -e "$program" ] && continue
  elif PATH="$PATH:/usr/sbin:/sbin" command -v "$program" >/dev/null 2>&1; then
    continue
  fi
  missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing Debian packages the tests need: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
