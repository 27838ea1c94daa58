#!/usr/bin/env bash
# Re-fetch the browser files GraphiQL needs, at the pinned versions, into likeness/web/static/vendor/.
#
# The page at /graphql loads only these files (never a CDN), so GraphiQL works with no internet.
# Each package comes from the npm registry with `npm pack` (the published tarball, checked against
# the registry's integrity hash by npm); the built files are copied unchanged, with the LICENSE beside
# them. To move to another version, change a pin below, run this script, update the paths in
# likeness/web/graphiql.html and the table in likeness/web/static/vendor/README.md, and run
# `.venv/bin/python -m pytest tests/web tests/browser -q`.
#
# Needs: npm (Node.js), network access to the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

GRAPHIQL=3.8.3   # the last major with a UMD build (graphiql.min.js); GraphiQL 4 ships ES modules only
REACT=18.3.1     # GraphiQL 3 needs React 16.8–18; React 19 has no UMD build
REACT_DOM=18.3.1

VENDOR=likeness/web/static/vendor
command -v npm >/dev/null || { echo "vendor-web.sh needs npm (Node.js)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# unpack PACKAGE VERSION: npm pack the tarball into $work and extract it to $work/PACKAGE
unpack() {
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$1@$2" | tail -n 1)
  mkdir -p "$work/$1"
  tar -xzf "$work/$tarball" -C "$work/$1" --strip-components=1
}

# place PACKAGE VERSION FILE...: copy FILE... (paths inside the package) and LICENSE to $VENDOR/PACKAGE-VERSION
place() {
  local package=$1 version=$2 target="$VENDOR/$1-$2"
  shift 2
  rm -rf "$target"
  mkdir -p "$target"
  for file in "$@" LICENSE; do
    cp "$work/$package/$file" "$target/"
  done
}

unpack graphiql "$GRAPHIQL"
unpack react "$REACT"
unpack react-dom "$REACT_DOM"

# Drop the folders of other versions so only the pinned ones ship.
find "$VENDOR" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
place graphiql "$GRAPHIQL" graphiql.min.js graphiql.min.css
place react "$REACT" umd/react.production.min.js
place react-dom "$REACT_DOM" umd/react-dom.production.min.js

du -b "$VENDOR"/*/* | sort -k2
