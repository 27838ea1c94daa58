#!/usr/bin/env bash
# Re-fetch the browser files the pages need, at the pinned versions, into likeness/web/static/vendor/
# (GraphiQL at /graphql; Cytoscape.js with its dagre layout at /explore), and axe-core, the accessibility
# checker the browser tests run, into tests/browser/vendor/.
#
# The pages load only these files (never a CDN), so they work with no internet.
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
CYTOSCAPE=3.35.0        # the graph drawing of /explore (cytoscape.min.js: a UMD build, window.cytoscape)
CYTOSCAPE_DAGRE=4.0.1   # its layered layout; bundles @dagrejs/dagre 3 (so no separate dagre script)
DAGRE=3.1.3             # only its LICENSE: the dagre inside cytoscape-dagre.min.js is @dagrejs/dagre 3
AXE_CORE=4.14.1         # the browser tests' accessibility check (tests/browser), not served by the API

VENDOR=likeness/web/static/vendor
TEST_VENDOR=tests/browser/vendor
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
# (a scoped package @scope/name to $VENDOR/name-VERSION)
place() {
  local package=$1 version=$2 target="${TARGET:-$VENDOR}/${1##*/}-$2"
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
unpack cytoscape "$CYTOSCAPE"
unpack cytoscape-dagre "$CYTOSCAPE_DAGRE"
unpack @dagrejs/dagre "$DAGRE"
unpack axe-core "$AXE_CORE"

# Drop the folders of other versions so only the pinned ones ship.
find "$VENDOR" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
place graphiql "$GRAPHIQL" graphiql.min.js graphiql.min.css
place react "$REACT" umd/react.production.min.js
place react-dom "$REACT_DOM" umd/react-dom.production.min.js
place cytoscape "$CYTOSCAPE" dist/cytoscape.min.js
place cytoscape-dagre "$CYTOSCAPE_DAGRE" dist/cytoscape-dagre.min.js
# the dagre bundled into cytoscape-dagre.min.js carries its own licence
cp "$work/@dagrejs/dagre/LICENSE" "$VENDOR/cytoscape-dagre-$CYTOSCAPE_DAGRE/LICENSE.dagre"
rm -rf "$TEST_VENDOR"
TARGET=$TEST_VENDOR place axe-core "$AXE_CORE" axe.min.js

du -b "$VENDOR"/*/* "$TEST_VENDOR"/*/* | sort -k2
sha256sum "$VENDOR"/*/*.js "$VENDOR"/*/*.css "$TEST_VENDOR"/*/*.js
