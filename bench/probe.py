"""The read queries at a million assets, without the million-asset import: a scale probe.

Loading a million-asset world through `likeness import` takes hours on this machine, so this probe
builds, in a Neo4j of its own, only what the read queries touch, at full size: a million assets with
random perceptual hashes, the verdict spans of a loaded world copied over until there are as many as
a million-asset world stores (same codes, instants and shape, new subject ids), and one person whose
twin a given number of those assets render. Then it times the graph layer's own functions — the
Cypher and decoding the API runs, without GraphQL or HTTP — for audit, similarAssets and
likenessUsage.

    python -m bench probe --from-world data/bench50k/import --assets 1000000

It measures the database side of the targets at the target size; it is not the API at that size.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, LiteralString

import orjson

from bench.machine import load, machine, shown_path, versions
from bench.questions import AS_OF
from bench.servers import Neo4jSpec, neo4j, open_bench_graph, server_facts
from bench.timing import summary
from likeness.graph.audit import AuditFilter, audit_page
from likeness.graph.driver import Graph
from likeness.graph.phash import band_properties
from likeness.graph.similarity import similar_assets
from likeness.graph.usage import usage_page
from likeness.graph.verdict_counts import backfill_verdict_counts

BATCH = 10_000
FAR_PAST = datetime(1900, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)

_SPANS: LiteralString = """
    MATCH (v:Verdict)
    RETURN v {.*, start: toString(v.start), end: toString(v.end), occurredAt: toString(v.occurredAt)} AS v
"""
_CREATE_ASSETS: LiteralString = """
    UNWIND $rows AS row
    MATCH (p:Entity {id: row.person})
    CREATE (a:Entity:Asset {id: row.id, phash: row.phash, publishedAt: datetime(row.publishedAt),
                            channel: 'WEB',
                            mediaType: 'IMAGE', territories: ['SE'], sha256: row.id, aiLabel: true,
                            machineReadableMark: true, publisherId: 'brand-probe', twinIds: [row.twin]})
    SET a += row.bands
    CREATE (p)-[:USED_IN {personId: row.person, publishedAt: a.publishedAt, assetId: row.id}]->(a)
"""
# the people the non-star uses belong to, so that the use index holds a million entries like a
# million-asset world's (graph.writes.USES), of which the star's are a few thousand
FILLER_PERSONS = 200
_FILLERS: LiteralString = """
    UNWIND range(0, $count - 1) AS i
    CREATE (:Entity:Person {id: 'person-probe-' + toString(i), name: 'Probe ' + toString(i)})
"""
_CREATE_SPANS: LiteralString = """
    UNWIND $rows AS row
    CREATE (v:Verdict)
    SET v = row, v.start = datetime(row.start), v.end = datetime(row.end),
        v.occurredAt = datetime(row.occurredAt)
"""
_STAR: LiteralString = """
    CREATE (p:Entity:Person {id: 'person-probe-star', name: 'Probe Star'})
    CREATE (t:Entity:Twin {id: 'twin-probe-star', personId: 'person-probe-star'})-[:REPLICA_OF]->(p)
    WITH p, t
    UNWIND $ids AS id
    MATCH (a:Entity {id: id})
    CREATE (a)-[:RENDERS]->(t)
    CREATE (p)-[:USED_IN {personId: p.id, publishedAt: a.publishedAt, assetId: a.id}]->(a)
"""


async def _consume(tx: Any, cypher: LiteralString, **params: Any) -> None:
    await (await tx.run(cypher, params)).consume()


async def _write(graph: Graph, cypher: LiteralString, rows: Iterator[dict[str, Any]]) -> int:
    """Write rows in batches of BATCH, one transaction each; returns how many."""
    written = 0
    while batch := list(islice(rows, BATCH)):

        async def work(tx: Any, batch: list[dict[str, Any]] = batch) -> None:
            await (await tx.run(cypher, rows=batch)).consume()

        await graph.write(work)
        written += len(batch)
    return written


def _assets(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(count):
        value = rng.getrandbits(64)
        yield {
            "id": f"asset-{i:08d}",
            "phash": f"{value:016x}",
            "twin": "twin-probe-star",
            "person": f"person-probe-{i % FILLER_PERSONS}",
            "bands": band_properties(f"{value:016x}"),
            "publishedAt": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
        }


def _spans(spans: list[dict[str, Any]], copies: int, assets: int) -> Iterator[dict[str, Any]]:
    """The world's spans, `copies` times, each copy's subjects renamed onto the probe's assets."""
    subjects = {subject: index for index, subject in enumerate(sorted({span["subjectId"] for span in spans}))}
    for copy in range(copies):
        for span in spans:
            subject = f"asset-{(copy * len(subjects) + subjects[span['subjectId']]) % assets:08d}"
            yield {**span, "subjectId": subject, "vkey": f"{subject}|{span['vkey'].split('|', 1)[1]}"}


async def build(
    graph: Graph, spans: list[dict[str, Any]], *, world_assets: int, assets: int, star_uses: int, seed: int
) -> dict[str, Any]:
    """A million-asset-sized graph of what the read queries touch; returns what was built."""
    rng = random.Random(seed)
    started = time.perf_counter()
    await graph.write(lambda tx: _consume(tx, _FILLERS, count=FILLER_PERSONS))
    await _write(graph, _CREATE_ASSETS, _assets(assets, rng))
    copies = max(1, round(assets / world_assets))
    written = await _write(graph, _CREATE_SPANS, _spans(spans, copies, assets))
    # the spans were written around likeness.verdicts, so their audit counts are recounted as an
    # existing database's would be (`likeness reevaluate --counts-only`)
    counted = time.perf_counter()
    buckets = await backfill_verdict_counts(graph)
    counting = round(time.perf_counter() - counted, 1)
    star = sorted(rng.sample(range(assets), min(star_uses, assets)))
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(_STAR, ids=[f"asset-{i:08d}" for i in star])).consume()
        await (await session.run("CALL db.awaitIndexes(600)")).consume()
    return {
        "assets": assets,
        "verdict_spans": written,
        "span_copies": copies,
        "star_uses": len(star),
        "count_buckets": buckets,
        "count_backfill_seconds": counting,
        "seconds": round(time.perf_counter() - started, 1),
    }


async def _time(call: Any, count: int, warmup: int = 3) -> dict[str, Any]:
    for index in range(warmup):
        await call(index)
    before = load()
    latencies = []
    started = time.perf_counter()
    for index in range(count):
        t0 = time.perf_counter()
        await call(warmup + index)
        latencies.append(time.perf_counter() - t0)
    result = summary(latencies, time.perf_counter() - started)
    result["load"] = {"before": before, "after": load()}
    return result


async def probe(
    spec: Neo4jSpec, source: Path, *, assets: int, star_uses: int, requests: int, seed: int, out: Path
) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine(), "versions": versions()}
    world = Neo4jSpec(uri=None, data_dir=source.parent, heap=spec.heap, pagecache=spec.pagecache)
    with neo4j(world, source.name) as uri:
        graph = await open_bench_graph(world, uri)
        spans = [row["v"] for row in await graph.query(_SPANS)]
        world_assets = (await graph.query("MATCH (a:Asset) RETURN count(a) AS n"))[0]["n"]
        await graph.close()
    with neo4j(spec, "probe") as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            result["neo4j"] = {**await server_facts(graph), "heap": spec.heap, "pagecache": spec.pagecache}
            result["built"] = await build(
                graph, spans, world_assets=world_assets, assets=assets, star_uses=star_uses, seed=seed
            )
            result["built"]["from_world"] = {
                "path": shown_path(source),
                "assets": world_assets,
                "verdict_spans": len(spans),
            }
            rng = random.Random(seed + 1)
            flt = AuditFilter(as_of=AS_OF, start=FAR_PAST, end=FAR_FUTURE)
            result["audit"] = await _time(lambda i: audit_page(graph, flt, after=None, limit=101), requests)
            probes = [f"{rng.getrandbits(64):016x}" for _ in range(requests + 3)]
            result["similar_assets"] = await _time(
                lambda i: similar_assets(graph, phash=probes[i], max_distance=8, limit=50), requests
            )

            def usage(by_traversal: bool) -> Any:
                return usage_page(
                    graph,
                    person_id="person-probe-star",
                    start=FAR_PAST,
                    end=FAR_FUTURE,
                    as_of=AS_OF,
                    after=None,
                    limit=51,
                    by_traversal=by_traversal,
                )

            # the shipped read (the per-person use index), then the traversal it replaced, same answers
            result["likeness_usage"] = await _time(lambda i: usage(False), requests)
            result["likeness_usage_by_traversal"] = await _time(lambda i: usage(True), requests)
            indexed, traversed = await usage(False), await usage(True)
            result["likeness_usage"]["total"] = indexed[1]
            result["likeness_usage"]["answers_equal"] = repr(indexed) == repr(traversed)
        finally:
            await graph.close()
    result["machine"]["load_at_end"] = load()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2, default=str) + b"\n")
    return result


def run(
    spec: Neo4jSpec, source: Path, *, assets: int, star_uses: int, requests: int, seed: int, out: Path
) -> dict[str, Any]:
    return asyncio.run(
        probe(spec, source, assets=assets, star_uses=star_uses, requests=requests, seed=seed, out=out)
    )
