#!/usr/bin/env bash
# Install everything, run the house's checks, then the whole test suite against a real Neo4j (started by
# the tests themselves in a temporary folder, unless NEO4J_URI names a server to use). With arguments,
# they go to pytest; without, the API tests run a second time with the fast execution path off.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check.sh
.venv/bin/python -m pytest "$@"
if [ $# -eq 0 ]; then
  echo "== the API tests again with graphql-core's own execution (LIKENESS_FASTEXEC=0)"
  LIKENESS_FASTEXEC=0 .venv/bin/python -m pytest -q tests/api tests/access tests/web
fi
