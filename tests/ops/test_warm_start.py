"""Ready means warm: /readyz answers ready only once every statement the API runs has been planned
against the current Neo4j and the write path rehearsed (likeness.ingest.warmup), at start and again
after Neo4j restarts, so the first write after a restart answers within the request deadline.

The registry of statements is found in graph's modules (likeness.graph.statements); the first test
checks that it misses none: every Cypher constant of graph is planned, or is a piece of a statement
that is planned or that the rehearsal runs.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest

from likeness import local_neo4j
from likeness.app import create_app
from likeness.config import Settings
from likeness.demo import DEMO_WORLD
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.graph.statements import candidates, pieces, warm_plans
from likeness.ingest.bulk import import_lines
from likeness.ingest.warmup import rehearsal_events, rehearse_writes
from likeness.local_neo4j import LocalNeo4j
from tests.factories import asset
from tests.ops.conftest import free_port, served
from tests.ops.test_neo4j_down import _port_is_free_but_for_time_wait

ADMIN = "warm-admin-token"
PUBLISH = "mutation($input: AssetInput!) { publishAsset(input: $input) { id } }"


async def _counts(graph: Graph) -> list[dict[str, Any]]:
    return await graph.query(
        "MATCH (n) RETURN labels(n) AS labels, count(*) AS n, collect(n.seq) AS seqs ORDER BY n, labels"
    )


@pytest.mark.parametrize("world", ["empty", "demo"])
async def test_the_warm_up_plans_every_statement_of_graph_and_leaves_no_trace(
    graph: Graph, world: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if world == "demo":
        lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
        assert not (await import_lines(graph, lines)).rejected
    before = await _counts(graph)
    rehearsed: list[str] = []
    running = neo4j.AsyncTransaction.run

    async def spy(self: Any, query: Any, parameters: Any = None, **extra: Any) -> Any:
        rehearsed.append(str(query))
        return await running(self, query, parameters, **extra)

    monkeypatch.setattr(neo4j.AsyncTransaction, "run", spy)
    planned, passed_over = await warm_plans(graph)
    applied = await rehearse_writes(graph)

    # every event of the rehearsal was written (none met a node already there, none was refused) ...
    assert applied == len(rehearsal_events("x"))
    assert {event.op for event in rehearsal_events("x")} >= {
        "publishAsset",
        "reportSighting",
        "recordNoticeResponse",
    }
    # ... and rolled back: no node, no log entry
    assert await _counts(graph) == before
    # the statements that begin with a clause plan, all but the pieces of longer ones
    assert len(planned) + len(passed_over) == len(candidates())
    assert len(planned) > 100
    whole = planned + rehearsed
    missed = [piece.strip()[:120] for piece in pieces() if not any(piece in statement for statement in whole)]
    assert missed == []


def _settings(server: LocalNeo4j) -> Settings:
    user, password = server.auth
    # the API's own deadline (LIKENESS_QUERY_TIMEOUT, 5 s by default) is the only bound: the first write
    # after a restart used to pass it (4 runs of 5, 5.0–5.4 s); warm it takes a fraction of a second
    # (the figure is bench/warm_start.py's), so only a machine many times slower than a busy one misses it
    return Settings(
        neo4j_uri=server.uri, neo4j_user=user, neo4j_password=password, likeness_admin_token=ADMIN
    )


@pytest.fixture(scope="module")
def neo4j_server() -> Iterator[LocalNeo4j]:
    with tempfile.TemporaryDirectory(prefix="likeness-warm-neo4j-") as folder:
        server = LocalNeo4j(data_dir=Path(folder), port=free_port(), heap="512m", pagecache="64m")
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _ready_within(client: httpx.Client, seconds: float) -> dict[str, Any]:
    started = time.monotonic()
    while True:
        response = client.get("/readyz", timeout=120)
        if response.status_code == 200:
            return dict(response.json())
        assert response.json()["status"] in ("unavailable", "warming"), response.text
        assert time.monotonic() - started < seconds, f"not ready {seconds} s after Neo4j started"
        time.sleep(0.5)


def _load_demo(settings: Settings) -> None:
    import asyncio

    async def load() -> None:
        assert settings.neo4j_uri is not None
        graph = Graph.connect(settings.neo4j_uri, settings)
        try:
            await migrate(graph)
            lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
            assert not (await import_lines(graph, lines)).rejected
        finally:
            await graph.close()

    asyncio.run(load())


def test_after_neo4j_restarts_ready_waits_for_the_warm_up_and_the_first_write_answers(
    neo4j_server: LocalNeo4j, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_neo4j, "port_is_free", _port_is_free_but_for_time_wait)
    settings = _settings(neo4j_server)
    _load_demo(settings)
    headers = {"Authorization": f"Bearer {ADMIN}"}
    with served(create_app(settings)) as base, httpx.Client(base_url=base, timeout=60) as client:
        _ready_within(client, 300)
        neo4j_server.stop()
        assert client.get("/readyz").json() == {"status": "unavailable", "neo4j": "down"}
        neo4j_server.start()
        _ready_within(client, 300)
        started = time.monotonic()
        response = client.post(
            "/graphql",
            json={
                "query": PUBLISH,
                "variables": {"input": asset("asset-after-restart", 4242, twinIds=["twin-liv-v2"])},
            },
            headers=headers,
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {"publishAsset": {"id": "asset-after-restart"}}}, response.text
    print(f"first publishAsset after the restart: {elapsed:.3f} s")
