"""The run's results as JSON and a short Markdown table, with each target of issue 5 met or its gap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from bench import peer


def _get(result: dict[str, Any], *path: str) -> Any:
    value: Any = result
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue with what this run measured (at this run's world size)."""
    rows: list[dict[str, Any]] = []

    def add(name: str, goal: str, measured: Any, met: bool | None, unit: str = "") -> None:
        rows.append({"target": name, "goal": goal, "measured": measured, "unit": unit, "met": met})

    ratio = _get(result, "load", "ratio_import_to_raw")
    add("import throughput vs raw UNWIND", ">= 0.5x", ratio, None if ratio is None else ratio >= 0.5, "x")
    ratio = _get(result, "provenance", "ratio_p50")
    add("provenance p50, API vs Cypher", "<= 1.3x", ratio, None if ratio is None else ratio <= 1.3, "x")
    for key, name, limit in (
        ("audit", "audit first 100 + counts, p50", 100),
        ("likeness_usage", "likenessUsage first page, p50", 50),
        ("similar_assets", "similarAssets d<=8, p50", 50),
    ):
        p50 = _get(result, key, "api", "p50_ms")
        add(name, f"< {limit} ms", p50, None if p50 is None else p50 < limit, "ms")
    sustained = result.get("sustained") or {}
    rps, p99, errors = sustained.get("throughput_rps"), sustained.get("p99_ms"), sustained.get("errors")
    add("sustained provenance req/s", ">= 500", rps, None if rps is None else rps >= 500, "req/s")
    add("sustained provenance p99", "< 50 ms", p99, None if p99 is None else p99 < 50, "ms")
    add("sustained provenance errors", "0", errors, None if errors is None else errors == 0)
    ratio = result.get("sustained_ratio")
    add(
        "sustained provenance req/s vs raw Cypher, same clients (issue 14)",
        ">= 0.7x",
        ratio,
        None if ratio is None else ratio >= 0.7,
        "x",
    )
    size = _get(result, "big_page", "page_size")
    p50 = _get(result, "big_page", "api", "p50_ms")
    add(
        f"page of {size} verdicts over HTTP, p50",
        "< 150 ms for 10,000",
        p50,
        None if p50 is None or size != 10_000 else p50 < 150,
        "ms",
    )
    ratio = _get(result, "big_page", "ratio_p50")
    add(
        f"page of {size} verdicts over HTTP vs raw Cypher, p50 (issue 14)",
        "<= 1.5x",
        ratio,
        None if ratio is None else ratio <= 1.5,
        "x",
    )
    executed = _get(result, "big_page", "in_process_10k", "fast_execute_ms_median")
    add(
        "10,000 verdicts, GraphQL execution alone (shipped: likeness.execution.fastexec)",
        "< 150 ms",
        executed,
        None if executed is None else executed < 150,
        "ms",
    )
    executed = _get(result, "big_page", "in_process_10k", "execute_ms_median")
    add("the same with strawberry's default execution (reference)", "(reported)", executed, None, "ms")
    add("API peak RSS under load", "(reported)", _get(result, "api_memory", "peak_rss_mib"), None, "MiB")
    rows += peer.targets(result)
    return rows


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "—"}[met]


def markdown(result: dict[str, Any]) -> str:
    m, world, neo = result["machine"], result["world"], result.get("neo4j", {})
    load = result.get("load", {})
    lines = [
        f"# Benchmark: {world['assets']:,} assets "
        f"(seed {world['seed']}, {world['violations']:.0%} violations)",
        "",
        (
            f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB; load average at start "
            f"{m['load_at_start']}, at end {m.get('load_at_end')} (other test suites share this machine). "
            f"Neo4j {neo.get('version')} {neo.get('edition')}, heap {neo.get('heap')}, "
            f"page cache {neo.get('pagecache')}. "
            f"Python {result['versions']['python']}, "
            f"strawberry {result['versions'].get('strawberry-graphql')}, "
            f"neo4j driver {result['versions'].get('neo4j')} "
            f"(rust ext {result['versions'].get('neo4j-rust-ext')}). "
            f"Commit {m['git']['commit']}{' (with uncommitted changes)' if m['git']['dirty'] else ''}, "
            f"{m['started_at']}, {result.get('seconds')} s in all."
        ),
        "",
        "## Loading",
        "",
        "| load | seconds | events/s | assets/s | load avg before → after |",
        "|---|---:|---:|---:|---|",
    ]
    for key, name in (
        ("raw", "raw UNWIND, no rules (before the import)"),
        ("import", "`likeness import` (validated, verdicts stored)"),
        ("raw_after", "raw UNWIND, no rules (after the import)"),
    ):
        item = load.get(key)
        if item:
            lines.append(
                f"| {name} | {item['seconds']} | {item['events_per_s']} | {item['assets_per_s']} | "
                f"{item['load']['before'][0]} → {item['load']['after'][0]} |"
            )
    if "ratio_import_to_raw" in load:
        lines += [
            "",
            f"Import / raw throughput: **{load['ratio_import_to_raw']}×** (against the mean of the raw "
            f"loads, {load.get('raw_events_per_s_mean')} events/s); same nodes and relationships: "
            f"{load.get('same_graph')}. {world['events']:,} events, "
            f"{(result.get('counts') or {}).get('verdict_spans', 0):,} stored verdict spans."
            + (" (Loads reused from an earlier run.)" if load.get("reused") else ""),
        ]
    lines += [
        "",
        "## Questions: API over HTTP vs hand-written Cypher (same driver, interleaved)",
        "",
        "| question | API p50 | API p99 | API req/s | Cypher p50 | Cypher p99 | ratio p50 "
        "| answers equal | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for key, name in (
        ("provenance", "provenance (random assets)"),
        ("audit", "audit: first 100 + counts by code"),
        ("likeness_usage", f"likenessUsage: first 50 ({result.get('inputs', {}).get('star_uses')} uses)"),
        ("similar_assets", "similarAssets, distance ≤ 8"),
        ("big_page", f"audit page of {_get(result, 'big_page', 'page_size')} verdicts"),
    ):
        item = result.get(key)
        if not item:
            continue
        api, raw = item["api"], item["raw"]
        equal = f"{item['checked'] - item['mismatches']}/{item['checked']}"
        lines.append(
            f"| {name} | {api['p50_ms']} ms | {api['p99_ms']} ms | {api['throughput_rps']} | "
            f"{raw['p50_ms']} ms | {raw['p99_ms']} ms | {item['ratio_p50']}× | {equal} | "
            f"{item['load']['before'][0]} → {item['load']['after'][0]} |"
        )
    sustained = result.get("sustained") or {}
    if "throughput_rps" in sustained:
        lines += [
            "",
            (
                f"Sustained provenance from a second process: {sustained['clients']} clients for "
                f"{sustained['seconds']} s: **{sustained['throughput_rps']} req/s**, "
                f"p50 {sustained['p50_ms']} ms, "
                f"p99 {sustained['p99_ms']} ms, {sustained['errors']} errors "
                f"(load avg {sustained['load']['before'][0]} → {sustained['load']['after'][0]})."
            ),
        ]
    ceiling = result.get("sustained_raw") or {}
    if "throughput_rps" in ceiling:
        lines += [
            "",
            (
                f"The same load as raw Cypher (bench.questions.PROVENANCE_CYPHER) through the Python driver, "
                f"{ceiling['clients']} clients for {ceiling['seconds']} s: "
                f"**{ceiling['throughput_rps']} req/s**, p50 {ceiling['p50_ms']} ms, "
                f"p99 {ceiling['p99_ms']} ms, {ceiling['errors']} errors "
                f"(load avg {ceiling['load']['before'][0]} → {ceiling['load']['after'][0]}). "
                f"API / raw: **{result.get('sustained_ratio')}×** "
                f"with {_get(result, 'options', 'workers')} API worker(s)."
            ),
        ]
    serialization = _get(result, "big_page", "in_process_10k") or {}
    if "execute_ms_median" in serialization:
        lines += [
            "",
            (
                f"10,000 verdicts through the schema alone (in memory, no HTTP or database): "
                f"{serialization.get('fast_execute_ms_median')} ms median to execute as shipped "
                f"(likeness.execution.fastexec), {serialization['execute_ms_median']} ms "
                f"with strawberry's default "
                f"execution, {serialization['encode_ms_median']} ms to encode JSON; answers byte-identical: "
                f"{serialization.get('fast_answers_equal')}."
            ),
        ]
    memory = result.get("api_memory") or {}
    if memory:
        lines += [
            "",
            (
                f"API process memory: peak RSS {memory.get('peak_rss_mib')} MiB "
                f"({memory.get('processes')} process(es)); sampled peak during the sustained load "
                f"{sustained.get('api_rss_mib_peak_sampled')} MiB."
            ),
        ]
    lines += peer.markdown_lines(result)
    what_if = result.get("what_if") or {}
    if what_if:
        lines += [
            "",
            "## What if (changes outside the read paths, measured on the same world; not shipped)",
            "",
            "| variant | provenance API p50 | vs Cypher p50 | sustained req/s | sustained p99 | errors "
            "| peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        names = {
            "default_execution": "strawberry's default execution (without likeness.execution.fastexec)",
            "two_workers": "uvicorn --workers 2",
        }
        for key, item in what_if.items():
            prov, sus = item.get("provenance") or {}, item.get("sustained") or {}
            lines.append(
                f"| {names.get(key, key)} | {_get(prov, 'api', 'p50_ms') or '—'} | "
                f"{str(prov['ratio_p50']) + '×' if prov else '—'} | {sus.get('throughput_rps')} | "
                f"{sus.get('p99_ms')} ms | {sus.get('errors')} | "
                f"{_get(item, 'api_memory', 'peak_rss_mib')} MiB |"
            )
    lines += [
        "",
        "## Targets (issue 5, stated for a million assets; measured here at this size)",
        "",
        "| target | goal | measured | |",
        "|---|---|---:|---|",
    ]
    for row in result.get("targets", []):
        measured = "—" if row["measured"] is None else f"{row['measured']} {row['unit']}".strip()
        lines.append(f"| {row['target']} | {row['goal']} | {measured} | {_mark(row['met'])} |")
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any], out: Path, label: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{label}.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2, default=str) + b"\n")
    (out / f"{label}.md").write_text(markdown(result), encoding="utf-8")
