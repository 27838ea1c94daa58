#!/usr/bin/env bash
# The house's checks (docs/architecture.md): lint, formatting, types and the import arrows.
# Run after scripts/setup.sh; scripts/test.sh runs it before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0
step() {
  echo "== $*"
  "$@" || failed=1
}
step .venv/bin/ruff check likeness tests bench scripts
step .venv/bin/ruff format --check likeness tests bench scripts
step .venv/bin/pyright --pythonpath .venv/bin/python
step .venv/bin/lint-imports
exit $failed
