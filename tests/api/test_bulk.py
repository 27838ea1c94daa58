"""Bulk import and export: validation by line, batches that land whole, and a faithful round trip."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson

from likeness.demo import DEMO_WORLD
from likeness.ingest.bulk import export_to, import_lines
from tests.factories import asset, base_world


def event(op: str, data: dict[str, Any]) -> str:
    return orjson.dumps({"op": op, "input": data}).decode()


async def export_text(graph: Any) -> str:
    out = io.StringIO()
    await export_to(graph, out)
    return out.getvalue()


async def test_export_then_import_into_an_empty_graph_gives_the_same_file(graph: Any) -> None:
    lines = Path(str(DEMO_WORLD)).read_text().splitlines()
    summary = await import_lines(graph, lines, batch_size=17)
    assert summary.rejected == [] and summary.applied == len(lines)
    first = await export_text(graph)
    verdicts = await graph.query("MATCH (v:Verdict) RETURN count(v) AS n")
    await graph.query("MATCH (n) RETURN 1 LIMIT 0")
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    again = await import_lines(graph, first.splitlines(), batch_size=500)
    assert again.rejected == [] and again.applied == len(first.splitlines())
    assert await export_text(graph) == first
    assert await graph.query("MATCH (v:Verdict) RETURN count(v) AS n") == verdicts


async def test_a_reimport_is_unchanged_and_bad_lines_are_reported_by_number(graph: Any) -> None:
    lines = Path(str(DEMO_WORLD)).read_text().splitlines()
    await import_lines(graph, lines)
    before = await export_text(graph)
    extra = [
        "not json",
        event("publishAsset", asset("asset-bad", sha256="zz")),
        event("publishAsset", asset("asset-orphan", 7) | {"twinIds": ["twin-missing"]}),
        event("launchRocket", {}),
        event("registerPerson", {"id": "person-liv-aberg", "name": "Someone Else"}),
    ]
    summary = await import_lines(graph, lines + extra)
    assert summary.unchanged == len(lines) and summary.applied == 0
    reasons = dict(summary.rejected)
    base = len(lines)
    assert set(reasons) == {base + 1, base + 2, base + 3, base + 4, base + 5}
    assert "JSON" in reasons[base + 1]
    assert "sha256" in reasons[base + 2]
    assert "twin-missing" in reasons[base + 3]
    assert "op" in reasons[base + 4]
    assert "name" in reasons[base + 5]
    assert await export_text(graph) == before


async def test_a_line_that_refers_to_a_rejected_line_is_rejected_too(api: Any, graph: Any) -> None:
    await base_world(api)
    lines = [
        event(
            "createCampaign",
            {
                "id": "campaign-x",
                "brandId": "brand-nordhem",
                "name": "X",
                "startsAt": "2025-05-01T00:00:00Z",
                "endsAt": "2025-01-01T00:00:00Z",
            },
        ),
        event("publishAsset", asset("asset-in-x", 5, campaignId="campaign-x")),
        event("publishAsset", asset("asset-fine", 6)),
    ]
    summary = await import_lines(graph, lines)
    assert [number for number, _ in summary.rejected] == [1, 2]
    assert summary.applied == 1
    assert await graph.query("MATCH (a:Asset) RETURN a.id AS id") == [{"id": "asset-fine"}]


async def test_each_imported_batch_is_one_entry_in_the_tamper_evident_log(graph: Any) -> None:
    from likeness.access.log import first_broken_seq

    lines = Path(str(DEMO_WORLD)).read_text().splitlines()
    await import_lines(graph, lines, batch_size=40, source="demo.jsonl")
    entries = await graph.query(
        "MATCH (e:LogEntry {operation: 'import'}) RETURN e.target AS target ORDER BY e.seq"
    )
    # one entry per batch of 40 lines, the last one shorter
    assert [e["target"] for e in entries] == [
        f"demo.jsonl:{start + 1}-{min(start + 40, len(lines))}" for start in range(0, len(lines), 40)
    ]
    assert len(entries) == 4
    assert await first_broken_seq(graph) is None
