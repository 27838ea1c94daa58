"""One benchmark run, end to end: world → raw load and `likeness import` → API vs Cypher → report."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench import loading, peer, questions, report
from bench.http import GraphQLClient, HttpError
from bench.machine import ROOT, load, machine, shown_path, versions
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph, server_facts, wipe
from bench.timing import percentile, summary
from likeness.graph.driver import Graph


@dataclass
class Options:
    assets: int = 20_000
    seed: int = 1
    violations: float = 0.1
    out: Path = ROOT / "bench" / "results"
    work_dir: Path = ROOT / "data" / "bench"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    wipe: bool = False
    heap: str = "2g"
    pagecache: str = "1g"
    batch: int = 2000
    requests: int = 200
    warmup: int = 20
    big_page_requests: int = 10
    serialization_objects: int = 10_000
    clients: int = 16
    seconds: float = 20.0
    max_requests: int = 20_000
    workers: int = 1
    reuse: bool = False
    skip_raw: bool = False
    raw_after: bool = True
    variants: bool = True
    label: str = "latest"
    # the peer (bench.peer): @neo4j/graphql asked the shared questions beside Likeness
    peer: bool = False
    log: Any = field(default=print, repr=False)

    def spec(self) -> Neo4jSpec:
        return Neo4jSpec(
            uri=self.neo4j_uri,
            data_dir=self.work_dir,
            heap=self.heap,
            pagecache=self.pagecache,
            user=self.neo4j_user,
            password=self.neo4j_password,
            database=self.neo4j_database,
        )

    def world_key(self) -> dict[str, Any]:
        return {
            "assets": self.assets,
            "seed": self.seed,
            "violations": self.violations,
            "uri": self.neo4j_uri,
        }


def run(options: Options) -> dict[str, Any]:
    """Run the whole suite: writes `<label>.json` and `<label>.md` under options.out, returns the result."""
    return asyncio.run(run_async(options))


async def run_async(options: Options) -> dict[str, Any]:
    """The same, inside a running event loop."""
    log = options.log
    started = time.perf_counter()
    options.work_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "machine": machine(),
        "versions": versions(),
        "options": {
            key: value for key, value in asdict(options).items() if key not in ("log", "neo4j_password")
        },
    }
    result["options"] = orjson.loads(orjson.dumps(result["options"], default=str))
    for key in ("out", "work_dir"):
        if result["options"].get(key):
            result["options"][key] = shown_path(result["options"][key])
    spec = options.spec()
    installed: peer.Installed | None = None
    if options.peer:
        # before the loads: a missing Node or an unreachable registry stops the run at once
        try:
            installed = peer.prepare(log=log)
        except peer.PeerUnavailable as error:
            raise SystemExit(f"error: {error}") from None
        result["versions"]["peer"] = installed.versions
    world = options.work_dir / f"world-{options.assets}-s{options.seed}-v{options.violations}.jsonl"
    log(f"generating the world ({options.assets} assets) into {world}")
    result["world"] = {
        "assets": options.assets,
        "seed": options.seed,
        "violations": options.violations,
        **loading.generate(world, assets=options.assets, seed=options.seed, violations=options.violations),
    }
    events = result["world"]["events"]
    marker = options.work_dir / "loaded.json"
    reused = _reusable(marker, options)
    if reused is not None:
        log("reusing the world loaded by an earlier run (--reuse)")
        result["load"] = {**reused, "reused": True}
    else:
        marker.unlink(missing_ok=True)
        if spec.uri is None:
            for name in ("raw", "import"):
                shutil.rmtree(options.work_dir / name, ignore_errors=True)
        result["load"] = {} if options.skip_raw else {"raw": await _raw_load(options, spec, world, events)}
    import_spec = spec if installed is None else peer.with_plugins(spec, installed)
    with neo4j(import_spec, "import") as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            if reused is None:
                result["load"]["import"] = await import_world(options, graph, world, events)
                if spec.uri is None and not options.skip_raw and options.raw_after:
                    # the raw load again, after: the machine's load drifts over a run, so the import is
                    # compared with the mean of a raw load just before it and one just after
                    result["load"]["raw_after"] = await _raw_load(
                        options, spec, world, events, name="raw-after"
                    )
                _compare_loads(result["load"])
                marker.write_bytes(orjson.dumps({"key": options.world_key(), "load": result["load"]}))
            result["neo4j"] = {
                **await server_facts(graph),
                "heap": options.heap if spec.uri is None else None,
                "pagecache": options.pagecache if spec.uri is None else None,
                "external": spec.uri is not None,
            }
            result["counts"] = await loading.graph_counts(graph)
            result.update(await _questions(options, spec, uri, graph, installed))
        finally:
            await graph.close()
    result["machine"]["load_at_end"] = load()
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["targets"] = report.targets(result)
    report.write(result, options.out, options.label)
    log(f"wrote {options.out / (options.label + '.json')} and {options.label}.md in {result['seconds']} s")
    return result


def _reusable(marker: Path, options: Options) -> dict[str, Any] | None:
    if not options.reuse or not marker.exists():
        return None
    saved = orjson.loads(marker.read_bytes())
    return saved["load"] if saved.get("key") == options.world_key() else None


async def _refuse_unless_empty(graph: Graph, options: Options) -> None:
    # domain nodes only: a fresh database already holds the migrations' own bookkeeping
    count = (await graph.query("MATCH (n:Entity) RETURN count(n) AS n"))[0]["n"]
    if count and not options.wipe:
        raise SystemExit(
            f"the database at {options.neo4j_uri} holds {count} nodes; pass --wipe to let the "
            "benchmark empty it (twice: before the raw load and before the import)"
        )


async def _raw_load(
    options: Options, spec: Neo4jSpec, world: Path, events: int, name: str = "raw"
) -> dict[str, Any]:
    """The raw UNWIND load into an empty database of its own (or the given one, wiped), then dropped."""
    with neo4j(spec, name) as uri:
        graph = await open_bench_graph(spec, uri)
        try:
            await _refuse_unless_empty(graph, options)
            await wipe(graph)
            options.log("raw UNWIND load …")
            raw = await loading.raw_load(graph, world, events=events, assets=options.assets)
            raw["counts"] = await loading.graph_counts(graph)
            options.log(f"  {raw['seconds']} s, {raw['events_per_s']} events/s")
        finally:
            await graph.close()
    if spec.uri is None:
        shutil.rmtree(options.work_dir / name, ignore_errors=True)
    return raw


async def import_world(options: Options, graph: Graph, world: Path, events: int) -> dict[str, Any]:
    """`likeness import` of the same file into an empty database."""
    if options.skip_raw or options.neo4j_uri is None:
        await _refuse_unless_empty(graph, options)
    await wipe(graph)
    options.log(f"likeness import ({events} events, batches of {options.batch}) …")
    imported = await loading.likeness_import(
        graph, world, events=events, assets=options.assets, batch_size=options.batch, log=options.log
    )
    imported["counts"] = await loading.graph_counts(graph)
    options.log(f"  {imported['seconds']} s, {imported['events_per_s']} events/s")
    return imported


def _compare_loads(loads: dict[str, Any]) -> None:
    if "raw" in loads:
        raws = [loads[key]["events_per_s"] for key in ("raw", "raw_after") if key in loads]
        loads["raw_events_per_s_mean"] = round(sum(raws) / len(raws), 1)
        loads["ratio_import_to_raw"] = round(
            loads["import"]["events_per_s"] / loads["raw_events_per_s_mean"], 3
        )
        imported, raw = loads["import"]["counts"], loads["raw"]["counts"]
        loads["same_graph"] = (
            imported["labels"] == raw["labels"] and imported["relationships"] == raw["relationships"]
        )


async def paired(api: Any, raw: Any, *, requests: int, warmup: int, check: int = 20) -> dict[str, Any]:
    """Ask both sides the same inputs, interleaved (so both see the same background load); compare the
    first `check` answers."""
    for index in range(warmup):
        await api(index)
        await raw(index)
    before = load()
    api_times: list[float] = []
    raw_times: list[float] = []
    mismatches: list[Any] = []
    for index in range(requests):
        t0 = time.perf_counter()
        api_answer = await api(warmup + index)
        t1 = time.perf_counter()
        raw_answer = await raw(warmup + index)
        t2 = time.perf_counter()
        api_times.append(t1 - t0)
        raw_times.append(t2 - t1)
        if index < check and api_answer != raw_answer:
            mismatches.append({"input": warmup + index, "api": api_answer, "raw": raw_answer})
    api_summary = summary(api_times, sum(api_times))
    raw_summary = summary(raw_times, sum(raw_times))
    return {
        "api": api_summary,
        "raw": raw_summary,
        "ratio_p50": round(percentile(api_times, 0.5) / percentile(raw_times, 0.5), 2),
        "ratio_p99": round(percentile(api_times, 0.99) / percentile(raw_times, 0.99), 2),
        "checked": min(check, requests),
        "mismatches": len(mismatches),
        "first_mismatch": orjson.loads(orjson.dumps(mismatches[0], default=str)) if mismatches else None,
        "load": {"before": before, "after": load()},
    }


async def _questions(
    options: Options, spec: Neo4jSpec, uri: str, graph: Graph, installed: peer.Installed | None = None
) -> dict[str, Any]:
    log = options.log
    total = options.warmup + options.requests
    inputs = await questions.choose_inputs(graph, seed=options.seed, count=total)
    found: dict[str, Any] = {
        "inputs": {
            "star_person": inputs.star_person,
            "star_uses": inputs.star_uses,
            "big_page_as_of": inputs.big_page_as_of.isoformat(),
            "big_page_size": inputs.big_page_size,
            "as_of": questions.AS_OF_TEXT,
        }
    }
    api = Api(uri=uri, spec=spec, workers=options.workers)
    log_dir = options.out
    log_dir.mkdir(parents=True, exist_ok=True)
    api.start(log_dir=options.work_dir)
    client = GraphQLClient("127.0.0.1", api.port, api.token)
    as_of = questions.AS_OF_TEXT
    try:
        log("provenance …")

        async def api_provenance(i: int) -> Any:
            data = await client.data(questions.PROVENANCE_GQL, {"id": inputs.asset_ids[i], "asOf": as_of})
            return questions.api_provenance(data)

        async def raw_provenance(i: int) -> Any:
            return await questions.raw_provenance(graph, inputs.asset_ids[i])

        found["provenance"] = await paired(
            api_provenance, raw_provenance, requests=options.requests, warmup=options.warmup
        )
        log("audit …")

        async def api_audit(i: int) -> Any:
            data = await client.data(questions.AUDIT_GQL, {"asOf": as_of, "first": questions.AUDIT_PAGE})
            return questions.api_audit(data)

        async def raw_audit(i: int) -> Any:
            return await questions.raw_audit(graph)

        found["audit"] = await paired(
            api_audit, raw_audit, requests=max(20, options.requests // 4), warmup=min(options.warmup, 5)
        )
        log("likenessUsage …")

        async def api_usage(i: int) -> Any:
            data = await client.data(
                questions.USAGE_GQL,
                {"person": inputs.star_person, "asOf": as_of, "first": questions.USAGE_PAGE},
            )
            return questions.api_usage(data)

        async def raw_usage(i: int) -> Any:
            return await questions.raw_usage(graph, inputs.star_person)

        found["likeness_usage"] = await paired(
            api_usage, raw_usage, requests=max(20, options.requests // 4), warmup=min(options.warmup, 5)
        )
        log("similarAssets …")

        async def api_similar(i: int) -> Any:
            data = await client.data(
                questions.SIMILAR_GQL,
                {
                    "phash": inputs.phashes[i],
                    "first": questions.SIMILAR_FIRST,
                    "maxDistance": questions.SIMILAR_DISTANCE,
                },
            )
            return questions.api_similar(data)

        async def raw_similar(i: int) -> Any:
            return await questions.raw_similar(graph, inputs.phashes[i])

        found["similar_assets"] = await paired(
            api_similar, raw_similar, requests=options.requests, warmup=options.warmup
        )
        log(f"a page of {inputs.big_page_size} verdicts …")
        found["big_page"] = await _big_page(client, graph, inputs, options)
        log(f"sustained provenance load: {options.clients} clients, {options.seconds} s …")
        found["sustained"] = await _sustained(api, inputs, options)
        found["api_memory"] = api.memory()
        log(f"sustained raw Cypher: {options.clients} clients through the driver, {options.seconds} s …")
        found["sustained_raw"] = await _sustained_raw(uri, spec, inputs, options)
        found["sustained_ratio"] = _sustained_ratio(found["sustained"], found["sustained_raw"])
        if installed is not None:
            found["peer"] = await _peer(options, spec, uri, graph, api, inputs, installed)
    finally:
        client.close()
        api.stop()
    if options.variants:
        found["what_if"] = await _what_if(options, spec, uri, graph, inputs)
    return found


async def _peer(
    options: Options,
    spec: Neo4jSpec,
    uri: str,
    graph: Graph,
    api: Api,
    inputs: questions.Inputs,
    installed: peer.Installed,
) -> dict[str, Any]:
    """The shared questions asked of the peer beside Likeness (bench.peer); a peer that cannot start
    (NEO4J_URI without APOC core, …) or a question either side refused is reported, not fatal."""
    options.log("the peer …")
    try:
        return await peer.compare(
            installed=installed,
            uri=uri,
            spec=spec,
            graph=graph,
            likeness_port=api.port,
            likeness_token=api.token,
            inputs=inputs,
            requests=options.requests,
            warmup=options.warmup,
            page_requests=options.big_page_requests,
            clients=options.clients,
            seconds=options.seconds,
            max_requests=options.max_requests,
            work_dir=options.work_dir,
            seed=options.seed,
            log=options.log,
        )
    except (peer.PeerUnavailable, HttpError) as error:
        # the Likeness questions' results are kept; the report says why the peer's are missing
        options.log(f"the peer did not run: {error}")
        return {"error": str(error)}


async def _what_if(
    options: Options, spec: Neo4jSpec, uri: str, graph: Graph, inputs: questions.Inputs
) -> dict[str, Any]:
    """Changes outside the read paths, measured on the same world: not what ships (see bench.variants)."""
    found: dict[str, Any] = {}
    for name, factory, workers in (
        ("default_execution", "bench.variants:default_execution_app", options.workers),
        ("two_workers", "likeness.app:create_app", 2),
    ):
        options.log(f"what if: {name} …")
        api = Api(uri=uri, spec=spec, workers=workers, factory=factory)
        api.start(log_dir=options.work_dir)
        client = GraphQLClient("127.0.0.1", api.port, api.token)
        try:
            measured: dict[str, Any] = {"factory": factory, "workers": workers}
            if name == "default_execution":

                async def api_provenance(i: int, client: GraphQLClient = client) -> Any:
                    data = await client.data(
                        questions.PROVENANCE_GQL, {"id": inputs.asset_ids[i], "asOf": questions.AS_OF_TEXT}
                    )
                    return questions.api_provenance(data)

                async def raw_provenance(i: int) -> Any:
                    return await questions.raw_provenance(graph, inputs.asset_ids[i])

                measured["provenance"] = await paired(
                    api_provenance, raw_provenance, requests=options.requests, warmup=options.warmup
                )
            measured["sustained"] = await _sustained(api, inputs, options)
            measured["api_memory"] = api.memory()
            found[name] = measured
        finally:
            client.close()
            api.stop()
    return found


async def _big_page(
    client: GraphQLClient, graph: Graph, inputs: questions.Inputs, options: Options
) -> dict[str, Any]:
    as_of = inputs.big_page_as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    size = max(1, inputs.big_page_size)
    sizes: list[int] = []

    async def api(i: int) -> int:
        _, body = await client.post(questions.BIG_PAGE_GQL, {"asOf": as_of, "first": size})
        sizes.append(len(body))
        return len(orjson.loads(body)["data"]["audit"]["edges"])

    async def raw(i: int) -> int:
        return await questions.raw_big_page(graph, inputs.big_page_as_of, size)

    measured = await paired(api, raw, requests=options.big_page_requests, warmup=2)
    measured["page_size"] = size
    measured["response_bytes"] = sizes[-1] if sizes else None
    measured["in_process_10k"] = await asyncio.to_thread(
        _in_process_serialization, options.serialization_objects
    )
    return measured


def _in_process_serialization(objects: int) -> dict[str, Any]:
    """Strawberry's execution alone (no HTTP, no database) of a page of five-field verdicts, in a child
    process."""
    answer = subprocess.run(
        [sys.executable, "-m", "bench.serialize", str(objects)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if answer.returncode != 0:
        return {"error": answer.stderr[-500:]}
    return orjson.loads(answer.stdout)


async def _sustained(api: Api, inputs: questions.Inputs, options: Options) -> dict[str, Any]:
    # "--token=…": a token may begin with "-", which argparse would take for an option
    return await _load_process(options, inputs, ["--port", str(api.port), f"--token={api.token}"], api=api)


async def _sustained_raw(
    uri: str, spec: Neo4jSpec, inputs: questions.Inputs, options: Options
) -> dict[str, Any]:
    """The same load (clients, ids, duration) asking the raw Cypher through the driver: the ceiling."""
    env = {
        **os.environ,
        "NEO4J_USER": spec.user,
        "NEO4J_PASSWORD": spec.password,
        "NEO4J_DATABASE": spec.database,
    }
    return await _load_process(options, inputs, ["--raw", uri], env=env)


def _sustained_ratio(api: dict[str, Any], raw: dict[str, Any]) -> float | None:
    """The API's sustained req/s over the raw Cypher's, from the same run."""
    if not api.get("throughput_rps") or not raw.get("throughput_rps"):
        return None
    return round(api["throughput_rps"] / raw["throughput_rps"], 3)


async def _load_process(
    options: Options,
    inputs: questions.Inputs,
    target: list[str],
    *,
    api: Api | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """bench.sustained in a second process against `target` (the API, or --raw URI), with the same ids."""
    ids_file = options.work_dir / "sustained-ids.txt"
    rng = random.Random(options.seed + 1)
    rows = inputs.asset_ids
    ids_file.write_text("\n".join(rng.choice(rows) for _ in range(5000)))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.sustained",
        *target,
        "--ids",
        str(ids_file),
        "--clients",
        str(options.clients),
        "--seconds",
        str(options.seconds),
        "--max-requests",
        str(options.max_requests),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    peak_rss = 0.0
    communicate = asyncio.ensure_future(process.communicate())
    while not communicate.done():
        if api is not None:
            peak_rss = max(peak_rss, api.memory()["rss_mib"])
        await asyncio.wait([communicate], timeout=0.5)
    stdout, stderr = communicate.result()
    if process.returncode != 0:
        return {"error": stderr.decode()[-500:]}
    measured = orjson.loads(stdout)
    if api is not None:
        measured["api_rss_mib_peak_sampled"] = peak_rss
    return measured
