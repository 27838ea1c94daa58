"""Strawberry's execution alone for a page of 10,000 verdicts: the schema's own `audit` field answering
from memory (no HTTP, no database), then JSON encoding. Run as a child process; prints JSON.

This isolates what the GraphQL layer costs per object from what the database and HTTP cost. The page
is executed by the shipped schema (`fast_execute_ms_*`: likeness.execution.fastexec) and by the same
schema with graphql-core's default execution (`execute_ms_*`, bench.variants), and the two answers
compared byte for byte. Beside the wall times: the CPU time, and the part of the wall time spent in the
cycle collector (full collections traverse the whole heap, the in-memory page included).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any, cast

import orjson
import strawberry

from bench.machine import load
from bench.questions import BIG_PAGE, BIG_PAGE_GQL
from bench.variants import default_execution_schema
from likeness.access.principals import Principal
from likeness.execution.build import schema
from likeness.execution.context import context_for
from likeness.graph.driver import Graph
from likeness.resolvers import audit as audit_resolver
from likeness.resolvers.audit import AuditPage, AuditRow

HOLDS_FROM = datetime(2026, 1, 1, tzinfo=UTC)


def _page(size: int) -> AuditPage:
    """A page of ``size`` verdicts as the audit resolver returns it (the schema shapes it per execution)."""
    liable = '[["brand-00001","PRIMARY"],["brand-00002","SECONDARY"]]'  # as a span stores them
    rows = [
        AuditRow(
            cursor=f"cursor-{i}",
            code="NO_CONSENT",
            subject_id=f"asset-{i:08d}",
            liable_key=liable,
            consent_ids=(),
            failed_clauses=("grantee",),
            evidence=(f"asset-{i:08d}", "PUBLISHED_BY", "brand-00001"),
            explanation="No consent from the person covers this use by brand-00001.",
            laws=(),
            would_break=(),
            holds_from=HOLDS_FROM,
            holds_until=None,
        )
        for i in range(size)
    ]
    return AuditPage(counts={"NO_CONSENT": size}, rows=rows, has_next=False)


class _Collections:
    """Time spent in the cycle collector, read through gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


async def _timed(
    schema: strawberry.Schema, size: int, collections: _Collections
) -> tuple[bytes, dict[str, float]]:
    """One execution of the page: its answer as JSON, wall and CPU seconds, and the seconds of them in GC."""
    gc_before = collections.seconds
    wall, cpu = time.perf_counter(), time.process_time()
    # an admin's context, as the app gives each request (its graph is never reached: the page is in memory)
    context = context_for(graph=cast(Graph, None), principal=Principal(role="ADMIN", credential="bench"))
    result = await schema.execute(BIG_PAGE_GQL, variable_values={"first": size}, context_value=context)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    spent = {"wall": wall, "cpu": cpu, "gc": collections.seconds - gc_before}
    if result.errors:
        raise SystemExit(str(result.errors[0]))
    encoding = time.perf_counter()
    encoded = orjson.dumps({"data": result.data})
    spent["encode"] = time.perf_counter() - encoding
    return encoded, spent  # the answer itself is dropped: it would swell the heap the next execution collects


def _ms(runs: list[dict[str, float]], key: str, summary: Any = statistics.median) -> float:
    return round(summary([run[key] for run in runs]) * 1000, 1)


async def measure(size: int = BIG_PAGE, repeats: int = 5) -> dict[str, Any]:
    page = _page(size)

    async def from_memory(*args: Any, **kwargs: Any) -> AuditPage:
        return page

    audit_resolver.audit = from_memory  # type: ignore[assignment]  # this child process only
    default = default_execution_schema()
    collections = _Collections()
    gc.callbacks.append(collections)
    answers, executions, fast_executions = [], [], []
    before = load()
    for _ in range(repeats + 1):
        encoded, spent = await _timed(default, size, collections)
        fast_encoded, fast_spent = await _timed(schema, size, collections)
        answers.append(encoded == fast_encoded)
        executions.append(spent)
        fast_executions.append(fast_spent)
    gc.callbacks.remove(collections)
    # the first round warms caches
    executions, fast_executions = executions[1:], fast_executions[1:]
    return {
        "objects": size,
        "execute_ms_median": _ms(executions, "wall"),
        "execute_ms_min": _ms(executions, "wall", min),
        "execute_cpu_ms_median": _ms(executions, "cpu"),
        "execute_gc_ms_median": _ms(executions, "gc"),
        "encode_ms_median": _ms(executions, "encode"),
        "fast_execute_ms_median": _ms(fast_executions, "wall"),
        "fast_execute_ms_min": _ms(fast_executions, "wall", min),
        "fast_execute_cpu_ms_median": _ms(fast_executions, "cpu"),
        "fast_execute_gc_ms_median": _ms(fast_executions, "gc"),
        "fast_answers_equal": all(answers),
        "repeats": repeats,
        "load": {"before": before, "after": load()},
    }


if __name__ == "__main__":
    objects = int(sys.argv[1]) if len(sys.argv) > 1 else BIG_PAGE
    sys.stdout.write(orjson.dumps(asyncio.run(measure(objects))).decode() + "\n")
