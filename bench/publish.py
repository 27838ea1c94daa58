"""`publishAsset` over HTTP as the sightings grow: the cost of a write must not grow with their number.

    python -m bench.publish --work-dir DIR [--sightings 0,100000] [--requests 15]
    python -m bench.publish --work-dir DIR --sightings 0,100000,1000000     # the million: ~15 min to load

One local Neo4j in `DIR/publish` (emptied first) with a small world (a brand, a person, a twin), this
checkout's API under uvicorn, and for each count in `--sightings`, in order: sightings added until the
graph holds that many (random phashes and files, written by one UNWIND per 10,000 with the properties an
import stores, bands included; no verdicts, which a publish never reads for unrelated sightings), then
`--requests` publishes of new assets with random phashes, after `--warmup` untimed ones. Prints p50 and
p90 per count and the ratio of each p50 to the first; `--out FILE` writes them as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from pathlib import Path
from typing import Any, LiteralString

import orjson

from bench.http import GraphQLClient, HttpError
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph, wipe
from likeness.access.principals import OPERATOR
from likeness.events.contract import parse_event
from likeness.graph.driver import Graph
from likeness.graph.writes import node_row
from likeness.ingest.record import record

PUBLISH = "mutation($input: AssetInput!) { publishAsset(input: $input) { id } }"

WORLD: list[tuple[str, dict[str, Any]]] = [
    ("registerPerson", {"id": "person-ada", "name": "Ada Varga", "jurisdiction": "US-NY"}),
    ("registerOrganization", {"id": "brand-nordhem", "name": "Nordhem", "kind": "BRAND"}),
    ("registerOrganization", {"id": "vendor-uncut", "name": "Uncut", "kind": "VENDOR"}),
    ("registerOrganization", {"id": "studio-north", "name": "North", "kind": "STUDIO"}),
    ("registerOrganization", {"id": "platform-gram", "name": "Gram", "kind": "PLATFORM"}),
    (
        "recordCapture",
        {
            "id": "capture-1",
            "personIds": ["person-ada"],
            "kind": "PHOTO",
            "sha256": "0" * 64,
            "capturedAt": "2025-01-10T10:00:00Z",
            "capturedById": "studio-north",
        },
    ),
    (
        "buildTwin",
        {
            "id": "twin-ada-1",
            "personId": "person-ada",
            "vendorId": "vendor-uncut",
            "captureIds": ["capture-1"],
            "builtAt": "2025-02-01T00:00:00Z",
            "commissionedById": "brand-nordhem",
        },
    ),
]

# the sightings as an import stores them (graph.writes: props with the phash bands, input, ord)
_SIGHTINGS: LiteralString = """
    UNWIND $rows AS row
    CREATE (n:Entity:Sighting {id: row.id})
    SET n += row.props, n.input = row.input, n.ord = row.ord, n.recordedAt = datetime(),
        n.observedAt = datetime(row.props.observedAt)
"""
_COUNT: LiteralString = "MATCH (s:Sighting) RETURN count(s) AS count"


def _sighting(number: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"sighting-{number:08d}",
        "url": f"https://gram.example/{number}",
        "observedAt": "2025-04-01T00:00:00Z",
        "platformId": "platform-gram",
        "sha256": f"{rng.getrandbits(256):064x}",
        "phash": f"{rng.getrandbits(64):016x}",
    }


async def _grow_sightings(graph: Graph, total: int, rng: random.Random, batch: int = 10_000) -> None:
    have = (await graph.query(_COUNT))[0]["count"]
    started = time.perf_counter()
    for first in range(have, total, batch):
        rows = [
            node_row(parse_event("reportSighting", _sighting(n, rng)), n)
            for n in range(first, min(first + batch, total))
        ]

        async def work(tx: Any, rows: list[dict[str, Any]] = rows) -> None:
            await (await tx.run(_SIGHTINGS, rows=rows)).consume()

        await graph.write(work)
    if total > have:
        print(f"  {total - have} sightings written in {time.perf_counter() - started:.0f} s")


def _asset(number: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"asset-bench-{number:05d}",
        "publisherId": "brand-nordhem",
        "twinIds": ["twin-ada-1"],
        "sha256": f"{rng.getrandbits(256):064x}",
        "phash": f"{rng.getrandbits(64):016x}",
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2025-03-01T12:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {"p50": round(statistics.median(ms), 1), "p90": round(ms[max(0, int(len(ms) * 0.9) - 1)], 1)}


async def main(args: argparse.Namespace) -> None:
    counts = [int(text) for text in args.sightings.split(",")]
    if counts != sorted(counts):
        raise SystemExit("--sightings: counts in increasing order (the graph only grows)")
    spec = Neo4jSpec(uri=None, data_dir=args.work_dir, heap=args.heap, pagecache=args.pagecache)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    results: list[dict[str, Any]] = []
    with neo4j(spec, "publish") as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            await wipe(graph)
            for op, data in WORLD:
                await record(graph, OPERATOR, [parse_event(op, data)])
            api = Api(uri=uri, spec=spec)
            api.start(args.work_dir)
            try:
                client = GraphQLClient("127.0.0.1", api.port, api.token)
                published = 0
                for count in counts:
                    await _grow_sightings(graph, count, rng)
                    timed: list[float] = []
                    for n in range(args.warmup + args.requests):
                        started = time.perf_counter()
                        published += 1
                        try:
                            await client.data(PUBLISH, {"input": _asset(published, rng)})
                        except HttpError as error:  # a cold first write may pass the deadline: not timed
                            if n >= args.warmup:
                                raise
                            print(f"  warm-up publish {n}: {error}"[:160])
                            continue
                        if n >= args.warmup:
                            timed.append(time.perf_counter() - started)
                    result = {"sightings": count, "requests": args.requests, **_summary(timed)}
                    results.append(result)
                    print(f"{count:>9} sightings: publishAsset p50 {result['p50']} ms, p90 {result['p90']}")
                client.close()
            finally:
                api.stop()
        finally:
            await graph.close()
    for result in results:
        result["ratio_p50"] = round(result["p50"] / results[0]["p50"], 2)
    print("ratio of p50 to the first count:", [(r["sightings"], r["ratio_p50"]) for r in results])
    if args.out is not None:
        args.out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the bench's own Neo4j data")
    parser.add_argument("--sightings", default="0,100000", help="counts, increasing, comma-separated")
    parser.add_argument("--requests", type=int, default=15, help="timed publishes per count")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="512m")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    asyncio.run(main(parser.parse_args()))
