"""Neo4j stopped under a running API: every request answers 503 SERVICE_UNAVAILABLE unretried (API keys
included, whose check reads Neo4j), /readyz says so, /healthz does not; started again, the same API
answers as before, without a restart.

A Neo4j of this test's own (the session's is shared with the other tests), stopped and started again on
the same data folder, and the real app served by uvicorn, opening its own driver as `likeness serve` does.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from likeness import local_neo4j
from likeness.access import keys
from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.local_neo4j import LocalNeo4j
from tests.ops.conftest import free_port, served

ADMIN = "ops-admin-token"
# Fast means not retried: an unreachable Neo4j answered without the driver's retry loop (30 s, its
# max_transaction_retry_time) and before the query deadline (which would answer QUERY_TIMEOUT, not 503).
# Under 2 s on a quiet machine (the timings printed); 20 s tells the two apart on any machine, however busy.
DEADLINE = 20.0
UNAVAILABLE = {
    "errors": [
        {
            "message": "the database is unavailable; try again shortly",
            "extensions": {"code": "SERVICE_UNAVAILABLE"},
        }
    ]
}
REGISTER = (
    'mutation { registerOrganization(input: {id: "brand-ops", name: "Ops Brand", kind: BRAND}) { id } }'
)
LOOKUP = '{ organization(id: "brand-ops") { id name } }'
# three root fields of a mutation run one after another: the slowest shape of request when Neo4j is gone
THREE_WRITES = """mutation {
  a: registerOrganization(input: {id: "brand-a", name: "A", kind: BRAND}) { id }
  b: registerOrganization(input: {id: "brand-b", name: "B", kind: BRAND}) { id }
  c: registerOrganization(input: {id: "brand-c", name: "C", kind: BRAND}) { id }
}"""


@pytest.fixture(scope="module")
def neo4j() -> Iterator[LocalNeo4j]:
    with tempfile.TemporaryDirectory(prefix="likeness-ops-neo4j-") as folder:
        server = LocalNeo4j(data_dir=Path(folder), port=free_port(), heap="512m", pagecache="64m")
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _port_is_free_but_for_time_wait(port: int, host: str = "127.0.0.1") -> bool:
    """local_neo4j.port_is_free, but a port whose old connections linger in TIME_WAIT (as Neo4j's do for
    a minute after it stops) counts as free, as it does for Neo4j itself, which binds with SO_REUSEADDR."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _settings(server: LocalNeo4j) -> Settings:
    user, password = server.auth
    return Settings(
        neo4j_uri=server.uri, neo4j_user=user, neo4j_password=password, likeness_admin_token=ADMIN
    )


# Ready means warm (docs/operations.md): after Neo4j starts, /readyz answers "warming" until every
# statement has run once against it, which takes seconds on a quiet machine and minutes on a cold, busy
# one (hundreds of statements planned by a JVM that has compiled nothing yet). A bound no machine that
# works at all misses; how long it takes is measured by bench/warm_start.py, not here.
READY_WITHIN = 600.0


def _ready(client: httpx.Client) -> httpx.Response:
    """The first /readyz answer that is not "warming" or "unavailable" (polled), or the last one."""
    started = time.monotonic()
    while True:
        response = client.get("/readyz")
        if response.status_code == 200 or time.monotonic() - started > READY_WITHIN:
            return response
        time.sleep(0.2)


def _regulator_key(settings: Settings) -> str:
    async def create() -> str:
        assert settings.neo4j_uri is not None
        graph = Graph.connect(settings.neo4j_uri, settings)
        try:
            return (await keys.create(graph, role="REGULATOR", label="ops test")).secret
        finally:
            await graph.close()

    return asyncio.run(create())


def _post(client: httpx.Client, token: str, query: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})
    return response, time.monotonic() - started


def _assert_unavailable(response: httpx.Response, elapsed: float, server: LocalNeo4j, what: str) -> None:
    assert response.status_code == 503, (what, response.status_code, response.text)
    assert response.json() == UNAVAILABLE, (what, response.text)
    assert elapsed < DEADLINE, (what, elapsed)
    # no driver text: not the address, not the port, not the driver's words
    for leak in ("127.0.0.1", str(server.port), "bolt", "onnect", "Neo4j"):
        assert leak not in response.text, (what, leak, response.text)
    assert response.headers["x-request-id"]
    assert response.headers["retry-after"]


def test_neo4j_down_answers_503_fast_and_the_same_api_recovers(
    neo4j: LocalNeo4j, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_neo4j, "port_is_free", _port_is_free_but_for_time_wait)
    settings = _settings(neo4j)
    regulator = _regulator_key(settings)
    timings: dict[str, Any] = {}
    with served(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert _post(client, ADMIN, REGISTER)[0].status_code == 200
        assert _post(client, regulator, LOOKUP)[0].json() == {
            "data": {"organization": {"id": "brand-ops", "name": "Ops Brand"}}
        }
        assert _ready(client).status_code == 200

        neo4j.stop()
        # the first request meets the lost connections and the refused new ones
        for what, token, query in [
            ("API key", regulator, LOOKUP),
            ("admin token", ADMIN, LOOKUP),
            ("three writes", ADMIN, THREE_WRITES),
        ]:
            response, elapsed = _post(client, token, query)
            _assert_unavailable(response, elapsed, neo4j, what)
            timings[what] = round(elapsed, 3)
        # and again once the hold after an outage has passed: each request tries the server itself
        for what, token, query in [
            ("API key, cold", regulator, LOOKUP),
            ("admin token, cold", ADMIN, LOOKUP),
        ]:
            time.sleep(settings.likeness_neo4j_down_hold + 0.2)
            response, elapsed = _post(client, token, query)
            _assert_unavailable(response, elapsed, neo4j, what)
            timings[what] = round(elapsed, 3)
        started = time.monotonic()
        ready = client.get("/readyz")
        timings["readyz"] = round(time.monotonic() - started, 3)
        assert ready.status_code == 503 and ready.json() == {"status": "unavailable", "neo4j": "down"}
        assert timings["readyz"] < DEADLINE
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/health").status_code == 200

        neo4j.start()
        started = time.monotonic()
        while time.monotonic() - started < 60:
            response, _ = _post(client, ADMIN, LOOKUP)
            if response.status_code == 200:
                break
            assert response.status_code == 503, response.text
            time.sleep(0.2)
        timings["recovered after start"] = round(time.monotonic() - started, 3)
        assert response.json() == {"data": {"organization": {"id": "brand-ops", "name": "Ops Brand"}}}
        assert _post(client, regulator, LOOKUP)[0].status_code == 200
        assert _ready(client).status_code == 200
    print("Neo4j down, seconds to answer:", timings)


def test_an_api_started_while_neo4j_is_away_serves_503_and_becomes_ready_when_it_comes(
    neo4j: LocalNeo4j, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_neo4j, "port_is_free", _port_is_free_but_for_time_wait)
    settings = _settings(neo4j)
    neo4j.stop()
    try:
        with served(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
            response, elapsed = _post(client, ADMIN, LOOKUP)
            _assert_unavailable(response, elapsed, neo4j, "started without Neo4j")
            assert client.get("/readyz").json() == {"status": "unavailable", "neo4j": "down"}
            assert client.get("/healthz").json() == {"status": "ok"}

            neo4j.start()
            assert _ready(client).status_code == 200, "not ready long after Neo4j started"
            # ready means migrated: the id constraint that makes writes idempotent is in place
            assert _post(client, ADMIN, REGISTER)[0].json() == {
                "data": {"registerOrganization": {"id": "brand-ops"}}
            }
    finally:
        if not neo4j.is_running():
            neo4j.start()
