"""What whoever runs the API sees: probes, request ids, one log line per request, metrics, masked
unexpected errors (logged once, with the request id), and the request size limits."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.logs import JsonLines
from likeness.resolvers import lookups
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import asset, base_world, send

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
MiB = 1024 * 1024


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def _metrics(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample /metrics shows, by name and labels."""
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _sample(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_liveness_and_readiness_answer_while_neo4j_runs(api: Api) -> None:
    for path in ("/healthz", "/health"):
        response = await api.client.get(path)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})
    # ready means warm: polled while the warm-up runs against the test's Neo4j (tests/ops/test_warm_start.py)
    ready = await api.client.get("/readyz")
    for _ in range(3000):
        if ready.json()["status"] != "warming":
            break
        await asyncio.sleep(0.2)
        ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["neo4j"] == "up"


async def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(api: Api) -> None:
    kept = await api.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={**AUTH, "X-Request-Id": "abc-123"}
    )
    assert kept.headers["x-request-id"] == "abc-123"
    for odd in ("<script>", "x" * 500, ""):
        response = await api.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={**AUTH, "X-Request-Id": odd}
        )
        made = response.headers["x-request-id"]
        assert made != odd and len(made) == 32 and int(made, 16) >= 0
    # every answer carries one, refusals included
    assert (await api.client.post("/graphql", json={"query": "{ __typename }"})).headers["x-request-id"]


async def test_an_unexpected_error_is_masked_and_its_traceback_logged_once_with_the_request_id(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any) -> Any:
        raise RuntimeError("lookup broke talking to 10.9.8.7:7687")

    monkeypatch.setattr(lookups, "node", broken)
    caplog.set_level(logging.DEBUG)
    response = await api.client.post(
        "/graphql",
        json={"query": '{ a: organization(id: "x") { id } b: organization(id: "y") { id } __typename }'},
        headers=AUTH,
    )
    request_id = response.headers["x-request-id"]
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"a": None, "b": None, "__typename": "Query"}
    assert body["errors"] == [
        {
            "message": f"internal error (request {request_id})",
            "extensions": {"code": "INTERNAL_ERROR", "requestId": request_id},
        }
    ]
    assert "10.9.8.7" not in response.text and "RuntimeError" not in response.text
    with_traceback = [record for record in caplog.records if record.exc_info]
    # two fields failed, each with its own exception: one record each, none from strawberry's own logger
    assert len(with_traceback) == 2, [record.getMessage() for record in with_traceback]
    for record in with_traceback:
        assert record.name == "likeness.ops" and record.__dict__["requestId"] == request_id
        assert request_id in record.getMessage()
        assert "lookup broke talking to 10.9.8.7:7687" in logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]
    assert not [record for record in caplog.records if record.name.startswith("strawberry")]


async def test_one_exception_behind_several_errors_is_logged_once(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shared = RuntimeError("the same failure for every field")

    async def broken(*args: Any) -> Any:
        raise shared

    monkeypatch.setattr(lookups, "node", broken)
    caplog.set_level(logging.DEBUG)
    response = await api.client.post(
        "/graphql",
        json={"query": '{ a: organization(id: "x") { id } b: person(id: "y") { id } }'},
        headers=AUTH,
    )
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["INTERNAL_ERROR"]
    assert len([record for record in caplog.records if record.exc_info]) == 1


async def test_domain_and_request_errors_log_no_traceback(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    domain = await api.client.post(
        "/graphql", json={"query": "{ audit(first: 0) { totalCount } }"}, headers=AUTH
    )
    assert domain.json()["errors"][0]["extensions"] == {"code": "BAD_INPUT", "field": "first"}
    invalid = await api.client.post("/graphql", json={"query": "{ noSuchField }"}, headers=AUTH)
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    unparsable = await api.client.post("/graphql", json={"query": "{"}, headers=AUTH)
    assert unparsable.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


async def test_each_request_logs_one_line_with_id_role_operation_duration_and_outcome(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="likeness.requests")
    response = await api.client.post(
        "/graphql",
        json={"query": "query WhoIsAsking { __typename }"},
        headers={**AUTH, "X-Request-Id": "line-1"},
    )
    assert response.status_code == 200
    [record] = [record for record in caplog.records if record.__dict__.get("requestId") == "line-1"]
    line = json.loads(JsonLines().format(record))
    assert {
        key: line[key] for key in ("requestId", "role", "operation", "outcome", "status", "method", "path")
    } == {
        "requestId": "line-1",
        "role": "ADMIN",
        "operation": "WhoIsAsking",
        "outcome": "ok",
        "status": 200,
        "method": "POST",
        "path": "/graphql",
    }
    assert isinstance(line["durationMs"], float) and line["durationMs"] >= 0
    assert (line["level"], line["logger"]) == ("INFO", "likeness.requests")
    assert "traceback" not in line


async def test_metrics_count_requests_errors_and_neo4j_round_trips(api: Api) -> None:
    before = await _metrics(api)
    ok = await api.client.post(
        "/graphql", json={"query": 'query MetricsLookup { organization(id: "x") { id } }'}, headers=AUTH
    )
    assert ok.json() == {"data": {"organization": None}}
    refused = await api.client.post(
        "/graphql", json={"query": "query MetricsRefused { audit(first: 0) { totalCount } }"}, headers=AUTH
    )
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    after = await _metrics(api)

    def grew(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    # labelled by the schema's root fields, not by the client's operation names (issue 21)
    assert (
        grew("likeness_requests_total", route="/graphql", operation="query organization", outcome="ok") == 1
    )
    assert grew("likeness_requests_total", route="/graphql", operation="query audit", outcome="error") == 1
    assert (
        grew(
            "likeness_request_duration_seconds_count",
            route="/graphql",
            operation="query organization",
            outcome="ok",
        )
        == 1
    )
    assert grew("likeness_errors_total", operation="query audit", code="BAD_INPUT") == 1
    assert grew("likeness_neo4j_transaction_seconds_count", kind="query", outcome="ok") >= 1
    assert _sample(after, "likeness_neo4j_up") == 0 or _sample(after, "likeness_neo4j_up") == 1


async def test_metrics_count_the_verdict_refreshes_a_write_causes(api: Api) -> None:
    await base_world(api)
    before = await _metrics(api)
    await send(api, "publishAsset", asset())
    after = await _metrics(api)
    assert (
        _sample(after, "likeness_verdict_refreshes_total", subject="asset", how="incremental")
        - _sample(before, "likeness_verdict_refreshes_total", subject="asset", how="incremental")
        >= 1
    )


@pytest.fixture
async def small_limit(graph: Graph, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"likeness_max_body_bytes": MiB}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def test_a_body_over_the_limit_is_refused_while_it_streams_in(small_limit: httpx.AsyncClient) -> None:
    pulled = 0
    chunk = b" " * (64 * 1024)

    async def fifty_megabytes() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(800):
            pulled += 1
            yield chunk

    response = await small_limit.post(
        "/graphql", content=fifty_megabytes(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["extensions"] == {
        "code": "PAYLOAD_TOO_LARGE",
        "limitBytes": MiB,
        "limit": "LIKENESS_MAX_BODY_BYTES",
    }
    assert str(MiB) in error["message"] and "LIKENESS_MAX_BODY_BYTES" in error["message"]
    # stopped one chunk past the limit, not after reading 50 MB
    assert pulled <= MiB // len(chunk) + 2


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    small_limit: httpx.AsyncClient,
) -> None:
    response = await small_limit.post(
        "/graphql",
        content=b"{" + b" " * (2 * MiB) + b"}",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    "body",
    [
        '{"query": "{ __typename }", "variables": {"deep": ' + _nested(1000) + "}}",
        _nested(1000),
        '{"query": "{ __typename }", "variables": {"deep": ' + _nested(100_000) + "}}",
    ],
    ids=["variables 1000 deep", "body 1000 deep", "variables 100000 deep"],
)
async def test_deeply_nested_json_is_a_coded_400(api: Api, body: str) -> None:
    response = await api.client.post(
        "/graphql", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert "nests deeper than 64 levels" in error["message"]


async def test_a_deeply_nested_document_is_a_parse_error_not_a_crash(api: Api) -> None:
    document = "{" + "a{" * 1000 + "b" + "}" * 1000 + "}"
    response = await api.client.post("/graphql", json={"query": document}, headers=AUTH)
    assert response.status_code == 200
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
