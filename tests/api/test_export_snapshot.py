"""An export is one consistent cut: taken while writes run, every line's references are in the file, so
it re-imports into an empty database with nothing rejected (14 reads in 14 transactions used to give
8 rejected lines: a sighting naming a platform the file lacked)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from likeness.access.principals import OPERATOR
from likeness.demo import DEMO_WORLD
from likeness.events.contract import OP_ORDER, parse_event
from likeness.graph.writes import EXPORTS
from likeness.ingest.bulk import export_to, import_lines
from likeness.ingest.record import record


def _chained_writes(index: int) -> list[tuple[str, dict[str, Any]]]:
    """Events of several kinds, each referring to the one before it."""
    return [
        (
            "registerOrganization",
            {"id": f"platform-w{index}", "name": f"Platform {index}", "kind": "PLATFORM"},
        ),
        (
            "reportSighting",
            {
                "id": f"sighting-w{index}",
                "url": f"https://example.org/{index}",
                "observedAt": "2025-07-03T19:20:00Z",
                "platformId": f"platform-w{index}",
                "phash": f"{index:016x}",
            },
        ),
        ("registerPerson", {"id": f"person-w{index}", "name": f"Person {index}"}),
        (
            "recordCapture",
            {
                "id": f"capture-w{index}",
                "personIds": [f"person-w{index}"],
                "kind": "PHOTO",
                "sha256": f"{index:064x}",
                "capturedAt": "2024-11-04T10:00:00Z",
            },
        ),
    ]


async def test_an_export_taken_during_writes_reimports_into_an_empty_database_with_nothing_rejected(
    graph: Any,
) -> None:
    lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
    assert not (await import_lines(graph, lines)).rejected
    writing = True
    written = 0

    async def write() -> None:
        nonlocal written
        index = 0
        while writing:
            # one transaction holding an event and the events it refers to (a bulk import's batch), then
            # the same events one transaction each (the API's mutations)
            batch = [parse_event(op, data) for op, data in _chained_writes(index)]
            outcome = await record(graph, OPERATOR, batch, source=f"batch-{index}")
            assert not outcome.rejected, outcome.rejected
            for op, data in _chained_writes(index + 1):
                outcome = await record(graph, OPERATOR, [parse_event(op, data)])
                assert not outcome.rejected, outcome.rejected
            index += 2
            written = index

    writer = asyncio.create_task(write())
    exports: list[str] = []
    try:
        # exports one after another for as long as the writer has not made a few rounds of writes
        while (len(exports) < 4 or written < 10) and len(exports) < 200 and not writer.done():
            out = io.StringIO()
            await export_to(graph, out)
            exports.append(out.getvalue())
            await asyncio.sleep(0.05)
    finally:
        writing = False
        await writer
    assert written >= 10 and len(exports) >= 4
    # the writes landed while the exports were taken: they do not all hold the same events
    assert len(set(exports)) > 1
    for text in exports:
        await _wipe(graph)
        exported = text.splitlines()
        summary = await import_lines(graph, exported, batch_size=100)
        assert summary.rejected == [] and summary.applied == len(exported)


async def test_every_kind_of_event_is_exported_in_the_contracts_order() -> None:
    assert list(EXPORTS) == list(OP_ORDER)


async def _wipe(graph: Any) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
