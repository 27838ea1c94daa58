"""The benchmark suite, CI-sized: it runs end to end on a small world and writes valid results.

No timings are asserted (they depend on the machine); what is asserted is that every stage ran,
that the import and the raw load built the same graph, and that the API and the hand-written Cypher
gave the same answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from bench.suite import run_async
from likeness.config import Settings
from tests.bench import small_run

QUESTIONS = ("provenance", "audit", "likeness_usage", "similar_assets", "big_page")


async def test_the_benchmark_runs_end_to_end_on_a_small_world(
    graph: Any, settings: Settings, tmp_path: Path
) -> None:
    options = small_run(
        tmp_path,
        assets=1_000,
        seed=3,
        neo4j_uri=settings.neo4j_uri,
        neo4j_user=settings.neo4j_user,
        neo4j_password=settings.neo4j_password,
        neo4j_database=settings.neo4j_database,
        wipe=True,
        requests=5,
        serialization_objects=500,
    )
    await run_async(options)

    result = orjson.loads((tmp_path / "results" / "latest.json").read_bytes())
    assert (tmp_path / "results" / "latest.md").read_text().startswith("# Benchmark: 1,000 assets")
    load = result["load"]
    assert load["import"]["rejected"] == 0
    assert load["same_graph"], (load["import"]["counts"], load["raw"]["counts"])
    assert load["import"]["counts"]["labels"]["Asset"] == 1_000
    assert load["import"]["counts"]["verdict_spans"] > 0
    for question in QUESTIONS:
        assert result[question]["api"]["requests"] > 0, question
        assert result[question]["mismatches"] == 0, result[question]["first_mismatch"]
    assert result["sustained"]["requests"] > 0
    assert result["sustained"]["errors"] == 0, result["sustained"]["first_errors"]
    # the raw Cypher ceiling: the same clients through the driver, every answer found
    raw = result["sustained_raw"]
    assert raw.get("mode") == "raw", raw
    assert raw["requests"] > 0 and raw["errors"] == 0, raw.get("first_errors")
    assert result["sustained_ratio"] == round(
        result["sustained"]["throughput_rps"] / raw["throughput_rps"], 3
    )
    assert "The same load as raw Cypher" in (tmp_path / "results" / "latest.md").read_text()
    assert result["big_page"]["in_process_10k"]["objects"] == 500
    assert result["big_page"]["in_process_10k"]["fast_answers_equal"]
    for variant in ("default_execution", "two_workers"):
        sustained = result["what_if"][variant]["sustained"]
        # a failed load client leaves {"error": its stderr} instead of counts: show it
        assert sustained.get("errors") == 0, (variant, sustained)
    assert result["what_if"]["default_execution"]["provenance"]["mismatches"] == 0
    assert result["api_memory"]["peak_rss_mib"] > 0
    targets = {row["target"] for row in result["targets"]}
    assert targets >= {"provenance p50, API vs Cypher", "sustained provenance p99"}
