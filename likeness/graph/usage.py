"""likenessUsage: every asset rendering any twin of a person, keyset-paginated by publication."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, node_of
from likeness.graph.visibility import Scope, scoped

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped)
_PAGE = scoped("""
    MATCH (:Entity {id: $personId})<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset)
    WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf AND VISIBLE(a:Asset)
      AND ($afterAt IS NULL OR a.publishedAt > $afterAt OR (a.publishedAt = $afterAt AND a.id > $afterId))
    WITH DISTINCT a
    ORDER BY a.publishedAt, a.id
    LIMIT $limit
    RETURN properties(a) AS props, labels(a) AS labels
""")

_COUNT = scoped("""
    MATCH (:Entity {id: $personId})<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset)
    WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf AND VISIBLE(a:Asset)
    RETURN count(DISTINCT a) AS total
""")


async def usage_page(
    graph: Graph, *, person_id: str, start: datetime, end: datetime, as_of: datetime,
    after: tuple[datetime, str] | None, limit: int, scope: Scope | None = None,
) -> tuple[list[Node], int]:
    params: dict[str, Any] = {
        "personId": person_id, "from": start, "to": end, "asOf": as_of,
        "afterAt": after[0] if after else None, "afterId": after[1] if after else None,
    }
    page, extra = _PAGE.for_scope(scope)
    rows = await graph.query(page, limit=limit, **params, **extra)
    params.pop("afterAt")
    params.pop("afterId")
    count, extra = _COUNT.for_scope(scope)
    total = (await graph.query(count, **params, **extra))[0]["total"]
    return [node_of(row["props"], row["labels"]) for row in rows], total
