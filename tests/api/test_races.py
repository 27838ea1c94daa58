"""Concurrent writes of one id answer as if they came one after the other: the same input is one
success for everyone, different inputs are one success and CONFLICTs naming the fields."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.factories import asset, base_world, mutation, send

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


async def _notice_world(api: Any) -> None:
    await base_world(api)
    await send(api, "reportSighting", SIGHTING)


SIGHTING = {
    "id": "sighting-race",
    "url": "https://gram.example/p/race",
    "observedAt": "2026-01-10T12:00:00Z",
    "phash": "00ff00ff00ff00f0",
    "platformId": "platform-gram",
}


def _notice(**extra: Any) -> dict[str, Any]:
    return {
        "id": "notice-race",
        "sightingId": "sighting-race",
        "platformId": "platform-gram",
        "sentById": "person-ada",
        "sentAt": "2026-01-11T09:00:00Z",
        **extra,
    }


async def _all(api: Any, op: str, inputs: list[dict[str, Any]]) -> list[Any]:
    responses = await asyncio.gather(*(api.post(mutation(op), {"input": data}) for data in inputs))
    return [response.json() for response in responses]


async def test_identical_concurrent_notices_and_answers_all_succeed_and_write_once(
    api: Any, graph: Any
) -> None:
    await _notice_world(api)
    bodies = await _all(api, "sendTakedownNotice", [_notice()] * COPIES)
    assert [body.get("errors") for body in bodies] == [None] * COPIES
    assert {body["data"]["sendTakedownNotice"]["id"] for body in bodies} == {"notice-race"}
    assert await _log_entries_about(graph, "notice-race") == 1
    answer = {"noticeId": "notice-race", "respondedAt": "2026-01-12T00:00:00Z", "outcome": "REMOVED"}
    bodies = await _all(api, "recordNoticeResponse", [answer] * COPIES)
    assert [body.get("errors") for body in bodies] == [None] * COPIES
    rows = await graph.query("MATCH (:TakedownNotice)-[r:ANSWERED]->() RETURN count(r) AS n")
    assert rows[0]["n"] == 1
    assert await _log_entries_about(graph, "notice-race|2026-01-12T00:00:00Z") == 1


async def test_conflicting_concurrent_notices_and_answers_get_one_success_and_conflicts(
    api: Any, graph: Any
) -> None:
    await _notice_world(api)
    bodies = await _all(
        api, "sendTakedownNotice", [_notice(responseHours=24 + copy) for copy in range(COPIES)]
    )
    assert len([body for body in bodies if not body.get("errors")]) == 1
    for body in bodies:
        if body.get("errors"):
            error = body["errors"][0]
            assert (
                error["extensions"]["code"] == "CONFLICT" and error["extensions"]["field"] == "responseHours"
            )
    outcomes = ["REMOVED", "REFUSED", "COUNTER_NOTICE"]
    answers = [
        {"noticeId": "notice-race", "respondedAt": "2026-01-12T00:00:00Z", "outcome": outcomes[copy % 3]}
        for copy in range(COPIES)
    ]
    bodies = await _all(api, "recordNoticeResponse", answers)
    winners = [body for body in bodies if not body.get("errors")]
    losers = [body["errors"][0] for body in bodies if body.get("errors")]
    assert {error["extensions"]["code"] for error in losers} == {"CONFLICT"}
    assert {error["extensions"]["field"] for error in losers} == {"outcome"}
    rows = await graph.query("MATCH (:TakedownNotice)-[r:ANSWERED]->() RETURN r.outcome AS outcome")
    assert len(rows) == 1
    # every caller that sent the winning outcome succeeded too: the same input is the same success
    assert len(winners) == sum(1 for answer in answers if answer["outcome"] == rows[0]["outcome"])
