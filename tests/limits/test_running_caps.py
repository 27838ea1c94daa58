"""Stopped while running: an answer whose objects pass the cap is stopped as it grows, not after; nothing
more is read once it is, and everyone else is answered meanwhile."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.limits.conftest import SIX_PAIRS, Server, normal_answered


async def app_transactions(graph: Any) -> list[dict[str, Any]]:
    """The transactions open in Neo4j now, but the one asking."""
    rows = await graph.query("SHOW TRANSACTIONS YIELD transactionId, currentQuery, status")
    return [row for row in rows if "SHOW TRANSACTIONS" not in row["currentQuery"]]


async def nothing_runs_after(server: Server, graph: Any) -> None:
    """Once answered, the operation reads nothing more and leaves no transaction open."""
    round_trips = server.graph.round_trips
    await asyncio.sleep(0.5)
    assert server.graph.round_trips == round_trips
    assert await app_transactions(graph) == []


async def test_the_six_pair_probe_is_stopped_as_it_passes_the_cap(demo: Any, serve: Any) -> None:
    server = serve(max_depth=0, max_cost=0)  # past every estimate: only the running cap is left
    probe, normal = await server.alongside(SIX_PAIRS, after=0.3)
    assert probe.code == "RESPONSE_TOO_LARGE", probe.body
    error = probe.error
    assert error["extensions"]["limit"] == 3_000
    # stopped at the load that passed the cap: by no more than one relationship list
    assert 3_000 < error["extensions"]["found"] <= 3_000 + 28
    assert "3000 objects" in error["message"]
    assert "data" not in probe.body
    # "as it grows, not after" is `found` above (stopped within one list past the cap); the time is a
    # bound no busy machine misses against the fan-out run to its end (minutes)
    assert probe.seconds < 30.0, f"stopped after {probe.seconds:.2f} s"
    normal_answered(normal)
    await nothing_runs_after(server, demo)


async def test_every_object_a_load_hands_over_counts_cache_hits_too(demo: Any, serve: Any) -> None:
    query = '{ organization(id: "brand-nordhem") { id assets { nodes { id twins { id person { id } } } } } }'
    async with serve().client() as client:
        answer = await client.ask(query)
    assert answer.code is None, answer.body
    assets = answer.body["data"]["organization"]["assets"]["nodes"]
    twins = [twin for asset in assets for twin in asset["twins"]]
    # the organization, its page of assets, each asset's twins, each twin's person: the same few twins and
    # persons come from the loaders' cache again and again, and count each time
    objects = 1 + len(assets) + 2 * len(twins)
    assert len({twin["id"] for twin in twins}) < len(twins)
    async with serve(max_response_objects=objects).client() as client:
        assert (await client.ask(query)).body == answer.body
    async with serve(max_response_objects=objects - 1).client() as client:
        stopped = await client.ask(query)
    assert stopped.code == "RESPONSE_TOO_LARGE", stopped.body
    assert stopped.error["extensions"]["found"] == objects


async def test_the_unpaged_lists_of_a_root_answer_count(demo: Any, serve: Any) -> None:
    query = """{ provenance(assetId: "asset-maren-liv-knockoff", asOf: "2026-07-01T00:00:00Z") {
                   twins { id } captures { id } persons { id } vendors { id } consents { id }
                   verdicts { code } } }"""
    async with serve().client() as client:
        answer = await client.ask(query)
    assert answer.code is None, answer.body
    chain = answer.body["data"]["provenance"]
    listed = sum(len(part) for part in chain.values())
    async with serve(max_response_objects=2).client() as client:
        stopped = await client.ask(query)
    assert stopped.code == "RESPONSE_TOO_LARGE", stopped.body
    assert stopped.error["extensions"]["found"] >= listed > 2
