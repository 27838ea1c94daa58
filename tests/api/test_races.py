"""Concurrent writes of one id answer as if they came one after the other: the same input is one
success for everyone, different inputs are one success and CONFLICTs naming the fields."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.factories import asset, base_world, mutation

COPIES = 20


async def _publish_all(api: Any, inputs: list[dict[str, Any]]) -> list[Any]:
    responses = await asyncio.gather(
        *(api.post(mutation("publishAsset"), {"input": data}) for data in inputs)
    )
    return [response.json() for response in responses]


async def _log_entries_about(graph: Any, target: str) -> int:
    rows = await graph.query("MATCH (e:LogEntry {target: $target}) RETURN count(e) AS n", target=target)
    return int(rows[0]["n"])


async def test_identical_concurrent_publishes_all_succeed_and_write_once(api: Any, graph: Any) -> None:
    await base_world(api)
    bodies = await _publish_all(api, [asset("asset-race")] * COPIES)
    assert [body.get("errors") for body in bodies] == [None] * COPIES
    assert {body["data"]["publishAsset"]["id"] for body in bodies} == {"asset-race"}
    assert (await graph.query("MATCH (a:Asset {id: 'asset-race'}) RETURN count(a) AS n"))[0]["n"] == 1
    assert await _log_entries_about(graph, "asset-race") == 1


async def test_conflicting_concurrent_publishes_get_one_success_and_conflicts(api: Any, graph: Any) -> None:
    await base_world(api)
    bodies = await _publish_all(api, [asset("asset-race", n=200 + copy) for copy in range(COPIES)])
    winners = [body for body in bodies if not body.get("errors")]
    losers = [body["errors"][0] for body in bodies if body.get("errors")]
    assert len(winners) == 1 and len(losers) == COPIES - 1
    for error in losers:
        assert error["extensions"]["code"] == "CONFLICT", error
        assert error["extensions"]["field"] == "sha256"
        assert "asset-race" in error["message"] and "Node(" not in error["message"]
    assert await _log_entries_about(graph, "asset-race") == 1
