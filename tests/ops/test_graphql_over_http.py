"""GraphQL over HTTP: graphql-http's server audit finds no error and no warning, and the statuses it
recommends hold: a request that fails before execution answers 4xx without `data` to a client accepting
application/graphql-response+json, 200 without `data` to one accepting application/json.

The audit is the npm package graphql-http, run by node (tests/ops/graphql_http_audit.cjs) against the
real app served by uvicorn; the package is installed once into data/npm/ (without node or npm the test
skips, or fails under CI: tests/needs.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from likeness.app import create_app
from likeness.config import PROJECT_ROOT, Settings
from tests import needs
from tests.conftest import ADMIN_TOKEN, Api
from tests.ops.conftest import served

GRAPHQL_HTTP = "1.23.1"
# graphql-http's peer dependency, pinned too so that the audit is the same on every machine
GRAPHQL_JS = "16.11.0"
AUDIT_SCRIPT = Path(__file__).with_name("graphql_http_audit.cjs")
RESPONSE_JSON = "application/graphql-response+json"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _graphql_http() -> Path:
    """The folder graphql-http is installed in (installed on first use)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        needs.missing("node and npm, to run graphql-http's audit: apt-get install nodejs npm")
    folder = PROJECT_ROOT / "data" / "npm" / f"graphql-http-{GRAPHQL_HTTP}"
    manifest = folder / "node_modules" / "graphql-http" / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != GRAPHQL_HTTP:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                f"graphql-http@{GRAPHQL_HTTP}",
                f"graphql@{GRAPHQL_JS}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return folder


def test_graphql_http_audit_finds_no_error_and_no_warning(settings: Settings) -> None:
    installed = _graphql_http()
    with served(create_app(settings)) as base:
        run = subprocess.run(
            ["node", str(AUDIT_SCRIPT), str(installed), f"{base}/graphql", ADMIN_TOKEN],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stderr
    results: list[dict[str, Any]] = json.loads(run.stdout)
    by_status: dict[str, list[str]] = {}
    for result in results:
        by_status.setdefault(result["status"], []).append(result["id"])
    print("graphql-http", GRAPHQL_HTTP, "audit:", {status: len(ids) for status, ids in by_status.items()})
    assert len(results) >= 40  # the whole audit ran
    failed = [result for result in results if result["status"] != "ok"]
    # errors (MUSTs) and warnings (SHOULDs), and the optional MAYs (notices) too
    assert failed == []


async def _post(api: Api, body: dict[str, Any], accept: str) -> Any:
    return await api.client.post("/graphql", json=body, headers={**AUTH, "Accept": accept})


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
        (
            {"query": "query Q($id: ID!) { organization(id: $id) { id } }", "variables": {"id": None}},
            "BAD_INPUT",
        ),
        (
            {"query": "query Q($n: Int!) { audit(first: $n) { totalCount } }", "variables": {"n": "7"}},
            "BAD_INPUT",
        ),
        (
            {
                "query": "query Q($at: DateTime) { audit(asOf: $at) { totalCount } }",
                "variables": {"at": "soon"},
            },
            "BAD_INPUT",
        ),
    ],
    ids=["parse", "validation", "variable null", "variable type", "scalar refuses"],
)
async def test_a_request_that_fails_before_execution_has_no_data_and_a_status_by_media_type(
    api: Api, body: dict[str, Any], code: str
) -> None:
    strict = await _post(api, body, RESPONSE_JSON)
    assert strict.status_code == 400
    assert strict.headers["content-type"] == RESPONSE_JSON
    assert "data" not in strict.json()
    assert [error["extensions"]["code"] for error in strict.json()["errors"]] == [code]
    legacy = await _post(api, body, "application/json")
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"
    assert legacy.json() == strict.json()


async def test_a_request_that_executed_answers_200_with_its_data_and_errors(api: Api) -> None:
    response = await _post(api, {"query": "{ __typename audit(first: 0) { totalCount } }"}, RESPONSE_JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None  # audit is non-null: its error nulls the whole answer, which still ran
    assert body["errors"][0]["extensions"] == {"code": "BAD_INPUT", "field": "first"}


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (RESPONSE_JSON, RESPONSE_JSON),
        (f"{RESPONSE_JSON}, application/json;q=0.9", RESPONSE_JSON),
        (f"application/json, {RESPONSE_JSON};q=0.5", "application/json"),
    ],
)
async def test_the_answer_has_the_media_type_the_client_prefers(api: Api, accept: str, chosen: str) -> None:
    response = await _post(api, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == chosen
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_queries_over_get_are_answered_and_mutations_refused_with_405(api: Api) -> None:
    query = await api.client.get("/graphql", params={"query": "{ __typename }"}, headers=AUTH)
    assert (query.status_code, query.json()) == (200, {"data": {"__typename": "Query"}})
    mutation = 'mutation { registerOrganization(input: {id: "o", name: "O", kind: BRAND}) { id } }'
    refused = await api.client.get(
        "/graphql", params={"query": mutation}, headers={**AUTH, "Accept": RESPONSE_JSON}
    )
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"
    assert refused.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert await api('{ organization(id: "o") { id } }') == {"organization": None}


async def test_a_post_that_is_not_json_is_refused_with_415(api: Api) -> None:
    response = await api.client.post("/graphql", content='{"query": "{ __typename }"}', headers=AUTH)
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("operation_name", [{"obj": "ect"}, 0, False, ["array"]])
async def test_an_operation_name_that_is_not_a_string_is_a_coded_400(api: Api, operation_name: Any) -> None:
    response = await _post(
        api, {"query": "{ __typename }", "operationName": operation_name}, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_browser_still_gets_graphiql_without_credentials(api: Api) -> None:
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()
