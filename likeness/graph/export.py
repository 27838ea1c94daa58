"""The graph's events for an export (ingest.bulk writes them as JSON Lines): each kind's recorded inputs,
read as one consistent cut of a graph that may be written meanwhile.

Neo4j reads at "read committed": one transaction is not a snapshot, and a kind read after another can
hold an event whose reference was recorded after the other was read (an export taken during writes
used to re-import with a sighting naming a platform the file lacked). So the kinds are read in one read
transaction in the reverse of the contract's order (OP_ORDER: every reference points to an earlier
kind) — an event read has its references recorded before it, and they are read after it — then
written in the contract's order from a spool on disk, so a large graph is never held in memory. The
one reference within a kind, a twin superseding a twin, is closed by reading the missing twins by id.
What the file holds is then a state the graph could have had: every line's references are in it.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from typing import LiteralString

import orjson
from neo4j import READ_ACCESS, AsyncTransaction

from likeness.events.contract import OP_ORDER
from likeness.graph.driver import Graph
from likeness.graph.writes import EXPORTS

_TWINS_BY_ID: LiteralString = (
    "MATCH (n:Entity) WHERE n.id IN $ids AND n:Twin RETURN n.input AS input ORDER BY n.id"
)


async def exported_inputs(graph: Graph) -> AsyncIterator[tuple[str, str]]:
    """(op, canonical input JSON) of every recorded event, kinds in OP_ORDER, each kind in EXPORTS' order
    (twins by id, their supersessions closed: see `ingest.bulk` for the order the file puts them in)."""
    with tempfile.TemporaryFile() as spool:
        spans: dict[str, tuple[int, int]] = {}
        async with graph.driver.session(database=graph.database, default_access_mode=READ_ACCESS) as session:
            tx = await session.begin_transaction()
            try:
                for op in reversed(OP_ORDER):
                    start = spool.tell()
                    if op == "buildTwin":
                        for text in await _closed_twins(tx):
                            spool.write(text.encode() + b"\n")
                    else:
                        async for record in await tx.run(EXPORTS[op]):
                            spool.write(record["input"].encode() + b"\n")
                    spans[op] = (start, spool.tell())
            finally:
                await tx.rollback()
        for op in OP_ORDER:
            start, end = spans[op]
            spool.seek(start)
            while spool.tell() < end:
                yield op, spool.readline().decode().rstrip("\n")


async def _closed_twins(tx: AsyncTransaction) -> list[str]:
    """Every twin, with any twin one of them supersedes that the scan missed (recorded while it ran)."""
    inputs = [record["input"] async for record in await tx.run(EXPORTS["buildTwin"])]
    known = {_twin_id(text) for text in inputs}
    found_any = False
    while True:
        missing = {
            older
            for older in (orjson.loads(text).get("supersedesId") for text in inputs)
            if older is not None and older not in known
        }
        if not missing:
            return sorted(inputs, key=_twin_id) if found_any else inputs
        found = [record["input"] async for record in await tx.run(_TWINS_BY_ID, ids=sorted(missing))]
        if not found:
            return inputs  # unreachable while nothing is deleted; the import would name what is missing
        found_any = True
        inputs.extend(found)
        known.update(_twin_id(text) for text in found)


def _twin_id(text: str) -> str:
    return str(orjson.loads(text)["id"])
