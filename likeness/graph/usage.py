"""likenessUsage: every asset rendering any twin of a person, keyset-paginated by publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from likeness.graph.audit import HELD_VERDICTS, held_verdicts
from likeness.graph.driver import Graph
from likeness.graph.projection import fields, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Verdict

# A page's rows, each use `a` with its verdicts and publisher (both the index and the traversal answer them).
_ROWS: LiteralString = (
    "RETURN collect(["
    + fields("a")
    + ", labels(a), "
    + HELD_VERDICTS
    + ", COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN ["
    + fields("o")
    + ", labels(o)] }]) AS page"
)

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped).
# One round trip over the per-person use index (USED_IN, kept by graph.writes; range index
# `used_in_person` on personId, publishedAt, assetId): the count of the uses in the window, and the
# page after the cursor read in index order, each asset with its verdicts and publisher (which a usage
# page nearly always shows). `usage_page_by_traversal` is the same question answered from
# RENDERS/REPLICA_OF alone (the index's reference).
_PAGE = scoped(
    """
    CALL () {
      MATCH ()-[u:USED_IN]->(a)
      USING INDEX u:USED_IN(personId, publishedAt, assetId)
      WHERE u.personId = $personId AND u.publishedAt >= $from AND u.publishedAt < $to
        AND u.publishedAt <= $asOf AND u.assetId IS NOT NULL AND VISIBLE(a:Asset)
      RETURN count(a) AS total
    }
    CALL () {
      MATCH ()-[u:USED_IN]->(a)
      USING INDEX u:USED_IN(personId, publishedAt, assetId)
      WHERE u.personId = $personId AND u.publishedAt >= $from AND u.publishedAt < $to
        AND u.publishedAt <= $asOf AND u.assetId IS NOT NULL AND u.publishedAt >= coalesce($afterAt, $from)
        AND ($afterAt IS NULL OR u.publishedAt > $afterAt OR u.assetId > $afterId)
        AND VISIBLE(a:Asset)
      WITH a ORDER BY u.personId, u.publishedAt, u.assetId
      LIMIT $limit
"""
    + _ROWS
    + """
    }
    RETURN total, page
"""
)

# The same question from the graph's own relationships (what the use index answers from USED_IN):
# kept as the reference the index is tested against.
_PAGE_BY_TRAVERSAL = scoped(
    """
    MATCH (:Entity {id: $personId})<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset)
    WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf AND VISIBLE(a:Asset)
    WITH collect(DISTINCT a) AS uses
    CALL (uses) {
      UNWIND uses AS a
      WITH a
      WHERE $afterAt IS NULL OR a.publishedAt > $afterAt OR (a.publishedAt = $afterAt AND a.id > $afterId)
      ORDER BY a.publishedAt, a.id
      LIMIT $limit
"""
    + _ROWS
    + """
    }
    RETURN size(uses) AS total, page
"""
)


@dataclass(frozen=True)
class Use:
    asset: Node
    verdicts: tuple[Verdict, ...]
    publishers: list[Node]


async def usage_page(
    graph: Graph,
    *,
    person_id: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    after: tuple[datetime, str] | None,
    limit: int,
    scope: Scope | None = None,
    by_traversal: bool = False,
) -> tuple[list[Use], int]:
    """The page of uses after the cursor, each asset with its verdicts as of `as_of` and its publisher,
    and the count of all uses. `by_traversal` answers from RENDERS/REPLICA_OF instead of the use index
    (the reference the index is tested against, and the benchmark's before)."""
    params: dict[str, Any] = {
        "personId": person_id,
        "from": start,
        "to": end,
        "asOf": as_of,
        "afterAt": after[0] if after else None,
        "afterId": after[1] if after else None,
    }
    cypher, extra = (_PAGE_BY_TRAVERSAL if by_traversal else _PAGE).for_scope(scope)
    row = (await graph.query(cypher, limit=limit, **params, **extra))[0]
    page = [
        Use(
            asset=node(triples, labels),
            verdicts=held_verdicts(verdicts),
            publishers=[node(*publisher) for publisher in publishers],
        )
        for triples, labels, verdicts, publishers in row["page"]
    ]
    return page, row["total"]
