"""A brand's own usage history and a person's compensation: the facts behind those answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, node_of
from likeness.graph.visibility import Scope, scoped

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped)
_PUBLISHED = scoped("""
    MATCH (:Entity {id: $organizationId})<-[:PUBLISHED_BY]-(a:Asset)
    WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf AND VISIBLE(a:Asset)
    RETURN properties(a) AS props, labels(a) AS labels
    ORDER BY a.publishedAt, a.id
    LIMIT $limit
""")

_EXPIRING = scoped("""
    MATCH (:Entity {id: $organizationId})<-[:TO]-(k:Consent)
    WHERE k.signedAt <= $asOf AND k.validUntil >= $asOf AND k.validUntil < $until
      AND (k.revokedAt IS NULL OR k.revokedAt > $asOf) AND VISIBLE(k:Consent)
    RETURN properties(k) AS props, labels(k) AS labels
    ORDER BY k.validUntil, k.id
""")

_COMPENSATION = scoped("""
    MATCH (:Entity {id: $personId})-[:GRANTED]->(k:Consent)
    WHERE k.signedAt <= $asOf AND VISIBLE(k:Consent)
    RETURN properties(k) AS consent, labels(k) AS labels,
      COLLECT { MATCH (pay:Payment)-[:UNDER]->(k)
                WHERE pay.paidAt >= $from AND pay.paidAt < $to AND pay.paidAt <= $asOf
                  AND VISIBLE(pay:Payment)
                RETURN [properties(pay), labels(pay)] } AS payments,
      COUNT { MATCH (k)-[:COVERS]->(:Twin)<-[:RENDERS]-(a:Asset)
              WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf
                AND (a.publisherId = k.granteeId OR a.sublicensedFromId = k.granteeId)
                AND VISIBLE(a:Asset) } AS uses
    ORDER BY k.signedAt, k.id
""")


async def published_by(
    graph: Graph,
    *,
    organization_id: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    limit: int,
    scope: Scope | None = None,
) -> list[Node]:
    cypher, extra = _PUBLISHED.for_scope(scope)
    rows = await graph.query(
        cypher, organizationId=organization_id, **{"from": start, "to": end}, asOf=as_of, limit=limit, **extra
    )
    return [node_of(row["props"], row["labels"]) for row in rows]


async def expiring_consents(
    graph: Graph, *, organization_id: str, as_of: datetime, until: datetime, scope: Scope | None = None
) -> list[Node]:
    cypher, extra = _EXPIRING.for_scope(scope)
    rows = await graph.query(cypher, organizationId=organization_id, asOf=as_of, until=until, **extra)
    return [node_of(row["props"], row["labels"]) for row in rows]


async def compensation_facts(
    graph: Graph,
    *,
    person_id: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    scope: Scope | None = None,
) -> list[dict[str, Any]]:
    cypher, extra = _COMPENSATION.for_scope(scope)
    rows = await graph.query(cypher, personId=person_id, **{"from": start, "to": end}, asOf=as_of, **extra)
    return [
        {
            "consent": node_of(row["consent"], row["labels"]),
            "payments": sorted(
                (node_of(props, labels) for props, labels in row["payments"]),
                key=lambda node: (node["paidAt"], node["id"]),
            ),
            "uses": row["uses"],
        }
        for row in rows
    ]
