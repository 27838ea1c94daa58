#!/usr/bin/env bash
# Refresh requirements.lock (every dependency pinned, with hashes) from pyproject.toml's dependencies and
# its `test` and `check` extras, and tests/fuzz/requirements.lock from tests/fuzz/requirements.in. Run
# after changing a dependency; commit the result with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"${PYTHON:-python3}" -m venv "$tools"
"$tools/bin/pip" install --quiet pip-tools
"$tools/bin/pip-compile" --quiet --extra test --extra check --generate-hashes --strip-extras --allow-unsafe \
  --no-emit-find-links --output-file requirements.lock pyproject.toml
echo "wrote requirements.lock"
# the fuzzer's own environment (tests/fuzz): schemathesis pins a Starlette older than the app's
"$tools/bin/pip-compile" --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-find-links \
  --output-file tests/fuzz/requirements.lock tests/fuzz/requirements.in
echo "wrote tests/fuzz/requirements.lock"
