"""Every operation of the contract (likeness.events.contract.SPECS) is exported and re-imported: an export of
a world holding each kind of event names every operation, and imports back into an empty graph as it was."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson

from likeness.demo import DEMO_WORLD
from likeness.events.contract import SPECS
from likeness.ingest.bulk import export_to, import_lines

# lines of the operations the demo world does not hold (yet): a new operation adds its example here
EXAMPLES: list[str] = []


async def _export(graph: Any) -> str:
    out = io.StringIO()
    await export_to(graph, out)
    return out.getvalue()


async def test_every_operation_is_exported_and_imported_back_as_it_was(graph: Any) -> None:
    lines = Path(str(DEMO_WORLD)).read_text().splitlines() + EXAMPLES
    recorded = {orjson.loads(line)["op"] for line in lines}
    assert recorded == set(SPECS), "an operation with no example line: add one to EXAMPLES"
    summary = await import_lines(graph, lines)
    assert summary.rejected == []
    first = await _export(graph)
    exported = [orjson.loads(line)["op"] for line in first.splitlines()]
    assert set(exported) == set(SPECS)
    for op in SPECS:
        assert exported.count(op) == sum(1 for line in lines if orjson.loads(line)["op"] == op), op
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    again = await import_lines(graph, first.splitlines())
    assert again.rejected == [] and again.applied == len(exported)
    assert await _export(graph) == first
