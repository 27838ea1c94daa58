#!/usr/bin/env bash
# Install everything the project needs: a virtualenv with the package, and Neo4j's jars from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Likeness needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
command -v java >/dev/null || { echo "Likeness needs a JDK 17 (java) for its local Neo4j" >&2; exit 1; }
command -v mvn >/dev/null || { echo "Likeness needs Maven (mvn) to fetch Neo4j from Maven Central" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# exactly the versions CI tested (requirements.lock, with hashes; scripts/lock.sh refreshes it), then the
# package itself on top of them
.venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps -e .
# Resolve Neo4j's classpath once (cached in ~/.m2) so the first start is not a surprise.
.venv/bin/python -c 'from likeness.local_neo4j import LocalNeo4j; from pathlib import Path; LocalNeo4j(Path("data")).classpath()'

# --- System packages: chromium (tests/browser) and Graphviz (case files) ----------------------------
# The browser tests drive Debian's chromium at /usr/bin/chromium through the `playwright` package (a test
# extra); Playwright's own browser download is not used. Case files lay out their provenance graph with
# Graphviz's `dot`. Both are installed here only when missing and we are root with apt-get; otherwise, or
# if apt-get fails, the browser tests skip (fail under CI=true, tests/needs.py) and `likeness case` says
# how to install Graphviz.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v dot >/dev/null || missing+=(graphviz)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} (apt-get install ${missing[*]})" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1; then
    echo "Could not install ${missing[*]}; as root: apt-get install ${missing[*]}" >&2
  fi
fi
