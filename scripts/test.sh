#!/usr/bin/env bash
# Install everything and run the whole test suite against a real Neo4j (started by the tests
# themselves in a temporary folder, unless NEO4J_URI names a server to use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
