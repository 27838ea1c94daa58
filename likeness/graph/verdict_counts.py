"""Verdict counts by code kept at write time, so a whole-market audit never scans the spans.

Every verdict span [start, end) adds one to the `opened` count of its code on the day it starts and
one to the `closed` count on the day it ends: (:VerdictCountDay {code, day}) per day and
(:VerdictCountMonth {code, month}) per month (keyed by the month's first day), both in UTC. Then the
spans of a code holding at T, with d = T's day, are

    (opened - closed) summed over the months before d's month and the days of d's month before d
  + the spans starting in [d, T] and ending after T
  - the spans starting before d and ending in [d, T]

which reads at most (months + 31) buckets per code plus the spans starting or ending within T's own
day. It is exact for every instant: a span that opens and closes on one day adds and takes one
from that day; spans still open end at OPEN_END, whose day no prefix before 9999-12-31 reaches, so
their closings are not kept (no writer contends for one bucket). The writer that deletes or
creates spans applies the difference in its own transaction (`CountDeltas`); the increments lock
the bucket they read, so concurrent writers add up. Spans stored some other way (before the counts
existed, or by a bulk loader) leave the buckets short of the span count, which the audit notices
and then counts the spans until `backfill_verdict_counts` recounts the buckets.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.log import mark_rewritten

# The period an audit names when it names none (the API's default from/to): the buckets answer
# audits over at least this period, subtracting the few spans that occurred outside it.
WHOLE_PERIOD = (datetime(1900, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))
# where a verdict span still open ends (likeness.verdicts stores it); closings from its day on are never
# summed
OPEN_END = datetime(9999, 12, 31, tzinfo=UTC)
UNCLOSED_DAY = OPEN_END.date()

# The buckets a span counts in, as columns `code, opened, closed` of a query over spans `v`: a span
# whose end precedes its start holds nowhere, so it opens and closes on its start's day. A span
# missing an instant, its occurrence or its key is in no bucket (every writer sets them all; the
# audit then counts the spans, see HOLDING_COUNTS).
SPAN_BUCKETS: LiteralString = """
      CASE WHEN v.start IS NOT NULL AND v.end IS NOT NULL AND v.occurredAt IS NOT NULL AND v.vkey IS NOT NULL
           THEN v.code END AS code,
      date(datetime({datetime: v.start, timezone: 'Z'})) AS opened,
      date(datetime({datetime: CASE WHEN v.end < v.start THEN v.start ELSE v.end END,
                     timezone: 'Z'})) AS closed
"""

_APPLY: LiteralString = """
    CALL () {
      UNWIND $days AS row
      MERGE (c:VerdictCountDay {day: row.day, code: row.code})
        ON CREATE SET c.opened = 0, c.closed = 0
      SET c.opened = c.opened + row.opened, c.closed = c.closed + row.closed
    }
    CALL () {
      UNWIND $months AS row
      MERGE (c:VerdictCountMonth {month: row.month, code: row.code})
        ON CREATE SET c.opened = 0, c.closed = 0
      SET c.opened = c.opened + row.opened, c.closed = c.closed + row.closed
    }
"""


class CountDeltas:
    """What a transaction's span deletions and creations owe the count buckets."""

    def __init__(self) -> None:
        self._days: defaultdict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(self, rows: list[dict[str, Any]], sign: int) -> None:
        """Count rows of (code, opened, closed, spans) (SPAN_BUCKETS grouped) as created (+1) or deleted
        (-1)."""
        for row in rows:
            if row["code"] is None:
                continue
            spans = sign * row["spans"]
            self._days[(row["opened"].to_native(), row["code"])][0] += spans
            closed = row["closed"].to_native()
            if closed < UNCLOSED_DAY:
                self._days[(closed, row["code"])][1] += spans

    def buckets(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The non-zero day and month deltas, each in key order (writers lock buckets in one order)."""
        months: defaultdict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
        for (day, code), (opened, closed) in self._days.items():
            month = months[(day.replace(day=1), code)]
            month[0] += opened
            month[1] += closed

        def rows(deltas: dict[tuple[date, str], list[int]], key: str) -> list[dict[str, Any]]:
            return [
                {key: bucket, "code": code, "opened": opened, "closed": closed}
                for (bucket, code), (opened, closed) in sorted(deltas.items())
                if opened or closed
            ]

        return rows(self._days, "day"), rows(months, "month")

    async def apply(self, tx: AsyncManagedTransaction) -> int:
        """Add the deltas to the buckets inside the writing transaction; returns the buckets touched."""
        days, months = self.buckets()
        if days or months:
            await run(tx, _APPLY, days=days, months=months)
        return len(days) + len(months)


_ALL_SPANS: LiteralString = (
    """
    MATCH (v:Verdict) USING INDEX v:Verdict(end, start, code, occurredAt)
    WHERE v.end IS NOT NULL AND v.start IS NOT NULL AND v.code IS NOT NULL AND v.occurredAt IS NOT NULL
      AND v.vkey IS NOT NULL
    WITH"""
    + SPAN_BUCKETS
    + """
    RETURN code, opened, closed, count(*) AS spans
"""
)
DELETE_BUCKETS: LiteralString = "MATCH (c:VerdictCountDay|VerdictCountMonth) DETACH DELETE c"
# The buckets account for every stored span when `stored = bucketed` (the label count comes from
# the count store; a month bucket per code and month is a few hundred nodes).
_STORED_AND_BUCKETED: LiteralString = """
    CALL () {
      MATCH (v:Verdict) RETURN count(v) AS stored
    }
    CALL () {
      MATCH (m:VerdictCountMonth) RETURN coalesce(sum(m.opened), 0) AS bucketed
    }
"""
_COMPLETE: LiteralString = _STORED_AND_BUCKETED + "RETURN stored = bucketed AS complete"
# one recount at a time: several API workers start, and migrate, together
_RECOUNT_LOCK: LiteralString = "MERGE (l:VerdictCountLock {id: 'verdict-counts'}) SET l.lockedAt = datetime()"


async def _recount(tx: AsyncManagedTransaction) -> int:
    # the audit's counts are rewritten with no log entry (taking the log's head first, as writers do)
    await mark_rewritten(tx)
    await run(tx, DELETE_BUCKETS)
    deltas = CountDeltas()
    deltas.add(await run(tx, _ALL_SPANS), +1)
    return await deltas.apply(tx)


async def backfill_verdict_counts(graph: Graph) -> int:
    """Recount every bucket from the stored spans in one transaction (no rule runs); returns the buckets.

    For a database whose spans were written before the counts existed, or by something other than
    graph.verdict_spans; run it while nothing writes verdicts (`likeness reevaluate --counts-only`).
    """

    async def work(tx: AsyncManagedTransaction) -> int:
        await run(tx, _RECOUNT_LOCK)
        return await _recount(tx)

    return await graph.write(work)


async def ensure_verdict_counts(graph: Graph) -> int | None:
    """Recount the buckets if they miss stored spans (at start, before serving writes): the buckets
    written, or None when they were complete."""
    if (await graph.query(_COMPLETE))[0]["complete"]:
        return None

    async def work(tx: AsyncManagedTransaction) -> int | None:
        await run(tx, _RECOUNT_LOCK)
        if (await run(tx, _COMPLETE))[0]["complete"]:  # another process recounted while this one waited
            return None
        return await _recount(tx)

    return await graph.write(work)


# Inside the audit: the counts by code of the spans holding at $asOf with occurrence in [$from, $to),
# from the buckets ($month, $day: the first day of $asOf's month and $asOf's day; $dayStart its
# first instant), plus `stored` and `bucketed`: spans written around the buckets (an older
# database, a direct load) leave them unequal and the audit counts the spans instead.
HOLDING_COUNTS: LiteralString = (
    _STORED_AND_BUCKETED
    + """
    CALL () {
      CALL () {
        MATCH (m:VerdictCountMonth) WHERE m.month < $month AND m.code IS NOT NULL
        RETURN m.code AS code, m.opened - m.closed AS held
        UNION ALL
        MATCH (c:VerdictCountDay) WHERE c.day >= $month AND c.day < $day AND c.code IS NOT NULL
        RETURN c.code AS code, c.opened - c.closed AS held
        UNION ALL
        MATCH (v:Verdict) USING INDEX v:Verdict(start)
        WHERE v.start >= $dayStart AND v.start <= $asOf AND v.end > $asOf
          AND v.code IS NOT NULL AND v.occurredAt IS NOT NULL AND v.vkey IS NOT NULL
        RETURN v.code AS code, count(*) AS held
        UNION ALL
        MATCH (v:Verdict) USING INDEX v:Verdict(end, start, code, occurredAt)
        WHERE v.end >= $dayStart AND v.end <= $asOf AND v.start < $dayStart
          AND v.code IS NOT NULL AND v.occurredAt IS NOT NULL AND v.vkey IS NOT NULL
        RETURN v.code AS code, -count(*) AS held
        UNION ALL
        MATCH (v:Verdict) USING INDEX v:Verdict(occurredAt, vkey)
        WHERE v.occurredAt < $from AND v.vkey IS NOT NULL AND v.start <= $asOf AND v.end > $asOf
          AND v.code IS NOT NULL
        RETURN v.code AS code, -count(*) AS held
        UNION ALL
        MATCH (v:Verdict) USING INDEX v:Verdict(occurredAt, vkey)
        WHERE v.occurredAt >= $to AND v.vkey IS NOT NULL AND v.start <= $asOf AND v.end > $asOf
          AND v.code IS NOT NULL
        RETURN v.code AS code, -count(*) AS held
      }
      WITH code, sum(held) AS count WHERE count <> 0
      WITH code, count ORDER BY code
      RETURN collect([code, count]) AS counts
    }
"""
)


def holding_params(as_of: datetime) -> dict[str, Any]:
    """The bucket bounds HOLDING_COUNTS reads for an instant."""
    day = as_of.astimezone(UTC).date()
    return {"month": day.replace(day=1), "day": day, "dayStart": datetime.combine(day, time(), tzinfo=UTC)}


_COUNTS_ONLY: LiteralString = (
    HOLDING_COUNTS
    + """
    RETURN counts, stored = bucketed AS complete
"""
)


async def bucket_counts(
    graph: Graph, *, as_of: datetime, start: datetime = WHOLE_PERIOD[0], end: datetime = WHOLE_PERIOD[1]
) -> dict[str, int] | None:
    """The counts by code of the verdicts holding at an instant, from the buckets alone (None when
    the buckets miss some stored span: see backfill_verdict_counts)."""
    row = (
        await graph.query(_COUNTS_ONLY, asOf=as_of, **{"from": start, "to": end}, **holding_params(as_of))
    )[0]
    return {code: count for code, count in row["counts"]} if row["complete"] else None
