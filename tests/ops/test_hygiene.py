"""Operations hygiene: metric labels a client cannot mint, a deadline answered as the server's failure,
the same protective headers and JSON error envelope on every answer, failed authentications throttled
by client address, and `likeness serve` printing where the admin token is, never the token."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from likeness import app as app_module
from likeness.app import create_app
from likeness.cli import app as cli
from likeness.config import Settings, get_settings
from likeness.graph.driver import Graph
from likeness.ops import AUTH_FAILURES_ALLOWED, GRAPHQL_RESPONSE, FailedAuthentications
from likeness.resolvers import lookups
from tests.conftest import ADMIN_TOKEN, Api

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def _labels(api: Api, name: str = "likeness_requests_total") -> set[str]:
    response = await api.client.get("/metrics")
    return {
        sample.labels["operation"]
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == name
    }


async def test_metric_labels_come_from_the_schemas_root_fields_not_from_the_clients_names(api: Api) -> None:
    for index in range(3):
        name = f"clientChosenName{index}"
        response = await api.client.post(
            "/graphql",
            json={"query": f'query {name} {{ organization(id: "x") {{ id }} }}', "operationName": name},
            headers=AUTH,
        )
        assert response.status_code == 200, response.text
    # a document naming fields the schema does not have is refused before it mints a label
    await api.client.post("/graphql", json={"query": "{ notARootField9 }"}, headers=AUTH)
    await api.client.post(
        "/graphql", json={"query": '{ organization(id: "x") { id } person(id: "y") { id } }'}, headers=AUTH
    )
    labels = await _labels(api)
    assert not [label for label in labels if "clientChosenName" in label or "notARootField9" in label]
    assert {"query organization", "query organization+", "invalid"} <= labels


@pytest.fixture
async def hurried(graph: Graph, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a short deadline (0.5 s) and a lookup that takes longer than it."""
    app = create_app(settings.model_copy(update={"likeness_query_timeout": 0.5}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def test_an_operation_past_its_deadline_is_a_server_side_timeout(
    hurried: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*args: Any) -> Any:
        await asyncio.sleep(3)

    monkeypatch.setattr(lookups, "node", slow)
    query = {"query": '{ organization(id: "x") { id } }'}
    for accept, media in [(GRAPHQL_RESPONSE, GRAPHQL_RESPONSE), ("application/json", "application/json")]:
        response = await hurried.post("/graphql", json=query, headers={**AUTH, "Accept": accept})
        assert response.status_code == 504, response.text
        assert response.headers["content-type"] == media
        body = response.json()
        assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TIMEOUT"]
        assert "data" not in body
    metrics = (await hurried.get("/metrics")).text
    assert 'outcome="timeout"' in metrics


async def test_every_answer_carries_nosniff_and_a_referrer_policy(api: Api) -> None:
    answers = [
        await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=AUTH),
        await api.client.get("/graphql", headers={"Accept": "text/html"}),
        await api.client.get("/explore"),
        await api.client.get("/static/explorer/api.js"),
        await api.client.get("/healthz"),
        await api.client.get("/metrics"),
        await api.client.get("/no/such/path"),
        await api.client.post("/graphql", json={"query": "{ __typename }"}),
    ]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["referrer-policy"] == "no-referrer", response.url


async def test_router_and_static_refusals_are_json_envelopes(api: Api) -> None:
    for path in ("/no/such/path", "/static/no-such-file.js", "/cases"):
        response = await api.client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/json"), path
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and path in error["message"]
    response = await api.client.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["allow"]


async def test_failed_authentications_are_throttled_by_client_address_and_logged_with_it(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    lookups_made = 0
    looking_up = app_module.principal_for

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal lookups_made
        lookups_made += 1
        return await looking_up(*args, **kwargs)

    monkeypatch.setattr(app_module, "principal_for", counted)
    caplog.set_level(logging.INFO, logger="likeness.auth")
    bad = {"Authorization": "Bearer not-a-key"}
    for _ in range(AUTH_FAILURES_ALLOWED):
        response = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=bad)
        assert response.status_code == 401
    throttled = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=bad)
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    assert throttled.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_FAILED_AUTHENTICATIONS"
    # throttled: no lookup, even for a good credential from that address, until the window passes
    assert (
        await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=AUTH)
    ).status_code == 429
    assert lookups_made == AUTH_FAILURES_ALLOWED
    logged = [record for record in caplog.records if record.name == "likeness.auth"]
    assert len(logged) == AUTH_FAILURES_ALLOWED
    assert all("127.0.0.1" in record.getMessage() for record in logged)  # httpx's ASGI client address


def test_the_throttle_lets_an_address_in_again_once_the_window_has_passed() -> None:
    now = [0.0]
    failures = FailedAuthentications(allowed=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert failures.retry_after("10.0.0.1") is None
        failures.failed("10.0.0.1")
        now[0] += 1.0
    assert failures.retry_after("10.0.0.1") == 57
    assert failures.retry_after("10.0.0.2") is None  # another address is not held back
    now[0] = 60.5
    assert failures.retry_after("10.0.0.1") is None


def test_serve_prints_where_the_admin_token_is_kept_and_not_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from likeness.cli import serve

    monkeypatch.delenv("LIKENESS_ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("LIKENESS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(serve, "ensure_local_neo4j", lambda: None)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "0"])
        token = os.environ.pop("LIKENESS_ADMIN_TOKEN")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    kept = tmp_path / "admin-token"
    assert kept.read_text().strip() == token
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert token not in result.output
    assert str(kept) in result.output.replace("\n", "")
