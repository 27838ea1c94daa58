"""Latency samples and their summary: p50, p99, throughput, with the load they were taken under."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.machine import load


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile of the samples (share in 0..1)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summary(latencies_s: list[float], wall_s: float, errors: int = 0) -> dict[str, Any]:
    ms = [value * 1000 for value in latencies_s]
    return {
        "requests": len(ms),
        "errors": errors,
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p90_ms": round(percentile(ms, 0.90), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else math.nan,
        "throughput_rps": round(len(ms) / wall_s, 1) if wall_s > 0 else math.nan,
    }


async def sample(
    call: Callable[[int], Awaitable[Any]], *, requests: int, warmup: int
) -> tuple[dict[str, Any], list[Any]]:
    """Call `call(i)` one request at a time: warm-up calls first (not counted), then `requests` timed
    ones. Returns the summary (with the load average around it) and the timed calls' answers."""
    for index in range(warmup):
        await call(index)
    before = load()
    latencies: list[float] = []
    answers: list[Any] = []
    started = time.perf_counter()
    for index in range(requests):
        t0 = time.perf_counter()
        answers.append(await call(warmup + index))
        latencies.append(time.perf_counter() - t0)
    wall = time.perf_counter() - started
    result = summary(latencies, wall)
    result["load"] = {"before": before, "after": load()}
    return result, answers
