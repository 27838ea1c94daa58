"""The page of 1,000 assets (five fields and the publisher's name) of the organization publishing the most,
over HTTP, against the same query written by hand in Cypher:

    python -m bench.asset_page --assets 20000 --work-dir /work/data-<you> [--old-list]

Loads the bench world once into `<work-dir>/import` (reused after), serves this checkout's API with
uvicorn, and prints p50/p90 of each. `--old-list` asks the shape the API had before lists became
connections (`assets { … }`, the whole list): copy this file into an older checkout and run it there
for the "before".
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any, LiteralString

import orjson

from bench import loading
from bench.http import GraphQLClient, HttpError
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph

FIELDS = "id sha256 channel mediaType publishedAt publisher { name }"
PAGE = (
    "query($id: ID!) { organization(id: $id) { assets(first: 1000, orderBy: {field: PUBLISHED_AT, "
    "direction: DESC}) { totalCount nodes { " + FIELDS + " } } } }"
)
OLD_LIST = "query($id: ID!) { organization(id: $id) { assets { " + FIELDS + " } } }"

_BUSIEST: LiteralString = """
    MATCH (o:Organization)<-[:PUBLISHED_BY]-(a:Asset)
    RETURN o.id AS id, count(a) AS assets ORDER BY assets DESC LIMIT 1
"""
# the same answer by hand: the count and the 1,000 latest assets with their publisher's name
RAW: LiteralString = """
    MATCH (o:Entity {id: $id})
    CALL (o) { MATCH (o)<-[:PUBLISHED_BY]-(a:Asset) RETURN count(a) AS total }
    CALL (o) {
      MATCH (o)<-[:PUBLISHED_BY]-(a:Asset)
      WITH a ORDER BY a.publishedAt DESC, a.id DESC LIMIT 1000
      RETURN collect(a {.id, .sha256, .channel, .mediaType, publishedAt: toString(a.publishedAt),
                        publisher: COLLECT { MATCH (a)-[:PUBLISHED_BY]->(p) RETURN p {.name} }[0]}) AS page
    }
    RETURN total, page
"""


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {"p50": round(statistics.median(ms), 1), "p90": round(ms[int(len(ms) * 0.9) - 1], 1)}


async def main(args: argparse.Namespace) -> None:
    spec = Neo4jSpec(uri=None, data_dir=args.work_dir, heap="1g", pagecache="512m")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    world = args.work_dir / f"world-{args.assets}-s1-v0.1.jsonl"
    facts = loading.generate(world, assets=args.assets, seed=1, violations=0.1)
    marker = args.work_dir / "asset-page-loaded.json"
    with neo4j(spec, "import") as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            if not marker.exists():
                loaded = await loading.likeness_import(
                    graph, world, events=facts["events"], assets=args.assets, batch_size=2000, log=print
                )
                marker.write_bytes(orjson.dumps(loaded))
            busiest = (await graph.query(_BUSIEST))[0]
            print(f"organization {busiest['id']} publishes {busiest['assets']} assets")
            raw: list[float] = []
            for n in range(args.warmup + args.requests):
                started = time.perf_counter()
                await graph.query(RAW, id=busiest["id"])
                if n >= args.warmup:
                    raw.append(time.perf_counter() - started)
            print("hand-written Cypher (driver, in process):", _summary(raw))
            api = Api(uri=uri, spec=spec)
            api.start(args.work_dir)
            try:
                client = GraphQLClient("127.0.0.1", api.port, api.token)
                query = OLD_LIST if args.old_list else PAGE
                timed: list[float] = []
                data: Any = None
                for n in range(args.warmup + args.requests):
                    started = time.perf_counter()
                    try:
                        data = await client.data(query, {"id": busiest["id"]})
                    except HttpError as error:  # a cold first request may pass the deadline: not timed
                        if n >= args.warmup:
                            raise
                        print(f"warm-up request {n}: {error}"[:200])
                        continue
                    if n >= args.warmup:
                        timed.append(time.perf_counter() - started)
                assets = data["organization"]["assets"]
                rows = assets if args.old_list else assets["nodes"]
                print(
                    f"API over HTTP ({'old list' if args.old_list else 'connection'}, {len(rows)} assets):",
                    _summary(timed),
                )
            finally:
                api.stop()
        finally:
            await graph.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=20_000)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--old-list", action="store_true")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
