"""Alerts: the outbox of who must hear of a change, kept in Neo4j beside the change itself.

An (:Alert) is written in the transaction of the change it reports (or of the clock's tick that found a
deadline passed), so a crash can delay its delivery but never lose it. Each alert has a `seq`, strictly
increasing over the graph (writers take turns: likeness.access.log), which subscriptions and the
webhooks' fan-out follow, and `(:Alert)-[:FOR]->(party)` to every tenant party it is addressed to: the
parties that may see its subject under the access rules (graph.visibility), found along the same
relationships, and the agencies representing the persons among them today. Admins, regulators and
investigators read every alert. Which alerts a change produces is likeness.alerts.outbox's answer; this
module only writes and reads them.

An alert carries ids, a verdict code, a deadline and one plain sentence: never a face template, never a
personal field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run

# the parties that may see a subject: along the relationships graph.visibility's predicates read, from the
# subject's side (an asset's publisher, its campaign's brand, its twins' persons and vendors, the persons
# its file shows; a twin's person, vendor, commissioner, consent grantees and publishers; a sighting's
# platform, the persons it resembles or shows, its notices' senders and platforms, those who see what it
# matches; a consent's parties and its sublicensees; a notice's sender and platform and those who see its
# sighting, but a platform: it sees the sighting its own notice is about, never another platform's notice)
_NEAR: LiteralString = """
    COLLECT {
      MATCH (s:Asset)-[:PUBLISHED_BY|SUBLICENSED_FROM|SHOWS_FACE_OF]->(x) RETURN x.id AS pid
      UNION MATCH (s:Asset)-[:IN_CAMPAIGN]->(:Campaign)<-[:RUNS]-(x) RETURN x.id AS pid
      UNION MATCH (s:Asset)-[:RENDERS]->(:Twin)-[:BUILT_BY|REPLICA_OF]->(x) RETURN x.id AS pid
      UNION MATCH (s:Twin)-[:BUILT_BY|COMMISSIONED_BY|REPLICA_OF]->(x) RETURN x.id AS pid
      UNION MATCH (s:Twin)<-[:COVERS]-(:Consent)-[:TO]->(x) RETURN x.id AS pid
      UNION MATCH (s:Twin)<-[:RENDERS]-(:Asset)-[:PUBLISHED_BY|SUBLICENSED_FROM]->(x) RETURN x.id AS pid
      UNION MATCH (s:Consent)-[:TO|NEGOTIATED_BY|SIGNED_BY|GUARDIAN]->(x) RETURN x.id AS pid
      UNION MATCH (s:Consent)<-[:GRANTED]-(x) RETURN x.id AS pid
      UNION MATCH (s:Consent)-[:COVERS]->(:Twin)<-[:RENDERS]-(a:Asset)-[:PUBLISHED_BY]->(x),
                  (a)-[:SUBLICENSED_FROM]->()<-[:TO]-(s)
            RETURN x.id AS pid
      UNION MATCH (s:TakedownNotice)-[:SENT_BY|TO]->(x) RETURN x.id AS pid
      UNION MATCH (s:Sighting|TakedownNotice)-[:ABOUT*0..1]->(g:Sighting)
            CALL (g, s) {
              MATCH (g)-[:SEEN_ON|SHOWS_FACE_OF]->(x) RETURN x
              UNION MATCH (g)-[:RESEMBLES]->(:Capture)-[:DEPICTS]->(x) RETURN x
              UNION MATCH (g)<-[:ABOUT]-(:TakedownNotice)-[:SENT_BY|TO]->(x)
                    WHERE s:Sighting OR NOT x:Platform
                    RETURN x
              UNION MATCH (g)-[:MATCHES]->(:Asset)-[:PUBLISHED_BY|SUBLICENSED_FROM|SHOWS_FACE_OF]->(x)
                    RETURN x
              UNION MATCH (g)-[:MATCHES]->(:Asset)-[:IN_CAMPAIGN]->(:Campaign)<-[:RUNS]-(x) RETURN x
              UNION MATCH (g)-[:MATCHES]->(:Asset)-[:RENDERS]->(:Twin)-[:BUILT_BY|REPLICA_OF]->(x) RETURN x
            }
            RETURN x.id AS pid
    }
"""

# Write the alerts `$alerts` (each {id, type, subjectId, subjectKind, code, deadline, summary, parties,
# only, when}), numbered after the last alert, at `$at`:
# - `parties` are named beside those near the subject (a verdict's liable parties, its persons); `only`,
#   when given, is the whole audience instead (a face match: the person alone, and her agency);
# - `when: 'OVERDUE'` keeps a notice's alert only if its window has closed with no removal;
# - an alert whose id is already written is not written again (the clock's ids are the deadline's own).
# The deadline of a revocation is its takedown period's end, of a notice its window's: read here.
_EMIT: LiteralString = (
    """
    MERGE (c:AlertCounter {id: 'alerts'})
    WITH c, coalesce(c.n, 0) AS base
    SET c.n = base + size($alerts)
    WITH base
    UNWIND range(0, size($alerts) - 1) AS i
    WITH base + i + 1 AS seq, $alerts[i] AS al
    WHERE NOT EXISTS { MATCH (:Alert {id: al.id}) }
    MATCH (s:Entity {id: al.subjectId})
    WITH seq, al, s
    WHERE al.when IS NULL OR (
      al.when = 'OVERDUE' AND s.dueAt <= datetime($at)
      AND NOT EXISTS { MATCH (s)-[r:ANSWERED]->() WHERE r.outcome = 'REMOVED' AND r.respondedAt <= s.dueAt })
    WITH seq, al, s, CASE WHEN al.only IS NULL THEN al.parties + """
    + _NEAR
    + """ ELSE al.only END AS named
    CALL (named) {
      UNWIND named AS pid
      MATCH (person:Entity {id: pid})<-[r:REPRESENTS]-(agency)
      WHERE person:Person AND r.since <= date() AND (r.until IS NULL OR date() <= r.until)
      RETURN collect(DISTINCT agency.id) AS agencies
    }
    CREATE (a:Alert {id: al.id, seq: seq, type: al.type, at: datetime($at), subjectId: al.subjectId,
                     subjectKind: al.subjectKind, code: al.code, summary: al.summary, readBy: []})
    SET a.deadline = CASE
          WHEN al.type = 'CONSENT_REVOKED' THEN s.revokedAt + duration({days: coalesce(s.takedownDays, 30)})
          WHEN al.type STARTS WITH 'NOTICE_' THEN s.dueAt
          WHEN al.type = 'CONSENT_EXPIRING' THEN s.validUntil
          ELSE null END
    WITH a, named + agencies AS audience
    CALL (a, audience) {
      UNWIND audience AS pid
      WITH DISTINCT pid
      MATCH (p:Entity {id: pid})
      WHERE p:Person OR p:Organization
      CREATE (a)-[:FOR]->(p)
    }
    RETURN count(a) AS written
"""
)

# what the announced verdicts of subjects were (AlertState.codes) and what holds on each now: the codes
# opened and closed since, the parties the changed verdicts name; the state moves to now's codes
_VERDICT_CHANGES: LiteralString = """
    UNWIND $subjectIds AS sid
    MATCH (n:Entity {id: sid})
    OPTIONAL MATCH (st:AlertState {subjectId: sid})
    WITH n, sid, coalesce(st.codes, []) AS before,
         COLLECT { MATCH (v:Verdict {subjectId: sid}) WHERE v.start <= datetime($now) < v.end
                   RETURN DISTINCT v.code AS code ORDER BY code } AS after
    WITH n, sid, before, after, [c IN after WHERE NOT c IN before] AS opened,
         [c IN before WHERE NOT c IN after] AS closed
    WHERE size(opened) > 0 OR size(closed) > 0
    MERGE (st:AlertState {subjectId: sid})
    SET st.codes = after
    RETURN sid AS subjectId,
           CASE WHEN n:Asset THEN 'ASSET' WHEN n:Twin THEN 'TWIN' ELSE 'SIGHTING' END AS subjectKind,
           opened, closed,
           COLLECT { MATCH (v:Verdict {subjectId: sid}) WHERE v.code IN opened + closed
                     UNWIND v.partyIds + v.personIds + coalesce(v.publisherId, []) AS pid
                     RETURN DISTINCT pid } AS parties
"""

# the subjects whose verdicts change with time alone in (from, now]: a span starting or ending in it
_SPANS_TURNING: LiteralString = """
    CALL () {
      MATCH (v:Verdict) WHERE datetime($from) < v.start <= datetime($now) RETURN v.subjectId AS sid
      UNION
      MATCH (v:Verdict) WHERE datetime($from) < v.end <= datetime($now) RETURN v.subjectId AS sid
    }
    RETURN collect(DISTINCT sid) AS ids
"""

# notices whose response window closed in (from, now]
_NOTICES_CLOSING: LiteralString = """
    MATCH (n:TakedownNotice) USING INDEX n:TakedownNotice(dueAt)
    WHERE datetime($from) < n.dueAt <= datetime($now)
    RETURN n.id AS id ORDER BY n.dueAt, n.id
"""

# consents (not revoked) whose end came within `$expiryDays` days in (from, now]
_CONSENTS_ENDING: LiteralString = """
    WITH duration({days: $expiryDays}) AS ahead
    MATCH (k:Consent) USING INDEX k:Consent(validUntil)
    WHERE datetime($from) + ahead < k.validUntil <= datetime($now) + ahead
      AND k.revokedAt IS NULL AND k.validUntil > datetime($now)
    RETURN k.id AS id, k.validUntil AS validUntil ORDER BY k.validUntil, k.id
"""

# the clock's lease: held by one process at a time until `until`; `through` is the instant the clock has
# emitted every deadline up to (set to now on the first tick ever: what passed before was reported by the
# writes that recorded it)
_LEASE: LiteralString = """
    MERGE (l:Lease {name: $name})
    WITH l
    WHERE l.owner IS NULL OR l.owner = $owner OR l.until < datetime()
    SET l.owner = $owner, l.until = datetime() + duration({seconds: $seconds})
    RETURN coalesce(l.through, datetime($now)) AS through
"""

_THROUGH: LiteralString = """
    MATCH (l:Lease {name: $name}) WHERE l.owner = $owner
    SET l.through = datetime($now)
"""

_RELEASE: LiteralString = """
    MATCH (l:Lease {name: $name}) WHERE l.owner = $owner
    SET l.until = datetime() - duration({seconds: 1})
"""

_FIELDS: LiteralString = """
    a.id AS id, a.seq AS seq, a.type AS type, a.at AS at, a.subjectId AS subjectId,
    a.subjectKind AS subjectKind, a.code AS code, a.deadline AS deadline, a.summary AS summary,
    $reader IN a.readBy AS read
"""

# a tenant's alerts, newest first (its party's FOR relationships)
_FOR_PARTY: LiteralString = (
    """
    MATCH (:Entity {id: $party})<-[:FOR]-(a:Alert)
    WHERE a.seq < $beforeSeq AND ($types IS NULL OR a.type IN $types)
      AND (NOT $withUnreadOnly OR NOT $reader IN a.readBy)
    WITH a ORDER BY a.seq DESC LIMIT $limit
    RETURN """
    + _FIELDS
)

_FOR_EVERYONE: LiteralString = (
    """
    MATCH (a:Alert)
    WHERE a.seq < $beforeSeq AND ($types IS NULL OR a.type IN $types)
      AND (NOT $withUnreadOnly OR NOT $reader IN a.readBy)
    WITH a ORDER BY a.seq DESC LIMIT $limit
    RETURN """
    + _FIELDS
)

_UNREAD_OF_PARTY: LiteralString = """
    MATCH (:Entity {id: $party})<-[:FOR]-(a:Alert)
    WHERE NOT $reader IN a.readBy AND ($types IS NULL OR a.type IN $types)
    RETURN count(a) AS unread
"""

_UNREAD_OF_EVERYONE: LiteralString = """
    MATCH (a:Alert)
    WHERE NOT $reader IN a.readBy AND ($types IS NULL OR a.type IN $types)
    RETURN count(a) AS unread
"""

# marks read the alerts named (or all) that the reader sees; answers how many were newly marked
_MARK_READ_OF_PARTY: LiteralString = """
    MATCH (:Entity {id: $party})<-[:FOR]-(a:Alert)
    WHERE ($withAll OR a.id IN $ids) AND NOT $reader IN a.readBy
    SET a.readBy = a.readBy + $reader
    RETURN count(a) AS marked
"""

_MARK_READ_OF_EVERYONE: LiteralString = """
    MATCH (a:Alert)
    WHERE ($withAll OR a.id IN $ids) AND NOT $reader IN a.readBy
    SET a.readBy = a.readBy + $reader
    RETURN count(a) AS marked
"""

# the alerts after a seq, oldest first, with their audience: what subscriptions follow
_AFTER: LiteralString = """
    MATCH (a:Alert) WHERE a.seq > $after
    WITH a ORDER BY a.seq LIMIT $limit
    RETURN a.id AS id, a.seq AS seq, a.type AS type, a.at AS at, a.subjectId AS subjectId,
           a.subjectKind AS subjectKind, a.code AS code, a.deadline AS deadline, a.summary AS summary,
           COLLECT { MATCH (a)-[:FOR]->(p) RETURN p.id } AS audience
"""

_LAST_SEQ: LiteralString = "MATCH (c:AlertCounter {id: 'alerts'}) RETURN c.n AS seq"

# an alert by id with its audience (replays and tests)
_ONE: LiteralString = """
    MATCH (a:Alert {id: $id})
    RETURN a.id AS id, a.seq AS seq, a.type AS type, a.at AS at, a.subjectId AS subjectId,
           a.subjectKind AS subjectKind, a.code AS code, a.deadline AS deadline, a.summary AS summary,
           COLLECT { MATCH (a)-[:FOR]->(p) RETURN p.id } AS audience
"""

# a big enough seq to mean "from the newest"
NEWEST = 2**62


async def emit(tx: AsyncManagedTransaction, alerts: Sequence[dict[str, Any]], at: datetime) -> int:
    """Write these alerts (shape: _EMIT's) in the caller's transaction; answers how many were written."""
    if not alerts:
        return 0
    rows = [
        {"code": None, "parties": [], "only": None, "when": None, **alert, "deadline": None}
        for alert in alerts
    ]
    found = await run(tx, _EMIT, alerts=rows, at=at)
    return int(found[0]["written"]) if found else 0


async def verdict_changes(
    tx: AsyncManagedTransaction, subject_ids: Sequence[str], now: datetime
) -> list[dict[str, Any]]:
    """For each subject whose verdicts holding at `now` differ from those last announced: the codes opened
    and closed and the parties they name; the announced state moves to now's."""
    if not subject_ids:
        return []
    return await run(tx, _VERDICT_CHANGES, subjectIds=list(subject_ids), now=now)


async def spans_turning(tx: AsyncManagedTransaction, after: datetime, now: datetime) -> list[str]:
    rows = await run(tx, _SPANS_TURNING, **{"from": after}, now=now)
    return sorted(rows[0]["ids"]) if rows else []


async def notices_closing(tx: AsyncManagedTransaction, after: datetime, now: datetime) -> list[str]:
    rows = await run(tx, _NOTICES_CLOSING, **{"from": after}, now=now)
    return [row["id"] for row in rows]


async def consents_ending(
    tx: AsyncManagedTransaction, after: datetime, now: datetime, days: int
) -> list[str]:
    rows = await run(tx, _CONSENTS_ENDING, **{"from": after}, now=now, expiryDays=days)
    return [row["id"] for row in rows]


async def take_lease(
    tx: AsyncManagedTransaction, name: str, owner: str, seconds: float, now: datetime
) -> datetime | None:
    """Hold the lease `name` for `seconds` (if free, expired or already ours); answers the instant its work
    is done through, or None when another process holds it."""
    rows = await run(tx, _LEASE, name=name, owner=owner, seconds=seconds, now=now)
    return rows[0]["through"].to_native() if rows else None


async def move_through(tx: AsyncManagedTransaction, name: str, owner: str, now: datetime) -> None:
    await run(tx, _THROUGH, name=name, owner=owner, now=now)


async def release_lease(graph: Graph, name: str, owner: str) -> None:
    """Let another process take the lease at once (a clean shutdown)."""

    async def work(tx: AsyncManagedTransaction) -> None:
        await run(tx, _RELEASE, name=name, owner=owner)

    await graph.write(work)


def _native(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("at", "deadline"):
        if row.get(key) is not None:
            row[key] = row[key].to_native()
    return row


async def alerts_of(
    graph: Graph,
    *,
    party: str | None,
    reader: str,
    types: Sequence[str] | None,
    unread_only: bool,
    first: int,
    before: int | None,
) -> list[dict[str, Any]]:
    """A reader's alerts, newest first: a tenant's (party), or every alert (party None)."""
    params: dict[str, Any] = {
        "reader": reader,
        "types": list(types) if types is not None else None,
        "withUnreadOnly": unread_only,
        "limit": first,
        "beforeSeq": before if before is not None else NEWEST,
    }
    if party is None:
        rows = await graph.query(_FOR_EVERYONE, **params)
    else:
        rows = await graph.query(_FOR_PARTY, party=party, **params)
    return [_native(row) for row in rows]


async def unread_of(graph: Graph, *, party: str | None, reader: str, types: Sequence[str] | None) -> int:
    listed = list(types) if types is not None else None
    if party is None:
        rows = await graph.query(_UNREAD_OF_EVERYONE, reader=reader, types=listed)
    else:
        rows = await graph.query(_UNREAD_OF_PARTY, party=party, reader=reader, types=listed)
    return int(rows[0]["unread"]) if rows else 0


async def mark_read(
    tx: AsyncManagedTransaction, *, party: str | None, reader: str, ids: Sequence[str], every: bool
) -> int:
    if party is None:
        rows = await run(tx, _MARK_READ_OF_EVERYONE, reader=reader, ids=list(ids), withAll=every)
    else:
        rows = await run(tx, _MARK_READ_OF_PARTY, party=party, reader=reader, ids=list(ids), withAll=every)
    return int(rows[0]["marked"]) if rows else 0


async def alerts_after(graph: Graph, after: int, first: int = 500) -> list[dict[str, Any]]:
    """The alerts after seq `after`, oldest first, each with its audience (party ids)."""
    return [_native(row) for row in await graph.query(_AFTER, after=after, limit=first)]


async def last_seq(graph: Graph) -> int:
    rows = await graph.query(_LAST_SEQ)
    return int(rows[0]["seq"] or 0) if rows else 0


async def alert(graph: Graph, alert_id: str) -> dict[str, Any] | None:
    rows = await graph.query(_ONE, id=alert_id)
    return _native(rows[0]) if rows else None
