"""Strawberry's execution alone for a page of 10,000 verdicts: the schema's own `audit` field answering
from memory (no HTTP, no database), then JSON encoding. Run as a child process; prints JSON.

This isolates what the GraphQL layer costs per object from what the database and HTTP cost; the
same page is also executed with the prototype execution of plain fields (bench.fastexec), and the
two answers compared byte for byte.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from typing import Any

import orjson
import strawberry

from bench.machine import load
from bench.questions import BIG_PAGE, BIG_PAGE_GQL
from bench.variants import variant_schema
from likeness.resolvers import audit as audit_resolver
from likeness.schema.enums import LiabilityRole
from likeness.schema.results import CodeCount, PageInfo, VerdictConnection, VerdictEdge
from likeness.schema.root import schema
from likeness.schema.verdicts import Liability, Verdict


def _page(size: int) -> VerdictConnection:
    edges = [
        VerdictEdge(cursor=f"cursor-{i}", node=Verdict(
            code="NO_CONSENT", subject_id=strawberry.ID(f"asset-{i:08d}"),
            liable=[Liability(party_id=strawberry.ID("brand-00001"), role=LiabilityRole.PRIMARY),
                    Liability(party_id=strawberry.ID("brand-00002"), role=LiabilityRole.SECONDARY)],
            consent_ids=[], failed_clauses=["grantee"], evidence=[f"asset-{i:08d}", "PUBLISHED_BY", "brand-00001"],
            explanation="No consent from the person covers this use by brand-00001.",
        ))
        for i in range(size)
    ]
    return VerdictConnection(total_count=size, counts_by_code=[CodeCount(code="NO_CONSENT", count=size)],
                             edges=edges, page_info=PageInfo(has_next_page=False, end_cursor=None))


async def measure(size: int = BIG_PAGE, repeats: int = 5) -> dict[str, Any]:
    page = _page(size)

    async def from_memory(*args: Any, **kwargs: Any) -> VerdictConnection:
        return page

    audit_resolver.audit = from_memory  # type: ignore[assignment]  # this child process only
    fast = variant_schema(fast=True)
    answers, executions, fast_executions, encodings = [], [], [], []
    before = load()
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        answer = await schema.execute(BIG_PAGE_GQL, variable_values={"first": size})
        t1 = time.perf_counter()
        encoded = orjson.dumps({"data": answer.data})
        t2 = time.perf_counter()
        fast_answer = await fast.execute(BIG_PAGE_GQL, variable_values={"first": size})
        t3 = time.perf_counter()
        if answer.errors or fast_answer.errors:
            raise SystemExit(str((answer.errors or fast_answer.errors or [])[0]))
        answers.append(encoded == orjson.dumps({"data": fast_answer.data}))
        executions.append(t1 - t0)
        encodings.append(t2 - t1)
        fast_executions.append(t3 - t2)
    # the first round warms caches
    executions, encodings, fast_executions = executions[1:], encodings[1:], fast_executions[1:]
    return {
        "objects": size,
        "execute_ms_median": round(statistics.median(executions) * 1000, 1),
        "execute_ms_min": round(min(executions) * 1000, 1),
        "encode_ms_median": round(statistics.median(encodings) * 1000, 1),
        "fast_execute_ms_median": round(statistics.median(fast_executions) * 1000, 1),
        "fast_answers_equal": all(answers),
        "repeats": repeats,
        "load": {"before": before, "after": load()},
    }


if __name__ == "__main__":
    objects = int(sys.argv[1]) if len(sys.argv) > 1 else BIG_PAGE
    sys.stdout.write(orjson.dumps(asyncio.run(measure(objects))).decode() + "\n")
