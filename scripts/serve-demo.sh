#!/usr/bin/env bash
# Install everything, start the local Neo4j, load the demo world and serve the API with GraphiQL.
# The admin token is LIKENESS_ADMIN_TOKEN when set, else the one kept in data/admin-token (made on the
# first run, mode 0600), so a token saved in a browser stays valid across runs; `likeness serve` prints
# where it is kept (read it with `cat data/admin-token`), never the token itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/likeness neo4j start
.venv/bin/likeness demo
exec .venv/bin/likeness serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
