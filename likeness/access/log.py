"""The tamper-evident log: every mutation, and every query by a regulator or investigator.

Each entry holds {seq, at, principal, operation, target, variablesHash, documentHash, prevHash} and
`hash`, the SHA-256 of the canonical JSON of those fields. Since every entry hashes the one before
it, editing, deleting or reordering entries breaks the chain at the first entry touched; the head
node records the last sequence number and hash, so deleting entries at the end breaks it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from neo4j import AsyncManagedTransaction

from likeness.graph import log as stored
from likeness.graph.driver import Graph

HASHED_FIELDS = ("seq", "at", "principal", "operation", "target", "variablesHash", "documentHash", "prevHash")


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def sha256_of(value: Any) -> str:
    """The SHA-256 of a value's canonical JSON (keys sorted, no whitespace)."""
    return hashlib.sha256(_canonical(value)).hexdigest()


def entry_hash(entry: dict[str, Any]) -> str:
    return sha256_of({name: entry.get(name) for name in HASHED_FIELDS})


async def take_turn(tx: AsyncManagedTransaction) -> int:
    """Wait for this transaction's turn to write: writers take the log's lock first, so each one reads
    the graph as the writer before it left it (two identical writes: the second finds the first's node
    and changes nothing; two conflicting ones: the second is a CONFLICT, never a database error). Answers
    the sequence number the transaction's entry will have, if it appends one."""
    last_seq, _ = await stored.lock_head(tx)
    return last_seq + 1


async def append(
    tx: AsyncManagedTransaction,
    *,
    principal: str,
    operation: str,
    variables: Any,
    target: str | None = None,
    document: str | None = None,
    changes: bool = True,
) -> int:
    """Append one entry inside the caller's write transaction; answers its sequence number. `changes`:
    whether the entry records a change of the graph (False for a read's entry: the graph's last change,
    which conditional GETs' ETags cover, stays where it was)."""
    last_seq, last_hash = await stored.lock_head(tx)
    entry: dict[str, Any] = {
        "seq": last_seq + 1,
        "at": datetime.now(UTC).isoformat(),
        "principal": principal,
        "operation": operation,
        "target": target,
        "variablesHash": sha256_of(variables if variables is not None else {}),
        "documentHash": hashlib.sha256(document.encode()).hexdigest() if document is not None else None,
        "prevHash": last_hash,
    }
    entry["hash"] = entry_hash(entry)
    await stored.append_entry(
        tx, {name: value for name, value in entry.items() if value is not None}, changes=changes
    )
    return int(entry["seq"])


async def append_now(graph: Graph, **fields: Any) -> int:
    """Append one entry in a transaction of its own (reads: queries, face searches, case files, which write
    nothing else, so the entry records no change of the graph)."""

    async def work(tx: AsyncManagedTransaction) -> int:
        return await append(tx, changes=False, **fields)

    return await graph.write(work)


def query_operation(document: str, operation_name: str | None) -> str | None:
    """How the log names a GraphQL request that reads: 'query <root fields>'; None for a mutation."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return "query (unparsable document)"
    operations = [node for node in parsed.definitions if isinstance(node, OperationDefinitionNode)]
    chosen = [
        op for op in operations if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    if not chosen:
        return "query (no such operation)"
    operation = chosen[0]
    if operation.operation is not OperationType.QUERY:
        return None
    fields = sorted(
        {
            selection.name.value
            for selection in operation.selection_set.selections
            if isinstance(selection, FieldNode)
        }
    )
    return "query " + ",".join(fields) if fields else "query"


@dataclass(frozen=True)
class Break:
    """Where the chain first breaks: the sequence number and what is wrong there."""

    seq: int
    reason: str


@dataclass(frozen=True)
class Verification:
    entries: int
    head_hash: str
    broken: Break | None


async def verify(graph: Graph) -> Verification:
    """Walk the whole chain in sequence order and report the first broken entry, if any."""
    expected, prev_hash, count = 1, "", 0
    async for entry in stored.entries(graph):
        seq = entry.get("seq")
        if not isinstance(seq, int) or seq < expected:
            return Verification(
                count, prev_hash, Break(expected, f"entry out of order (found seq {seq!r} here)")
            )
        if seq > expected:
            missing = f"entry {expected}" if seq == expected + 1 else f"entries {expected}–{seq - 1}"
            return Verification(count, prev_hash, Break(expected, f"{missing} missing"))
        if entry.get("prevHash") != prev_hash:
            return Verification(
                count,
                prev_hash,
                Break(
                    seq,
                    f"prevHash does not match the hash of entry {seq - 1}: "
                    f"entry {seq - 1} or {seq} was altered",
                ),
            )
        if entry_hash(entry) != entry.get("hash"):
            return Verification(
                count, prev_hash, Break(seq, "its content was altered: the hash does not match")
            )
        prev_hash, expected, count = str(entry["hash"]), expected + 1, count + 1
    last = expected - 1
    head = await stored.head(graph)
    if head is None:
        return Verification(
            count, prev_hash, None if last == 0 else Break(last, "the log's head node is missing")
        )
    head_seq, head_hash = head
    if head_seq > last:
        return Verification(
            count,
            prev_hash,
            Break(last + 1, f"entries {last + 1}–{head_seq} missing (the head records {head_seq})"),
        )
    if head_seq < last:
        return Verification(
            count, prev_hash, Break(head_seq + 1, f"the head records only {head_seq} entries")
        )
    if head_hash != prev_hash:
        return Verification(count, prev_hash, Break(last, "the head's hash does not match the last entry"))
    return Verification(count, prev_hash, None)


async def first_broken_seq(graph: Graph) -> int | None:
    """The sequence number at which the chain first breaks, or None when it is intact."""
    broken = (await verify(graph)).broken
    return broken.seq if broken is not None else None
