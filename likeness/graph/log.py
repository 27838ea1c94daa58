"""The tamper-evident log as (:LogEntry) nodes chained by hash, with one (:LogHead) serialising appends.

Appending locks the single head node first (a write lock held to the end of the transaction), so
concurrent appenders take turns and every entry's `prevHash` is the hash of the entry before it.
Neither label is an :Entity: no lookup, export or relationship field reaches them.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run

HEAD_ID = "log"
# the head a transaction locks and moves: the log's own, but for a rehearsal (ingest.warmup), whose
# transaction is rolled back, so that it never holds the lock every writer waits for
# (and the sequence number before its first entry: a rehearsal's are negative, never the log's own)
_HEAD: ContextVar[tuple[str, int]] = ContextVar("likeness_log_head", default=(HEAD_ID, 0))


@contextlib.contextmanager
def rehearsal_head() -> Iterator[None]:
    """Within it, appends lock and move a head of their own (made in the rehearsal's transaction)."""
    token = _HEAD.set((f"rehearsal-{uuid.uuid4().hex}", -(2**62)))
    try:
        yield
    finally:
        _HEAD.reset(token)


_LOCK_HEAD: LiteralString = """
    MERGE (h:LogHead {id: $head})
    ON CREATE SET h.seq = $before, h.hash = ''
    SET h.lockedAt = datetime()
"""

_READ_HEAD: LiteralString = """
    MATCH (h:LogHead {id: $head})
    RETURN h.seq AS seq, h.hash AS hash
"""

# `changed` is the sequence number of the last entry that recorded a change (every entry but the queries
# regulators and investigators are logged for): a head written before it existed reads as its `seq`, and
# the first query entry after that keeps the `seq` it had
_APPEND: LiteralString = """
    MATCH (h:LogHead {id: $head})
    CREATE (e:LogEntry)
    SET e = $entry
    SET h.changed = CASE WHEN $changes THEN $entry.seq ELSE coalesce(h.changed, $entry.seq - 1) END,
        h.seq = $entry.seq, h.hash = $entry.hash
"""

# a rewrite of stored answers that no entry records (verdicts grounded again or re-evaluated, counts rebuilt,
# notices re-clocked): counted apart from `changed`, since it moves no sequence number
_MARK_REWRITTEN: LiteralString = """
    MERGE (h:LogHead {id: $head})
    ON CREATE SET h.seq = $before, h.hash = ''
    SET h.rewrites = coalesce(h.rewrites, 0) + 1
"""

_LAST_CHANGE: LiteralString = """
    MATCH (h:LogHead {id: $head})
    RETURN coalesce(h.changed, h.seq) AS changed, coalesce(h.rewrites, 0) AS rewrites
"""

_PAGE: LiteralString = """
    MATCH (e:LogEntry)
    WHERE e.seq > $after
    RETURN properties(e) AS entry
    ORDER BY e.seq
    LIMIT $limit
"""


async def lock_head(tx: AsyncManagedTransaction) -> tuple[int, str]:
    """Take the log's write lock for this transaction; answer the last sequence number and hash."""
    head_id, before = _HEAD.get()
    await run(tx, _LOCK_HEAD, head=head_id, before=before)
    row = (await run(tx, _READ_HEAD, head=head_id))[0]
    return int(row["seq"]), str(row["hash"])


async def append_entry(tx: AsyncManagedTransaction, entry: dict[str, Any], *, changes: bool = True) -> None:
    """Store one entry and move the head to it (call after lock_head in the same transaction); `changes`:
    whether the entry records a change of the graph (False for a query's entry), which moves `changed`."""
    await run(tx, _APPEND, head=_HEAD.get()[0], entry=entry, changes=changes)


async def mark_rewritten(tx: AsyncManagedTransaction) -> None:
    """Note, in the transaction that rewrites stored answers without a log entry, that they changed."""
    head_id, before = _HEAD.get()
    await run(tx, _MARK_REWRITTEN, head=head_id, before=before)


async def last_change(graph: Graph) -> tuple[int, int]:
    """What the graph's answers were last changed by: the sequence number of the last entry recording a
    change and the count of rewrites no entry records; (0, 0) before anything was written."""
    rows = await graph.query(_LAST_CHANGE, head=HEAD_ID)
    return (int(rows[0]["changed"]), int(rows[0]["rewrites"])) if rows else (0, 0)


async def head(graph: Graph) -> tuple[int, str] | None:
    rows = await graph.query(_READ_HEAD, head=HEAD_ID)
    return (int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else None


async def entries(graph: Graph, *, page: int = 5000) -> AsyncIterator[dict[str, Any]]:
    """Every entry in sequence order, read page by page."""
    after = -(2**62)
    while True:
        rows = await graph.query(_PAGE, after=after, limit=page)
        for row in rows:
            yield row["entry"]
        if len(rows) < page:
            return
        after = rows[-1]["entry"]["seq"]
