"""A brand's own usage history and a person's compensation: the facts behind those answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, node_of

_PUBLISHED: LiteralString = """
    MATCH (:Entity {id: $organizationId})<-[:PUBLISHED_BY]-(a:Asset)
    WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf
    RETURN properties(a) AS props, labels(a) AS labels
    ORDER BY a.publishedAt, a.id
    LIMIT $limit
"""

_EXPIRING: LiteralString = """
    MATCH (:Entity {id: $organizationId})<-[:TO]-(k:Consent)
    WHERE k.signedAt <= $asOf AND k.validUntil >= $asOf AND k.validUntil < $until
      AND (k.revokedAt IS NULL OR k.revokedAt > $asOf)
    RETURN properties(k) AS props, labels(k) AS labels
    ORDER BY k.validUntil, k.id
"""

_COMPENSATION: LiteralString = """
    MATCH (:Entity {id: $personId})-[:GRANTED]->(k:Consent)
    WHERE k.signedAt <= $asOf
    RETURN properties(k) AS consent, labels(k) AS labels,
      COLLECT { MATCH (pay:Payment)-[:UNDER]->(k)
                WHERE pay.paidAt >= $from AND pay.paidAt < $to AND pay.paidAt <= $asOf
                RETURN [properties(pay), labels(pay)] } AS payments,
      COUNT { MATCH (k)-[:COVERS]->(:Twin)<-[:RENDERS]-(a:Asset)
              WHERE a.publishedAt >= $from AND a.publishedAt < $to AND a.publishedAt <= $asOf
                AND (a.publisherId = k.granteeId OR a.sublicensedFromId = k.granteeId) } AS uses
    ORDER BY k.signedAt, k.id
"""


async def published_by(
    graph: Graph, *, organization_id: str, start: datetime, end: datetime, as_of: datetime, limit: int
) -> list[Node]:
    rows = await graph.query(_PUBLISHED, organizationId=organization_id, **{"from": start, "to": end},
                             asOf=as_of, limit=limit)
    return [node_of(row["props"], row["labels"]) for row in rows]


async def expiring_consents(graph: Graph, *, organization_id: str, as_of: datetime, until: datetime) -> list[Node]:
    rows = await graph.query(_EXPIRING, organizationId=organization_id, asOf=as_of, until=until)
    return [node_of(row["props"], row["labels"]) for row in rows]


async def compensation_facts(
    graph: Graph, *, person_id: str, start: datetime, end: datetime, as_of: datetime
) -> list[dict[str, Any]]:
    rows = await graph.query(_COMPENSATION, personId=person_id, **{"from": start, "to": end}, asOf=as_of)
    return [
        {
            "consent": node_of(row["consent"], row["labels"]),
            "payments": sorted((node_of(props, labels) for props, labels in row["payments"]),
                               key=lambda node: (node["paidAt"], node["id"])),
            "uses": row["uses"],
        }
        for row in rows
    ]
