"""The app with its limits, served over real HTTP (uvicorn in a thread, its own driver) on the demo world,
and a client that times each answer; the probes of issue 11 as they were sent."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from tests.conftest import ADMIN_TOKEN
from tests.ops.conftest import served

# a question any user asks, answered from Neo4j: the one "on another connection" while a probe runs
NORMAL = '{ asset(id: "asset-ss25-liv-feed") { id publisher { name } } }'

# the probes of issue 11: `twin → assets → twins → …` six pairs deep (eighteen levels, now that an asset list
# is a connection); six `assets { nodes { twins { … } } }` pairs under an organization; 1,000 aliases of
# provenance
PAIR = "assets { nodes { twins { "
DEEP = '{ twin(id: "twin-liv-v2") { ' + PAIR * 6 + "id" + " } } }" * 6 + " } }"
SIX_PAIRS = '{ organization(id: "brand-nordhem") { ' + PAIR * 6 + "id" + " } } }" * 6 + " } }"


def pairs_cost(pairs: int, first: int = 50) -> int:
    """The estimated cost of `pairs` nested `assets { nodes { twins { … } } }` under one object (its own 1
    included): each asset list a connection of `first` nodes, each asset's twins a plain list of 10."""
    inner = 0
    for _ in range(pairs):
        inner = 1 + first * (1 + 10 * (1 + inner))
    return 1 + inner


ALIASES = (
    "{"
    + " ".join(f'p{n}: provenance(assetId: "asset-ss25-liv-feed") {{ permitted }}' for n in range(1000))
    + "}"
)

# a regulator's whole-market audit: the largest page, every field of every verdict
AUDIT = """{ audit(first: 10000, asOf: "2026-07-01T00:00:00Z") {
    totalCount countsByCode { code count }
    edges { cursor node { code subjectId liable { partyId role } consentIds failedClauses evidence explanation
                          holdsFrom holdsUntil } }
    pageInfo { hasNextPage endCursor } } }"""


def rss_mb() -> float:
    """This process's resident memory (the server runs in it, in a thread), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    seconds: float

    @property
    def code(self) -> str | None:
        errors = self.body.get("errors") or []
        return errors[0].get("extensions", {}).get("code") if errors else None

    @property
    def error(self) -> dict[str, Any]:
        errors = self.body.get("errors") or []
        assert len(errors) == 1, self.body
        return dict(errors[0])


class Client:
    """One client connection (its own pool) to the served app."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def ask(self, query: str, variables: dict[str, Any] | None = None) -> Answer:
        started = time.perf_counter()
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        return Answer(response.status_code, response.json(), time.perf_counter() - started)


@dataclass
class Server:
    app: Starlette
    url: str

    @property
    def graph(self) -> Graph:
        graph: Graph = self.app.state.graph
        return graph

    @contextlib.asynccontextmanager
    async def client(self) -> AsyncIterator[Client]:
        async with httpx.AsyncClient(base_url=self.url, timeout=120) as client:
            yield Client(client)

    async def alongside(
        self, query: str, variables: dict[str, Any] | None = None, *, after: float = 0.05
    ) -> tuple[Answer, Answer]:
        """The query, and the normal question asked on another connection `after` seconds later."""
        async with self.client() as heavy, self.client() as other:

            async def normal() -> Answer:
                await asyncio.sleep(after)
                return await other.ask(NORMAL)

            return await asyncio.gather(heavy.ask(query, variables), normal())


@pytest.fixture
def serve(settings: Settings) -> Iterator[Any]:
    """Serve the app with the limits as shipped (the test session's settings lift the deadline), some
    changed (`max_cost=0` sets LIKENESS_MAX_COST to 0)."""
    # no warm-up: it would run beside the probes (load they do not measure, transactions they would see)
    shipped = {
        "likeness_query_timeout": Settings.model_fields["likeness_query_timeout"].default,
        "likeness_warm_up": False,
    }
    with contextlib.ExitStack() as stack:

        def start(**changes: Any) -> Server:
            limited = settings.model_copy(
                update=shipped | {f"likeness_{name}": value for name, value in changes.items()}
            )
            app = create_app(limited)
            return Server(app, stack.enter_context(served(app)))

        yield start


# A normal question asked beside a heavy one is answered, not queued behind it. How fast (under a second
# on a quiet machine) is a benchmark's question (bench/), not a unit test's on a shared busy machine;
# here the bound is one no machine misses: a question held behind the heavy one would wait out its
# deadline or its work (minutes), and its own deadline would answer QUERY_TIMEOUT first.
NORMAL_WITHIN = 30.0


def normal_answered(answer: Answer) -> None:
    """The normal question was answered, meanwhile."""
    assert answer.status == 200 and "errors" not in answer.body, answer.body
    assert answer.body["data"]["asset"] == {"id": "asset-ss25-liv-feed", "publisher": {"name": "Nordhem"}}
    assert answer.seconds < NORMAL_WITHIN, f"the normal question took {answer.seconds:.2f} s"
