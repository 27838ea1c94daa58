#!/usr/bin/env bash
# The benchmark, one command: bash bench/run.sh [--assets N] [--reuse] … (see python -m bench run --help).
# Starts its own Neo4j under data/bench/ on free ports (or uses NEO4J_URI with --wipe), writes
# bench/results/latest.json and latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
exec .venv/bin/python -m bench run "$@"
