"""Takedown notices and what a sighting shows: the notices page with its counts by status, the answers
recorded to notices, and the verdicts holding on a sighting (its own and those of the assets it matches).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from likeness.graph.audit import HELD_VERDICTS, held_verdicts
from likeness.graph.driver import Graph
from likeness.graph.projection import fields, instant, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Verdict

# the statuses in the order the API lists them (the contract's NoticeStatus)
STATUSES = ("OPEN", "ANSWERED", "REMOVED", "OVERDUE")

# Notices are few next to assets and verdicts: the page and the counts by status come from one pass over
# the notices matching the filter. The status is rules.sighting.notice_status written in Cypher (a test
# holds the two equal): REMOVED once a removal is answered by $asOf, else OVERDUE once the window closed,
# else ANSWERED when refused or counter-noticed, else OPEN.
_NOTICES = scoped(
    """
    MATCH (n:TakedownNotice)
    WHERE n.sentAt <= $asOf AND n.id IS NOT NULL
      AND ($platformId IS NULL OR n.platformId = $platformId)
      AND ($personId IS NULL
           OR EXISTS { MATCH (n)-[:ABOUT]->(:Sighting)-[:RESEMBLES]->(:Capture)-[:DEPICTS]->(p:Person)
                       WHERE p.id = $personId }
           OR EXISTS { MATCH (n)-[:ABOUT]->(:Sighting)-[:MATCHES]->(:Asset)-[:RENDERS]->(:Twin)
                             -[:REPLICA_OF]->(p:Person) WHERE p.id = $personId })
      AND VISIBLE(n:TakedownNotice)
    WITH n, COLLECT { MATCH (n)-[r:ANSWERED]->() WHERE r.respondedAt <= $asOf RETURN r.outcome } AS outcomes
    WITH n, CASE WHEN 'REMOVED' IN outcomes THEN 'REMOVED'
                 WHEN n.dueAt <= $asOf THEN 'OVERDUE'
                 WHEN size(outcomes) > 0 THEN 'ANSWERED'
                 ELSE 'OPEN' END AS status
    ORDER BY n.sentAt, n.id
    WITH collect({n: n, status: status}) AS rows
    WITH rows, [row IN rows WHERE $status IS NULL OR row.status = $status] AS chosen
    WITH [status IN $statuses | [status, size([row IN rows WHERE row.status = status])]] AS counts,
         size(chosen) AS total,
         [row IN chosen
          WHERE $afterAt IS NULL OR row.n.sentAt > $afterAt
                OR (row.n.sentAt = $afterAt AND row.n.id > $afterId)
         ][..$limit] AS page
    WITH counts, total, [row IN page | row.n] AS nodes, [row IN page | row.status] AS statuses
    RETURN counts, total, statuses, [n IN nodes | ["""
    + fields("n")
    + """, labels(n)]] AS page
"""
)


@dataclass(frozen=True)
class NoticeFilter:
    as_of: datetime
    platform_id: str | None = None
    person_id: str | None = None
    status: str | None = None
    scope: Scope | None = None


@dataclass(frozen=True)
class NoticePage:
    # (notice node, its status as of the filter's instant)
    rows: list[tuple[Node, str]]
    # every status among the notices matching the filter but its status, zeros included
    counts: dict[str, int]
    # the notices matching the whole filter
    total: int


async def notice_page(
    graph: Graph, flt: NoticeFilter, *, after: tuple[datetime, str] | None, limit: int
) -> NoticePage:
    """A page of the notices sent by the filter's instant that match it, in order of sending."""
    cypher, viewer = _NOTICES.for_scope(flt.scope)
    rows = await graph.query(
        cypher,
        asOf=flt.as_of,
        platformId=flt.platform_id,
        personId=flt.person_id,
        status=flt.status,
        statuses=list(STATUSES),
        afterAt=after[0] if after else None,
        afterId=after[1] if after else None,
        limit=limit,
        **viewer,
    )
    row = rows[0]
    return NoticePage(
        rows=[
            (node(triples, labels), status)
            for (triples, labels), status in zip(row["page"], row["statuses"], strict=True)
        ],
        counts={status: count for status, count in row["counts"]},
        total=row["total"],
    )


_RESPONSES: LiteralString = """
    UNWIND $ids AS id
    MATCH (:Entity {id: id})-[r:ANSWERED]->()
    RETURN id, toString(r.respondedAt) AS respondedAt, r.outcome AS outcome, r.note AS note
    ORDER BY id, r.respondedAt
"""


async def notice_responses(graph: Graph, notice_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The answers recorded to each notice, oldest first: {respondedAt, outcome, note}. (Whoever may see
    a notice may see its answers: the caller checks the notice.)"""
    found: dict[str, list[dict[str, Any]]] = {notice_id: [] for notice_id in notice_ids}
    for row in await graph.query(_RESPONSES, ids=notice_ids):
        found[row["id"]].append(
            {"respondedAt": instant(row["respondedAt"]), "outcome": row["outcome"], "note": row["note"]}
        )
    return found


# the sighting's own verdict spans holding as of $asOf, and those of each asset it matches that the
# caller may see
_SIGHTING_VERDICTS = scoped(
    """
    MATCH (s:Entity {id: $sightingId}) WHERE s:Sighting AND VISIBLE(s:Sighting) AND s.observedAt <= $asOf
    RETURN COLLECT { MATCH (held:Verdict {subjectId: s.id}) WHERE held.start <= $asOf AND held.end > $asOf
                     RETURN held {.code, .subjectId, .liable, .consentIds, .failedClauses, .evidence,
                                  .explanation, .lawKeys, .wouldBreakKeys, .vkey} } AS own,
           COLLECT { MATCH (s)-[:MATCHES]->(a:Asset) WHERE VISIBLE(a:Asset)
                     WITH a ORDER BY a.id
                     RETURN [a.id, """
    + HELD_VERDICTS
    + """] } AS inherited
"""
)


async def sighting_verdicts_as_of(
    graph: Graph, *, sighting_id: str, as_of: datetime, scope: Scope | None = None
) -> tuple[Verdict, ...] | None:
    """The verdicts holding as of `as_of` on what a sighting shows: its own (UNREGISTERED_USE,
    NOTICE_UNANSWERED) in the rules' order, then those of each asset it matches that the scope may see,
    by asset id. None when the scope may see no such sighting observed by `as_of`."""
    cypher, viewer = _SIGHTING_VERDICTS.for_scope(scope)
    rows = await graph.query(cypher, sightingId=sighting_id, asOf=as_of, **viewer)
    if not rows:
        return None
    row = rows[0]
    found = list(held_verdicts(row["own"]))
    for _, verdicts in row["inherited"]:
        found.extend(held_verdicts(verdicts))
    return tuple(found)
