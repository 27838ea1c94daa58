"""Which law packs the stored verdicts were grounded with, and what a change of packs reaches.

The graph keeps one (:LawPackLoaded {key, sha256}) per pack version the stored verdicts were grounded
with. When the packs loaded differ (a new version, a new law, a file changed or gone), the verdicts a
changed pack can touch are grounded again (verdicts.regrounding): those whose code it grounds, those
naming it, and the sightings of the notices whose clock a law sets.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.log import mark_rewritten

_RECORDED: LiteralString = "MATCH (p:LawPackLoaded) RETURN p.key AS key, p.sha256 AS sha256"
_ANY_VERDICT: LiteralString = "MATCH (v:Verdict) RETURN v.code AS code LIMIT 1"
_RECORD: LiteralString = """
    UNWIND $packs AS pack
    MERGE (p:LawPackLoaded {key: pack.key})
    SET p.sha256 = pack.sha256, p.recordedAt = datetime()
    WITH count(*) AS recorded
    MATCH (gone:LawPackLoaded) WHERE NOT gone.key IN $keys
    DELETE gone
"""
_TOUCHED: LiteralString = """
    MATCH (v:Verdict)
    WHERE v.code IN $codes
       OR any(key IN coalesce(v.lawKeys, []) + coalesce(v.wouldBreakKeys, []) WHERE key IN $keys)
    RETURN DISTINCT v.subjectKind AS kind, v.subjectId AS id
"""
# notices whose clock the law sets (sent without responseHours), with what decides it
_LAW_CLOCKED: LiteralString = """
    MATCH (n:TakedownNotice) WHERE n.responseHoursGiven = false
    OPTIONAL MATCH (platform:Entity {id: n.platformId})
    RETURN n.id AS id, toString(n.sentAt) AS sentAt, n.category AS category,
           coalesce(n.ordered, false) AS ordered, platform.jurisdiction AS jurisdiction,
           n.responseHours AS hours, n.clockLaw AS law
"""
_RECLOCK: LiteralString = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.id}) WHERE n:TakedownNotice
    SET n.responseHours = row.hours, n.dueAt = n.sentAt + duration({hours: row.hours}), n.clockLaw = row.law
    WITH n
    MATCH (n)-[:ABOUT]->(s:Sighting)
    RETURN collect(DISTINCT s.id) AS sightings
"""


async def recorded_packs(graph: Graph) -> dict[str, str]:
    """``ID@version`` → SHA-256 of the packs the stored verdicts were grounded with."""
    return {row["key"]: row["sha256"] for row in await graph.query(_RECORDED)}


async def any_verdict(graph: Graph) -> bool:
    """Whether any verdict span is stored."""
    return bool(await graph.query(_ANY_VERDICT))


async def record_packs(graph: Graph, hashes: dict[str, str]) -> None:
    """Record `hashes` as the packs the stored verdicts are grounded with (and only those)."""
    packs = [{"key": key, "sha256": sha} for key, sha in sorted(hashes.items())]

    async def work(tx: AsyncManagedTransaction) -> None:
        await run(tx, _RECORD, packs=packs, keys=sorted(hashes))

    await graph.write(work)


async def touched_subjects(
    graph: Graph, *, codes: Collection[str], keys: Collection[str]
) -> dict[str, list[str]]:
    """Subject ids by kind (TWIN, ASSET, SIGHTING) of the stored verdicts with one of `codes` or naming
    one of the packs `keys`."""
    found: dict[str, list[str]] = {"TWIN": [], "ASSET": [], "SIGHTING": []}
    for row in await graph.query(_TOUCHED, codes=sorted(codes), keys=sorted(keys)):
        found.setdefault(row["kind"], []).append(row["id"])
    return {kind: sorted(ids) for kind, ids in found.items()}


async def law_clocked_notices(graph: Graph) -> list[dict[str, Any]]:
    """The notices whose clock a law sets: id, sentAt, category, ordered, the platform's jurisdiction,
    and their current hours and law."""
    return await graph.query(_LAW_CLOCKED)


async def reclock(graph: Graph, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Set these notices' clocks (``{id, hours, law}``); answers the sightings they are about."""
    if not rows:
        return []

    async def work(tx: AsyncManagedTransaction) -> list[str]:
        await mark_rewritten(tx)
        return list((await run(tx, _RECLOCK, rows=list(rows)))[0]["sightings"])

    return await graph.write(work)
