"""The warm-up that readiness waits for: every statement the API runs, planned against the current Neo4j.

Planning alone (graph.statements, EXPLAIN of each statement) leaves a freshly started Neo4j seconds
away from answering a write: the first `publishAsset` after a restart still took 3–5 s, where the
second takes a tenth of that. So the write path also runs for real, in a rehearsal: one event of every
kind, taken from the demo world with the events it refers to (ids made unique), each recorded as the
API records a mutation (`record`, one event at a time), all in one transaction that is rolled back.
Nothing of it is kept and no log entry is made. It appends to a log head of its own (graph.log), so
writers do not wait for it; it still locks, until it ends, what its events touch that is not its own
(a verdict-count bucket of the same day and code, an asset a rehearsed sighting matches).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from likeness.access.principals import OPERATOR
from likeness.alerts import clock
from likeness.demo import DEMO_WORLD
from likeness.events.contract import OP_ORDER, Event, parse_event
from likeness.graph import alerts as stored_alerts
from likeness.graph import webhooks
from likeness.graph.driver import Graph, is_unavailable
from likeness.graph.faces import TEMPLATE_DIMENSIONS
from likeness.graph.log import rehearsal_head
from likeness.graph.statements import warm_plans
from likeness.ingest.record import record

logger = logging.getLogger(__name__)


def _with_made_up_files(event: Event) -> Event:
    if event.op == "enrollLikeness":
        return replace(event, template=_REHEARSAL_TEMPLATE)
    if event.op == "publishAsset" and "signedFile" in event.input:
        return replace(event, signed_bytes=_REHEARSAL_BYTES)
    return event


def rehearsal_events(suffix: str) -> list[Event]:
    """Events of every kind from the demo world — for each kind, the first event giving each of its
    fields (so optional clauses run too: a twin superseding another, a guardian …) — with the events
    they refer to (recursively), in the world's order. Every id carries `suffix`, so no event meets a
    node already recorded; the first asset carries Content Credentials naming a capture as ingredient,
    the first sighting is of that asset, and both show the face of the capture's person."""
    lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
    events = [parse_event(line["op"], line["input"]) for line in map(orjson.loads, lines)]
    ids = {event.input["id"]: index for index, event in enumerate(events) if "id" in event.input}
    chosen: set[int] = set()
    pending = [next(index for index, event in enumerate(events) if event.op == op) for op in OP_ORDER]
    fields_seen: set[tuple[str, str]] = set()
    for index, event in enumerate(events):
        fresh = {(event.op, name) for name, value in event.input.items() if value not in (None, [])}
        if fresh - fields_seen:
            pending.append(index)
            fields_seen |= fresh
    while pending:
        index = pending.pop()
        if index in chosen:
            continue
        chosen.add(index)
        pending.extend(ids[value] for _, value, _ in events[index].references if value in ids)
        if events[index].op == "enrollLikeness":  # an enrolment needs her MATCHING consent in force
            pending.extend(
                other
                for other, event in enumerate(events)
                if event.op == "grantConsent"
                and event.input["purpose"] == "MATCHING"
                and event.input["personId"] == events[index].input["personId"]
            )
    renamed = {identifier: f"{identifier}-{suffix}" for identifier in ids}
    inputs = [(events[index].op, _renamed(events[index].input, renamed)) for index in sorted(chosen)]
    capture = next(data for op, data in inputs if op == "recordCapture")
    asset = next(data for op, data in inputs if op == "publishAsset")
    sighting = next(data for op, data in inputs if op == "reportSighting")
    sighting.update(sha256=asset["sha256"], phash=asset.get("phash"))
    asset["contentCredentials"] = {
        "validationState": "VALID",
        "manifestLabel": f"urn:uuid:{suffix}",
        "declaresAiGeneration": True,
        "ingredients": [{"title": "warm-up", "dataSha256": capture["sha256"]}],
    }
    # both files show the face of the capture's person (SHOWS_FACE_OF written and read back by the rules)
    face = {
        "personId": capture["personIds"][0],
        "captureId": capture["id"],
        "distance": 0.4,
        "box": [10, 10, 90, 90],
        "frameTime": 0.0,
        "model": "warm-up",
        "threshold": 0.6,
    }
    asset.setdefault("faceMatches", [face])
    sighting.setdefault("faceMatches", [face])
    # the asset as a signed publication records it (graph.signed_files keeps the bytes beside it)
    asset["signedFile"] = {
        "sourceSha256": capture["sha256"],
        "manifestSha256": capture["sha256"],
        "mimeType": "image/png",
        "size": len(_REHEARSAL_BYTES),
        "consentIds": [],
        "logSeq": 1,
    }
    # an enrolment is recorded with its face template, which the API computes from the file (in a worker,
    # never here): the rehearsal's is a made-up one of the right length, rolled back with the rest
    return [_with_made_up_files(event) for event in (parse_event(op, data) for op, data in inputs)]


_REHEARSAL_TEMPLATE = tuple(0.1 for _ in range(TEMPLATE_DIMENSIONS))
# ... and a signed file's bytes: made-up ones, never served (the rehearsal is rolled back)
_REHEARSAL_BYTES = b"warm-up"


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _renamed(item, names) for key, item in value.items()}
    return value


async def _rehearse_alerts(rehearsal: Graph) -> None:
    """The alerts' own writes: a clock tick (its lease taken, moved and let go) and read marks, of a tenant
    and of a reader of everything."""
    await clock.tick(rehearsal, "warm-up", 1.0)
    await stored_alerts.release_lease(rehearsal, clock.LEASE, "warm-up")

    async def mark(tx: AsyncManagedTransaction) -> None:
        for party in ("warmup", None):
            await stored_alerts.mark_read(tx, party=party, reader="warmup", ids=["warmup"], every=False)

    await rehearsal.write(mark)


async def rehearse_writes(graph: Graph) -> int:
    """Record the rehearsal's events in one transaction, rolled back; answers how many were applied."""
    tag = f"warmup-{uuid.uuid4().hex[:12]}"
    events = rehearsal_events(tag)

    async def steps(rehearsal: Graph) -> int:
        applied = 0
        for event in events:
            outcome = await record(rehearsal, OPERATOR, [event])
            applied += len(outcome.applied)
            for _, error in outcome.rejected:
                logger.warning("warm-up: %s %s refused: %s", event.op, event.key, error.message)
        await _rehearse_alerts(rehearsal)
        # the webhooks' writes (registration, fan-out, sending), on nodes of the rehearsal's own
        await webhooks.rehearse(rehearsal, tag=tag, now=datetime.now(UTC))
        return applied

    with rehearsal_head():
        return await graph.rehearse(steps)


async def warm_up(graph: Graph) -> None:
    """Plan every statement and rehearse the write path against the current Neo4j; the graph is warm
    after (`graph.cold` false) unless Neo4j was lost meanwhile."""
    started = perf_counter()
    graph.cold = False
    try:
        planned, _ = await warm_plans(graph)
        applied = await rehearse_writes(graph)
    except Exception as error:
        if is_unavailable(error):
            graph.cold = True
            raise
        # a warm-up that fails for another reason (a bug) must not keep the API unready for good: it
        # serves, cold, and says so
        logger.exception("warm-up failed; serving without it")
        return
    except BaseException:
        graph.cold = True
        raise
    logger.info(
        "warmed up in %.1f s: %d statements planned, %d events rehearsed",
        perf_counter() - started,
        len(planned),
        applied,
    )
