#!/usr/bin/env bash
# Install everything, start the local Neo4j, load the demo world and serve the API with GraphiQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LIKENESS_ADMIN_TOKEN=${LIKENESS_ADMIN_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')}
.venv/bin/likeness neo4j start
.venv/bin/likeness demo
echo
echo "GraphiQL:    http://${HOST:-127.0.0.1}:${PORT:-8000}/graphql"
echo "Admin token: $LIKENESS_ADMIN_TOKEN   (GraphiQL headers: {\"Authorization\": \"Bearer $LIKENESS_ADMIN_TOKEN\"})"
echo
exec .venv/bin/likeness serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
