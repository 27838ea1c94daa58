// Runs graphql-http's GraphQL-over-HTTP server audit against a running API and prints the results as JSON.
//
//   node graphql_http_audit.cjs <folder graphql-http is installed in> <GraphQL URL> <bearer token>
//
// Every audit request carries the token (the API answers 401 without one); tests/ops/test_graphql_over_http.py
// runs this and asserts that nothing fails.
"use strict";

const [installed, url, token] = process.argv.slice(2);
const { auditServer } = require(require.resolve("graphql-http", { paths: [installed] }));

function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

async function main() {
  const results = await auditServer({ url, fetchFn: fetchWithToken });
  const shown = [];
  for (const result of results) {
    const entry = { id: result.id, name: result.name, status: result.status };
    if (result.status !== "ok") {
      entry.reason = result.reason;
      entry.httpStatus = result.response.status;
      entry.body = await result.response.text().catch(() => "");
    }
    shown.push(entry);
  }
  process.stdout.write(JSON.stringify(shown));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(1);
});
