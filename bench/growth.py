"""How cost grows with the record: the same questions asked of worlds of several sizes (issue 26).

    python -m bench.growth --root DIR [--sizes 20000,200000,1000000] [--requests 30] [--out FILE]

Each size's world is the benchmark's own (bench.world, seed 1), loaded by `likeness import` into a local
Neo4j in `DIR/gN` — the layout `python -m bench run --assets N --skip-raw --work-dir DIR/gN` leaves, so a
world that run loaded is reused, and one that is missing is loaded here first (a million: ~50 minutes).
Every size runs with the same Neo4j heap and page cache, the store read into the page cache first (every
node's and relationship's properties, the id and verdict indexes). For each size, one size at a time: the API
under uvicorn, `--warmup` untimed then `--requests` timed requests of each question, one after the other:

- provenance of a random asset, as of the planted instant (and its hand-written Cypher, interleaved);
- a person's usages: the first page of the person with the most uses (and its Cypher);
- the audit's first page of 100 verdicts (and its Cypher);
- `trace` by a phash near a random asset's, and `trace` of a 320×240 JPEG sent as a file;
- `publishAsset` of a new asset rendering a random asset's twins for its publisher (random phash);
- `reportSighting` of a new sighting with a random phash (matched against every asset by the bands).

Before the questions, it counts the candidates a trace by phash within 8 bits compares (stored hashes
sharing a wide band value within the probe's radius, graph.phash), per label, over the same phashes.
The writes come last, so every read sees the loaded world. `--load-only` loads the missing worlds (the
machine may be busy then) and asks nothing. Prints and writes (`--out`, JSON and a
Markdown table beside it) p50 and p90 per question and size, and each p50's ratio to the smallest size's.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, LiteralString

import httpx
import numpy as np
import orjson
from PIL import Image

from bench import loading, questions
from bench.http import GraphQLClient
from bench.machine import load, machine, shown_path, versions
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph
from bench.suite import Options, import_world, paired
from bench.timing import percentile
from likeness.graph.driver import Graph
from likeness.graph.trace import band_statement, probes

PUBLISH_GQL = "mutation($input: AssetInput!) { publishAsset(input: $input) { id } }"
SIGHTING_GQL = "mutation($input: SightingInput!) { reportSighting(input: $input) { id } }"
TRACE_GQL = """
query Trace($phash: String, $asOf: DateTime, $file: Upload) {
  trace(phash: $phash, file: $file, asOf: $asOf, first: 20) {
    matches { distance asset { id } } bestMatch { distance }
  }
}"""

# what a new asset copies from a random existing one: its twins, publisher and kind of use
_TEMPLATES = """
    UNWIND $ids AS id
    MATCH (a:Entity {id: id})
    RETURN a.id AS id, a.mediaType AS mediaType, a.channel AS channel, a.territories AS territories,
      [(a)-[:RENDERS]->(t) | t.id] AS twins, [(a)-[:PUBLISHED_BY]->(o) | o.id][0] AS publisher
"""

# the store read once into Neo4j's page cache before any question (a server just started on a loaded
# world answers its first questions from disk: 3-5 times slower here, and not what a running API sees)
_WARM: list[LiteralString] = [
    "MATCH (n) RETURN sum(size(keys(properties(n)))) AS read",
    "MATCH ()-[r]->() RETURN sum(size(keys(properties(r)))) AS read",
    "MATCH (n:Entity) WHERE n.id > '' RETURN count(n) AS read",
    "MATCH (v:Verdict) WHERE v.occurredAt > datetime('1900-01-01T00:00:00Z') RETURN count(v) AS read",
]

Ask = Callable[[int], Awaitable[Any]]


async def _candidates(graph: Graph, phashes: list[str]) -> dict[str, float]:
    """The mean number of candidates per label a trace within 8 bits of each of `phashes` compares (the
    trace's own band statement and probes, graph.trace)."""
    found: dict[str, float] = {}
    for label in ("Asset", "Capture"):
        counts = []
        for phash in phashes:
            layout, probe = probes([phash], 8)
            counts.append(len(await graph.query(band_statement(label, layout), **probe)))
        found[label] = round(sum(counts) / len(counts), 2)
    return found


def picture(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (240, 320, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


async def _timed(ask: Ask, *, requests: int, warmup: int) -> dict[str, Any]:
    for index in range(warmup):
        await ask(index)
    before = load()
    seconds: list[float] = []
    for index in range(requests):
        started = time.perf_counter()
        await ask(warmup + index)
        seconds.append(time.perf_counter() - started)
    return {
        "p50": round(percentile(seconds, 0.5) * 1000, 2),
        "p90": round(percentile(seconds, 0.9) * 1000, 2),
        "requests": requests,
        "load": {"before": before, "after": load()},
    }


def _paired_figures(paired: dict[str, Any]) -> dict[str, Any]:
    return {
        "p50": paired["api"]["p50_ms"],
        "p90": paired["api"]["p90_ms"],
        "raw_p50": paired["raw"]["p50_ms"],
        "requests": paired["api"]["requests"],
        "mismatches": paired["mismatches"],
        "load": paired["load"],
    }


async def _ensure_loaded(options: Options, spec: Neo4jSpec, log: Any) -> dict[str, Any]:
    world = options.work_dir / f"world-{options.assets}-s{options.seed}-v{options.violations}.jsonl"
    facts = loading.generate(world, assets=options.assets, seed=options.seed, violations=options.violations)
    marker = options.work_dir / "loaded.json"
    if marker.exists() and orjson.loads(marker.read_bytes()).get("key") == options.world_key():
        return orjson.loads(marker.read_bytes())["load"]
    log(f"loading the world of {options.assets} assets into {options.work_dir / 'import'} …")
    with neo4j(spec, "import") as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            loaded = {"import": await import_world(options, graph, world, facts["events"])}
        finally:
            await graph.close()
    marker.write_bytes(orjson.dumps({"key": options.world_key(), "load": loaded}))
    return loaded


async def measure_size(options: Options, args: argparse.Namespace, log: Any) -> dict[str, Any]:
    """The questions of the module's docstring, asked of the world of `options.assets` assets."""
    spec = options.spec()
    options.work_dir.mkdir(parents=True, exist_ok=True)
    await _ensure_loaded(options, spec, log)
    total = args.warmup + args.requests
    found: dict[str, Any] = {"assets": options.assets}
    with neo4j(spec, "import") as uri:
        graph = await open_bench_graph(spec, uri)
        api = Api(uri=uri, spec=spec)
        try:
            found["counts"] = await loading.graph_counts(graph)
            warming = time.perf_counter()
            for cypher in _WARM:
                await graph.query(cypher)
            found["warm_seconds"] = round(time.perf_counter() - warming, 1)
            inputs = await questions.choose_inputs(graph, seed=options.seed, count=total)
            found["star_uses"] = inputs.star_uses
            found["trace_candidates"] = await _candidates(graph, inputs.phashes)
            templates = await graph.query(_TEMPLATES, ids=inputs.asset_ids)
            api.start(log_dir=options.work_dir)
            found["questions"] = await _ask(api, graph, inputs, templates, args, log)
        finally:
            api.stop()
            await graph.close()
    return found


async def _ask(
    api: Api, graph: Graph, inputs: questions.Inputs, templates: list[dict[str, Any]], args: Any, log: Any
) -> dict[str, Any]:
    client = GraphQLClient("127.0.0.1", api.port, api.token)
    files = httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}", timeout=60)
    as_of = questions.AS_OF_TEXT
    run = f"{time.time_ns():x}"  # new ids every run: a second run on the same world adds, never repeats
    rng = random.Random(args.seed)
    timing = {"requests": args.requests, "warmup": args.warmup}
    asked: dict[str, Any] = {}

    async def provenance(i: int) -> Any:
        data = await client.data(questions.PROVENANCE_GQL, {"id": inputs.asset_ids[i], "asOf": as_of})
        return questions.api_provenance(data)

    async def raw_provenance(i: int) -> Any:
        return await questions.raw_provenance(graph, inputs.asset_ids[i])

    async def usage(i: int) -> Any:
        variables = {"person": inputs.star_person, "asOf": as_of, "first": questions.USAGE_PAGE}
        return questions.api_usage(await client.data(questions.USAGE_GQL, variables))

    async def raw_usage(i: int) -> Any:
        return await questions.raw_usage(graph, inputs.star_person)

    async def audit(i: int) -> Any:
        data = await client.data(questions.AUDIT_GQL, {"asOf": as_of, "first": questions.AUDIT_PAGE})
        return questions.api_audit(data)

    async def raw_audit(i: int) -> Any:
        return await questions.raw_audit(graph)

    async def trace_phash(i: int) -> Any:
        return await client.data(TRACE_GQL, {"phash": inputs.phashes[i], "asOf": as_of})

    async def trace_file(i: int) -> Any:
        operations = {"query": TRACE_GQL, "variables": {"phash": None, "file": None, "asOf": as_of}}
        response = await files.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("found.jpg", picture(args.seed * 1000 + i), "image/jpeg")},
            headers={"Authorization": f"Bearer {api.token}"},
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise SystemExit(f"trace with a file was refused: {body}")
        return body["data"]

    async def publish(i: int) -> Any:
        template = templates[i % len(templates)]
        asset = {
            "id": f"asset-growth-{run}-{i}",
            "publisherId": template["publisher"],
            "twinIds": template["twins"],
            "mediaType": template["mediaType"],
            "channel": template["channel"],
            "territories": template["territories"],
            "sha256": f"{rng.getrandbits(256):064x}",
            "phash": f"{rng.getrandbits(64):016x}",
            "publishedAt": "2026-06-01T12:00:00Z",
            "aiLabel": True,
            "machineReadableMark": True,
        }
        return await client.data(PUBLISH_GQL, {"input": asset})

    async def sighting(i: int) -> Any:
        found = {
            "id": f"sighting-growth-{run}-{i}",
            "url": f"https://found.example/{run}/{i}",
            "observedAt": "2026-06-02T12:00:00Z",
            "sha256": f"{rng.getrandbits(256):064x}",
            "phash": f"{rng.getrandbits(64):016x}",
        }
        return await client.data(SIGHTING_GQL, {"input": found})

    try:
        for name, ask, raw in (
            ("provenance", provenance, raw_provenance),
            ("person's usages", usage, raw_usage),
            ("audit, first page", audit, raw_audit),
        ):
            log(f"  {name} …")
            asked[name] = _paired_figures(await paired(ask, raw, **timing))
        for name, ask in (
            ("trace by phash", trace_phash),
            ("trace of a file", trace_file),
            ("publishAsset", publish),
            ("reportSighting", sighting),
        ):
            log(f"  {name} …")
            asked[name] = await _timed(ask, **timing)
    finally:
        client.close()
        await files.aclose()
    return asked


def table(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    head = (
        "| question | "
        + " | ".join(f"{size['assets']:,} assets" for size in sizes)
        + " | largest / smallest |"
    )
    lines = [head, "|---|" + "---:|" * (len(sizes) + 1)]
    for name in sizes[0]["questions"]:
        cells = []
        for size in sizes:
            figures = size["questions"][name]
            raw = f" (Cypher {figures['raw_p50']})" if "raw_p50" in figures else ""
            cells.append(f"{figures['p50']} / {figures['p90']}{raw}")
        ratio = sizes[-1]["questions"][name]["p50"] / sizes[0]["questions"][name]["p50"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | **{ratio:.2f}×** |")
    if all("trace_candidates" in size for size in sizes):
        counts = [size["trace_candidates"] for size in sizes]
        cells = [f"{found['Asset']} assets, {found['Capture']} captures" for found in counts]
        ratio = counts[-1]["Asset"] / max(counts[0]["Asset"], 0.01)
        lines.append("| candidates a trace by phash compares | " + " | ".join(cells) + f" | {ratio:.1f}× |")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    sizes = [int(text) for text in args.sizes.split(",")]
    result: dict[str, Any] = {"machine": machine(), "versions": versions(), "sizes": []}
    started = time.perf_counter()
    for assets in sizes:
        options = Options(
            assets=assets,
            work_dir=args.root / f"g{assets}",
            heap=args.heap,
            pagecache=args.pagecache,
            skip_raw=True,
            seed=args.seed,
        )
        print(f"{assets:,} assets:")
        if args.load_only:
            options.work_dir.mkdir(parents=True, exist_ok=True)
            print(f"  loaded: {await _ensure_loaded(options, options.spec(), print)}")
            continue
        size = await measure_size(options, args, print)
        result["sizes"].append(size)
        for name, figures in size["questions"].items():
            print(f"  {name}: p50 {figures['p50']} ms, p90 {figures['p90']} ms")
    if args.load_only:
        return
    smallest = result["sizes"][0]["questions"]
    for size in result["sizes"]:
        for name, figures in size["questions"].items():
            figures["ratio_p50"] = round(figures["p50"] / smallest[name]["p50"], 2)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["root"] = shown_path(args.root)
    result["machine"]["load_at_end"] = load()
    print(table(result))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
        args.out.with_suffix(".md").write_text(
            f"p50 / p90 in ms over HTTP ({args.requests} requests after {args.warmup}; "
            f"Neo4j heap {args.heap}, page cache {args.pagecache})\n\n{table(result)}\n"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the worlds' folder (DIR/gN per size)")
    parser.add_argument("--sizes", default="20000,200000,1000000", help="assets, increasing, comma-separated")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per question and size")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--load-only", action="store_true", help="only load the worlds missing (the machine may be busy)"
    )
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="6g")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON (and .md) here")
    asyncio.run(main(parser.parse_args()))
