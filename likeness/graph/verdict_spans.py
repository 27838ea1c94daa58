"""Stored verdict spans: the subjects an event's ids reach, and a subject's spans replaced.

Each subject (asset, twin or sighting) keeps its verdict history as (:Verdict) nodes, one per verdict and
span of as-of instants [start, end) in which it holds, so "which verdicts hold as of T" is an index range
scan, never a re-evaluation. Which spans to store is the rules' answer (likeness.verdicts); this module
only reads and writes them, and keeps the audit's counts (graph.verdict_counts) in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.verdict_counts import DELETE_BUCKETS, SPAN_BUCKETS, CountDeltas

_AFFECTED: LiteralString = """
    CALL () {
      UNWIND $consentIds AS kid
      MATCH (:Entity {id: kid})<-[:GRANTED]-(p:Person)
      RETURN collect(DISTINCT p.id) AS consentPersons
    }
    WITH $personIds + consentPersons AS persons
    CALL (persons) {
      UNWIND persons AS pid
      MATCH (:Entity {id: pid})<-[:REPLICA_OF]-(t:Twin)
      RETURN collect(DISTINCT t.id) AS personTwins
    }
    WITH $twinIds + personTwins AS twins
    CALL (twins) {
      UNWIND twins AS tid
      MATCH (:Entity {id: tid})<-[:RENDERS]-(a:Asset)
      RETURN collect(DISTINCT a.id) AS twinAssets
    }
    CALL () {
      UNWIND $sightingIds AS sid
      MATCH (:Entity {id: sid})-[:MATCHES]->(a:Asset)
      RETURN collect(DISTINCT a.id) AS seenAssets
    }
    RETURN twins, $assetIds + twinAssets + seenAssets AS assets
"""

# the sightings whose own verdicts (rules.sighting) the events can change: the events' own, those
# resembling a new capture or matching a new asset, those a notice (or its answer) is about
_AFFECTED_SIGHTINGS: LiteralString = """
    CALL () {
      UNWIND $captureIds AS cid
      MATCH (:Entity {id: cid})<-[:RESEMBLES]-(s:Sighting)
      RETURN collect(DISTINCT s.id) AS resembling
    }
    CALL () {
      UNWIND $assetIds AS aid
      MATCH (:Entity {id: aid})<-[:MATCHES]-(s:Sighting)
      RETURN collect(DISTINCT s.id) AS matching
    }
    CALL () {
      UNWIND $noticeIds AS nid
      MATCH (:Entity {id: nid})-[:ABOUT]->(s:Sighting)
      RETURN collect(DISTINCT s.id) AS noticed
    }
    RETURN $sightingIds + resembling + matching + noticed AS sightings
"""

# each writer returns the count buckets of the spans it deletes or creates (graph.verdict_counts)
_DELETE: LiteralString = (
    """
    UNWIND $subjectIds AS sid
    MATCH (v:Verdict {subjectId: sid})
    WITH v,"""
    + SPAN_BUCKETS
    + """
    DELETE v
    RETURN code, opened, closed, count(*) AS spans
"""
)

# instants travel as ISO strings (cheaper than the driver's temporal packing) and are typed here
_CREATE: LiteralString = (
    """
    UNWIND $rows AS row
    CREATE (v:Verdict)
    SET v = row, v.start = datetime(row.start), v.end = datetime(row.end),
        v.occurredAt = datetime(row.occurredAt)
    WITH"""
    + SPAN_BUCKETS
    + """
    RETURN code, opened, closed, count(*) AS spans
"""
)


async def reached_subjects(
    tx: AsyncManagedTransaction,
    *,
    person_ids: Sequence[str],
    consent_ids: Sequence[str],
    twin_ids: Sequence[str],
    sighting_ids: Sequence[str],
    asset_ids: Sequence[str],
) -> tuple[list[str], list[str]]:
    """The twins and assets these ids reach: the persons' (and the consents' persons') twins, the twins'
    assets, the assets the sightings match, and the given twins and assets themselves."""
    row = (
        await run(
            tx,
            _AFFECTED,
            personIds=list(person_ids),
            consentIds=list(consent_ids),
            twinIds=list(twin_ids),
            sightingIds=list(sighting_ids),
            assetIds=list(asset_ids),
        )
    )[0]
    return sorted(set(row["twins"])), sorted(set(row["assets"]))


async def reached_sightings(
    tx: AsyncManagedTransaction,
    *,
    sighting_ids: Sequence[str],
    capture_ids: Sequence[str],
    asset_ids: Sequence[str],
    notice_ids: Sequence[str],
) -> list[str]:
    """The given sightings, those resembling the captures or matching the assets, those the notices are
    about."""
    row = (
        await run(
            tx,
            _AFFECTED_SIGHTINGS,
            sightingIds=list(sighting_ids),
            captureIds=list(capture_ids),
            assetIds=list(asset_ids),
            noticeIds=list(notice_ids),
        )
    )[0]
    return sorted(set(row["sightings"]))


async def replace_spans(
    tx: AsyncManagedTransaction, subject_ids: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Delete every stored span of these subjects and store `rows` (verdict_row's) in their place, the
    audit's counts moved by the difference."""
    deltas = CountDeltas()
    deltas.add(await run(tx, _DELETE, subjectIds=list(subject_ids)), -1)
    if rows:
        deltas.add(await run(tx, _CREATE, rows=rows), +1)
    await deltas.apply(tx)


_ALL_TWINS: LiteralString = "MATCH (t:Twin) RETURN t.id AS id ORDER BY id"
_ALL_ASSETS: LiteralString = "MATCH (a:Asset) RETURN a.id AS id ORDER BY id"
_ALL_SIGHTINGS: LiteralString = "MATCH (s:Sighting) RETURN s.id AS id ORDER BY id"
_DELETE_ALL: LiteralString = "MATCH (v:Verdict) CALL (v) { DELETE v } IN TRANSACTIONS OF 10000 ROWS"


async def delete_all_spans(graph: Graph) -> None:
    """Every stored span and count bucket gone (batches of their own, outside any unit of work)."""
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(_DELETE_ALL)).consume()
        # the batches that store them again count what they store from empty buckets
        await (await session.run(DELETE_BUCKETS)).consume()


async def all_subjects(graph: Graph) -> tuple[list[str], list[str], list[str]]:
    """The ids of every twin, asset and sighting, each in order."""
    twins = [row["id"] for row in await graph.query(_ALL_TWINS)]
    assets = [row["id"] for row in await graph.query(_ALL_ASSETS)]
    sightings = [row["id"] for row in await graph.query(_ALL_SIGHTINGS)]
    return twins, assets, sightings
