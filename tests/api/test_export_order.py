"""Export writes the graph's events in an order that depends only on what is recorded: export, import
into an empty database in batches of any size, export again, and the bytes are the same."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import orjson

from likeness.demo import DEMO_WORLD
from likeness.events.contract import OP_ORDER
from likeness.ingest.bulk import export_to, import_lines

LIV_CAPTURES = ["capture-liv-photo-01", "capture-liv-video-01", "capture-liv-scan-01"]


def later_twin(twin_id: str, supersedes: str, version: int) -> str:
    """A twin of Liv's superseding another, its id sorting before the twin it supersedes."""
    data = {
        "id": twin_id,
        "personId": "person-liv-aberg",
        "vendorId": "vendor-rawedge",
        "captureIds": LIV_CAPTURES,
        "builtAt": f"2025-{8 + version:02d}-01T12:00:00Z",
        "version": version,
        "supersedesId": supersedes,
        "commissionedById": "brand-nordhem",
    }
    return orjson.dumps({"op": "buildTwin", "input": data}).decode()


# the demo world, with a supersession chain whose ids sort against it: twin-a-v4 supersedes
# twin-aa-v3, which supersedes twin-liv-v2 (which supersedes twin-liv-v1)
WORLD = [
    *Path(str(DEMO_WORLD)).read_text().splitlines(),
    later_twin("twin-aa-v3", "twin-liv-v2", 3),
    later_twin("twin-a-v4", "twin-aa-v3", 4),
]


async def export_text(graph: Any) -> str:
    out = io.StringIO()
    await export_to(graph, out)
    return out.getvalue()


async def wipe(graph: Any) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()


async def load(graph: Any, lines: list[str], batch_size: int) -> None:
    summary = await import_lines(graph, lines, batch_size=batch_size)
    assert summary.rejected == [] and summary.applied == len(lines), summary


def shuffled_but_valid(lines: list[str], seed: int) -> list[str]:
    """The lines shuffled within each kind, kinds in the contract's order, and every twin after the
    twin it supersedes (so that the file imports in batches of any size)."""
    rng = random.Random(seed)
    by_op: dict[str, list[str]] = {op: [] for op in OP_ORDER}
    for line in lines:
        by_op[orjson.loads(line)["op"]].append(line)
    for group in by_op.values():
        rng.shuffle(group)
    supersedes = {
        data["id"]: data.get("supersedesId")
        for data in (orjson.loads(line)["input"] for line in by_op["buildTwin"])
    }

    def depth(line: str) -> int:
        found, twin_id = 0, supersedes[orjson.loads(line)["input"]["id"]]
        while twin_id is not None:
            found, twin_id = found + 1, supersedes[twin_id]
        return found

    by_op["buildTwin"].sort(key=depth)
    return [line for op in OP_ORDER for line in by_op[op]]


async def test_export_import_export_gives_the_same_bytes_whatever_the_batch_sizes(graph: Any) -> None:
    await load(graph, WORLD, batch_size=7)
    first = await export_text(graph)
    await wipe(graph)
    await load(graph, first.splitlines(), batch_size=1)
    assert await export_text(graph) == first
    await wipe(graph)
    await load(graph, first.splitlines(), batch_size=500)
    assert await export_text(graph) == first


async def test_the_export_depends_only_on_the_content_not_on_the_order_it_was_recorded_in(
    graph: Any,
) -> None:
    await load(graph, WORLD, batch_size=7)
    first = await export_text(graph)
    for seed in (1, 2):
        await wipe(graph)
        await load(graph, shuffled_but_valid(WORLD, seed), batch_size=3)
        assert await export_text(graph) == first, seed


async def test_an_exported_twin_comes_after_the_twin_it_supersedes(graph: Any) -> None:
    await load(graph, WORLD, batch_size=50)
    seen: set[str] = set()
    twins = []
    for line in (await export_text(graph)).splitlines():
        event = orjson.loads(line)
        if event["op"] == "buildTwin":
            assert event["input"].get("supersedesId") in (None, *seen), event["input"]
            seen.add(event["input"]["id"])
            twins.append(event["input"]["id"])
    assert twins.index("twin-liv-v1") < twins.index("twin-liv-v2") < twins.index("twin-aa-v3")
    assert twins.index("twin-aa-v3") < twins.index("twin-a-v4")
