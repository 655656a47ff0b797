#!/usr/bin/env bash
# Runs the whole suite on another Node version: `npm ci && npm test` in a fresh copy of this work tree (its
# files as git sees them: tracked and new, not ignored) with its own node_modules, that Node first on PATH.
#   scripts/test-on-node.sh 24.22.3
# Node comes from the npm registry's node-linux-<arch> package (bin/node and include/node), kept in
# ~/.cache/werkbord/ so a rerun downloads nothing; npm_config_nodedir points node-gyp at its headers, so
# better-sqlite3 is compiled against them when no prebuilt binary can be fetched. The copy is removed
# afterwards, and kept (its path printed) when the suite fails.
set -euo pipefail
version=${1:?usage: scripts/test-on-node.sh VERSION (e.g. 24.22.3)}
cd "$(dirname "$0")/.."

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "No node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/werkbord
node_dir=$cache/node-linux-$arch-$version
if [ ! -x "$node_dir/bin/node" ] || [ ! -f "$node_dir/include/node/node.h" ]; then
  mkdir -p "$cache"
  download=$(mktemp -d "$cache/download.XXXXXX")
  echo "Fetching Node $version (npm package node-linux-$arch@$version)" >&2
  (cd "$download" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar -xzf ./*.tgz)
  rm -rf "$node_dir"
  mv "$download/package" "$node_dir"
  rm -rf "$download"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/werkbord-node-$version.XXXXXX")
copy=$work/werkbord
mkdir "$copy"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do if [ -e "$file" ]; then printf '%s\0' "$file"; fi; done |
  tar --null -T - -cf - | tar -xf - -C "$copy"
# Tests read the seed documents from ../shared beside the project, as CI lays it out.
if [ -d ../shared ]; then ln -s "$(cd ../shared && pwd)" "$work/shared"; fi

export PATH="$node_dir/bin:$PATH" npm_config_nodedir=$node_dir
echo "Node $(node --version) ($node_dir), npm $(npm --version), in $copy" >&2
if (cd "$copy" && npm ci --no-audit --no-fund && npm test); then
  rm -rf "$work"
else
  echo "The suite failed on Node $version; its copy (test-results/ included) stays in $copy" >&2
  exit 1
fi
