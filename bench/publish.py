"""`publishAsset` over HTTP as the sightings grow: the cost of a write must not grow with their number.

    python -m bench.publish --work-dir DIR [--sightings 0,100000] [--requests 15]
    python -m bench.publish --work-dir DIR --sightings 0,100000,1000000     # the million: ~15 min to load
    python -m bench.publish --work-dir DIR --sightings 0,100000,1000000 --load-only   # load now …
    python -m bench.publish --work-dir DIR --sightings 0,100000,1000000 --reuse       # … time later

For each count in `--sightings`, a local Neo4j of its own in `DIR/publish-COUNT` (emptied first, unless
`--reuse` finds it holding that many sightings) with a small world (a brand, a person, a twin) and that
many sightings (random phashes and files, written by one UNWIND per 10,000 with the properties an import
stores, bands included; no verdicts, which a publish never reads for unrelated sightings); then this
checkout's API under uvicorn and `--requests` publishes of new assets with random phashes, after
`--warmup` untimed ones. Prints p50 and p90 per count and the ratio of each p50 to the first; `--out
FILE` writes them as JSON. `--load-only` loads the databases and times nothing (the loading can run
while the machine is busy; the timing wants it quiet).
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


def _asset(number: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"asset-bench-{number}",
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


async def _ready_world(graph: Graph, count: int, rng: random.Random, reuse: bool) -> None:
    """The small world and `count` sightings, in this count's own database (kept for --reuse)."""
    if reuse and (await graph.query(_COUNT))[0]["count"] == count:
        return
    await wipe(graph)
    for op, data in WORLD:
        await record(graph, OPERATOR, [parse_event(op, data)])
    await _grow_sightings(graph, count, rng)


async def _time_publishes(
    api: Api, count: int, rng: random.Random, args: argparse.Namespace
) -> dict[str, Any]:
    client = GraphQLClient("127.0.0.1", api.port, api.token)
    run = f"{time.time_ns():x}"  # new ids every run: a --reuse run adds assets, never repeats one
    timed: list[float] = []
    try:
        for n in range(args.warmup + args.requests):
            started = time.perf_counter()
            try:
                await client.data(PUBLISH, {"input": _asset(f"{run}-{n}", rng)})
            except HttpError as error:  # a cold first write may pass the deadline: not timed
                if n >= args.warmup:
                    raise
                print(f"  warm-up publish {n}: {error}"[:160])
                continue
            if n >= args.warmup:
                timed.append(time.perf_counter() - started)
    finally:
        client.close()
    return {"sightings": count, "requests": args.requests, **_summary(timed)}


async def main(args: argparse.Namespace) -> None:
    counts = [int(text) for text in args.sightings.split(",")]
    spec = Neo4jSpec(uri=None, data_dir=args.work_dir, heap=args.heap, pagecache=args.pagecache)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    results: list[dict[str, Any]] = []
    for count in counts:
        # one database per count: each can be loaded ahead (--load-only) and timed later (--reuse)
        with neo4j(spec, f"publish-{count}") as uri:
            graph = await open_bench_graph(spec, uri)
            try:
                await _ready_world(graph, count, rng, args.reuse)
                if args.load_only:
                    continue
                api = Api(uri=uri, spec=spec)
                api.start(args.work_dir)
                try:
                    result = await _time_publishes(api, count, rng, args)
                finally:
                    api.stop()
            finally:
                await graph.close()
        results.append(result)
        print(f"{count:>9} sightings: publishAsset p50 {result['p50']} ms, p90 {result['p90']}")
    if not results:
        return
    for result in results:
        result["ratio_p50"] = round(result["p50"] / results[0]["p50"], 2)
    print("ratio of p50 to the first count:", [(r["sightings"], r["ratio_p50"]) for r in results])
    if args.out is not None:
        args.out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the bench's own Neo4j data")
    parser.add_argument("--sightings", default="0,100000", help="counts, increasing, comma-separated")
    parser.add_argument("--requests", type=int, default=15, help="timed publishes per count")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="512m")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument("--load-only", action="store_true", help="load each count's database, time nothing")
    parser.add_argument("--reuse", action="store_true", help="time a database loaded before for its count")
    asyncio.run(main(parser.parse_args()))
