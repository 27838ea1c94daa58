"""Batched reads of nodes and their neighbours: one round trip per batch of ids, whatever its size.

The GraphQL layer reaches these through per-request DataLoaders, so a nested query costs one
round trip per level of nesting, never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, LiteralString

from neo4j.time import Date, DateTime

from likeness.graph.driver import Graph

Node = dict[str, Any]

# Internal bookkeeping properties never shown as fields.
_HIDDEN = {"input", "revocation", "withdrawal", "ord", "revocationOrd", "withdrawalOrd"}


def plain(value: Any) -> Any:
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def node_of(properties: dict[str, Any], labels: list[str]) -> Node:
    node = {key: plain(value) for key, value in properties.items() if key not in _HIDDEN}
    node["_labels"] = labels
    return node


_NODES: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, properties(n) AS props, labels(n) AS labels
"""


async def nodes_by_id(graph: Graph, ids: list[str]) -> dict[str, Node]:
    rows = await graph.query(_NODES, ids=ids)
    return {row["id"]: node_of(row["props"], row["labels"]) for row in rows}


# (relationship name) -> the Cypher that returns, for each id, its neighbours along that relationship.
NEIGHBOURS: dict[str, LiteralString] = {
    "person.captures": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:DEPICTS]-(m:Capture) RETURN id, properties(m) AS props, labels(m) AS labels",
    "person.twins": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:REPLICA_OF]-(m:Twin) RETURN id, properties(m) AS props, labels(m) AS labels",
    "person.consents": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:GRANTED]->(m:Consent) RETURN id, properties(m) AS props, labels(m) AS labels",
    "person.agencies": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:REPRESENTS]-(m:Agency) RETURN id, properties(m) AS props, labels(m) AS labels",
    "organization.assets": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:PUBLISHED_BY]-(m:Asset) RETURN id, properties(m) AS props, labels(m) AS labels",
    "organization.campaigns": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:RUNS]->(m:Campaign) RETURN id, properties(m) AS props, labels(m) AS labels",
    "organization.twinsBuilt": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:BUILT_BY]-(m:Twin) RETURN id, properties(m) AS props, labels(m) AS labels",
    "organization.consentsReceived": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:TO]-(m:Consent) RETURN id, properties(m) AS props, labels(m) AS labels",
    "organization.represents": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:REPRESENTS]->(m:Person) RETURN id, properties(m) AS props, labels(m) AS labels",
    "capture.persons": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:DEPICTS]->(m:Person) RETURN id, properties(m) AS props, labels(m) AS labels",
    "capture.capturedBy": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:CAPTURED_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.person": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:REPLICA_OF]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.vendor": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:BUILT_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.captures": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:TRAINED_ON]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.supersedes": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:SUPERSEDES]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.commissionedBy": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:COMMISSIONED_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.assets": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:RENDERS]-(m:Asset) RETURN id, properties(m) AS props, labels(m) AS labels",
    "twin.consents": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:COVERS]-(m:Consent) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.person": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:GRANTED]-(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.grantee": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:TO]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.twins": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:COVERS]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.signedBy": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:SIGNED_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.guardian": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:GUARDIAN]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.negotiatedBy": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:NEGOTIATED_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "consent.payments": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:UNDER]-(m:Payment) RETURN id, properties(m) AS props, labels(m) AS labels",
    "campaign.brand": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:RUNS]-(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "campaign.assets": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:IN_CAMPAIGN]-(m:Asset) RETURN id, properties(m) AS props, labels(m) AS labels",
    "asset.twins": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:RENDERS]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "asset.publisher": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:PUBLISHED_BY]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "asset.campaign": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:IN_CAMPAIGN]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "asset.sublicensedFrom": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:SUBLICENSED_FROM]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "asset.sightings": "UNWIND $ids AS id MATCH (:Entity {id: id})<-[:MATCHES]-(m:Sighting) RETURN id, properties(m) AS props, labels(m) AS labels",
    "sighting.assets": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:MATCHES]->(m:Asset) RETURN id, properties(m) AS props, labels(m) AS labels",
    "sighting.platform": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:SEEN_ON]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
    "payment.consent": "UNWIND $ids AS id MATCH (:Entity {id: id})-[:UNDER]->(m) RETURN id, properties(m) AS props, labels(m) AS labels",
}


async def neighbours(graph: Graph, relation: str, ids: list[str]) -> dict[str, list[Node]]:
    """For each id, its neighbours along `relation` (a key of NEIGHBOURS), sorted by id."""
    rows = await graph.query(NEIGHBOURS[relation], ids=ids)
    found: dict[str, list[Node]] = defaultdict(list)
    for row in rows:
        found[row["id"]].append(node_of(row["props"], row["labels"]))
    for nodes in found.values():
        nodes.sort(key=lambda node: node["id"])
    return found
