"""A real Neo4j for every test: NEO4J_URI when set, else the project's local server in a temp folder."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from likeness.app import create_app
from likeness.config import Settings, get_settings
from likeness.demo import DEMO_WORLD
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.ingest.bulk import import_lines
from likeness.local_neo4j import LocalNeo4j
from tests import needs

ADMIN_TOKEN = "test-admin-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    """NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) when set, else a local Neo4j of the
    test session's own, with authentication on like every local server."""
    # the deadline is tested by tests/limits with its own settings; elsewhere a busy machine must not turn a
    # slow answer into a QUERY_TIMEOUT (speed is measured in bench/, never in tests)
    common: dict[str, Any] = {"likeness_admin_token": ADMIN_TOKEN, "likeness_query_timeout": 120.0}
    if os.environ.get("NEO4J_URI"):
        yield Settings(
            neo4j_uri=os.environ["NEO4J_URI"],
            neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            **common,
        )
        return
    with tempfile.TemporaryDirectory(prefix="likeness-test-neo4j-") as folder:
        server = LocalNeo4j(data_dir=Path(folder), port=_free_port(), heap="1g", pagecache="128m")
        server.start()
        try:
            user, password = server.auth
            yield Settings(neo4j_uri=server.uri, neo4j_user=user, neo4j_password=password, **common)
        finally:
            server.stop()


@pytest.fixture(scope="session")
async def session_graph(settings: Settings) -> AsyncIterator[Graph]:
    assert settings.neo4j_uri is not None
    graph = Graph.connect(settings.neo4j_uri, settings)
    await migrate(graph)
    yield graph
    await graph.close()


@pytest.fixture
def c2pa_fixtures() -> Path:
    """The shared C2PA sample files beside the clone (tests/needs.py: a skip, or a failure under CI)."""
    return needs.c2pa_fixtures()


@pytest.fixture
def faces_fixtures() -> Path:
    """../shared/fixtures/faces beside the clone (skipped without it, failed under CI=true)."""
    return needs.faces_fixtures()


@pytest.fixture
async def demo(graph: Graph) -> Graph:
    """The (emptied) graph with the demo world loaded."""
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected
    return graph


@pytest.fixture
async def graph(session_graph: Graph) -> AsyncIterator[Graph]:
    """The graph, emptied before the test."""
    async with session_graph.driver.session(database=session_graph.database) as session:
        await (
            await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        ).consume()
    session_graph.round_trips = 0
    yield session_graph


class Api:
    """Talks to the app over HTTP (in-process ASGI), as a client would."""

    def __init__(self, client: httpx.AsyncClient, token: str | None) -> None:
        self.client = client
        self.token = token

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token}"} if (token or self.token) else {}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        """Run a query that must succeed; return its data."""
        response = await self.post(query, variables, token)
        body = response.json()
        assert response.status_code == 200, body
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> list[Any]:
        """Run a query that must fail; return its errors."""
        response = await self.post(query, variables, token)
        body = response.json()
        assert body.get("errors"), body
        return list(body["errors"])


@pytest.fixture
async def api(graph: Graph, settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings, graph=graph)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client, ADMIN_TOKEN)


@pytest.fixture
def cli_env(graph: Graph, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The `likeness` CLI pointed at the (emptied) test database, settings re-read from the environment."""
    assert settings.neo4j_uri is not None
    monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password)
    monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
