"""likenessUsage: every asset rendering any twin of a person, keyset-paginated by publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from likeness.graph.audit import HELD_VERDICTS, held_verdicts
from likeness.graph.driver import Graph
from likeness.graph.projection import fields, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Verdict

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped).
# One round trip: the count of all uses, and the page after the cursor with each asset's verdicts
# and publisher (which a usage page nearly always shows).
_PAGE = scoped(
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
      RETURN collect(["""
    + fields("a")
    + """, labels(a), """
    + HELD_VERDICTS
    + """,
                      COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN ["""
    + fields("o")
    + """, labels(o)] }]) AS page
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
) -> tuple[list[Use], int]:
    """The page of uses after the cursor, each asset with its verdicts as of `as_of` and its publisher,
    and the count of all uses."""
    params: dict[str, Any] = {
        "personId": person_id,
        "from": start,
        "to": end,
        "asOf": as_of,
        "afterAt": after[0] if after else None,
        "afterId": after[1] if after else None,
    }
    cypher, extra = _PAGE.for_scope(scope)
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
