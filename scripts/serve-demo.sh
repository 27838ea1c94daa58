#!/usr/bin/env bash
# Install everything, start the local Neo4j, load the demo world and serve the API with GraphiQL.
# The admin token is LIKENESS_ADMIN_TOKEN when set, else the one kept in data/admin-token (made on the
# first run, mode 0600), so a token saved in a browser stays valid across runs; `likeness serve` prints
# where it is kept (read it with `cat data/admin-token`), never the token itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# the demo signs with the C2PA test-only chain beside the clone (../shared/fixtures/c2pa), when it is there
# and no keys of the organisation's own are set (docs/credentials.md); without it, signing is off
chain="../shared/fixtures/c2pa"
if [[ -z "${LIKENESS_C2PA_SIGNER_CERT:-}" && -f "$chain/es256_certs.pem" && -f "$chain/es256_private.key" ]]; then
  export LIKENESS_C2PA_SIGNER_CERT="$chain/es256_certs.pem" LIKENESS_C2PA_SIGNER_KEY="$chain/es256_private.key"
  export LIKENESS_C2PA_TRUST_ANCHORS="${LIKENESS_C2PA_TRUST_ANCHORS:-$chain/es256_certs.pem}"
  echo "signing with the C2PA test-only chain in $chain (publishAsset(sign: true); trusted as an anchor here)"
else
  [[ -n "${LIKENESS_C2PA_SIGNER_CERT:-}" ]] || echo "signing is off: no $chain beside the clone and no LIKENESS_C2PA_SIGNER_CERT"
fi
.venv/bin/likeness neo4j start
.venv/bin/likeness demo
exec .venv/bin/likeness serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
