"""The provenance chain of one asset in one query: asset → twins → captures → persons, with parties."""

from __future__ import annotations

from typing import Any

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, node_of
from likeness.graph.visibility import Scope, scoped

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped)
_FIND = scoped("""
    OPTIONAL MATCH (byId:Entity {id: $assetId}) WHERE byId:Asset AND VISIBLE(byId:Asset)
    OPTIONAL MATCH (byHash:Asset {sha256: $sha256}) WHERE VISIBLE(byHash:Asset)
    WITH coalesce(byId, byHash) AS a
    WHERE a IS NOT NULL
    RETURN a.id AS id
    ORDER BY a.publishedAt, a.id
    LIMIT 1
""")

_CHAIN = scoped("""
    MATCH (a:Entity {id: $assetId})
    RETURN [x IN [a] | [properties(x), labels(x)]] AS asset,
      COLLECT { MATCH (a)-[:RENDERS]->(t:Twin) WHERE VISIBLE(t:Twin)
                RETURN [properties(t), labels(t)] } AS twins,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:TRAINED_ON]->(c:Capture) WHERE VISIBLE(c:Capture)
                RETURN DISTINCT [properties(c), labels(c)] } AS captures,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person) WHERE VISIBLE(p:Person)
                RETURN DISTINCT [properties(p), labels(p)] } AS persons,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:BUILT_BY]->(v)
                RETURN DISTINCT [properties(v), labels(v)] } AS vendors,
      COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN [properties(o), labels(o)] } AS publisher,
      COLLECT { MATCH (a)-[:SUBLICENSED_FROM]->(o) RETURN [properties(o), labels(o)] } AS sublicensor,
      COLLECT { MATCH (a)-[:IN_CAMPAIGN]->(c:Campaign) WHERE VISIBLE(c:Campaign)
                RETURN [properties(c), labels(c)] } AS campaign,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)<-[:COVERS]-(k:Consent) WHERE VISIBLE(k:Consent)
                RETURN DISTINCT [properties(k), labels(k)] } AS consents
""")


async def find_asset_id(
    graph: Graph, *, asset_id: str | None, sha256: str | None, scope: Scope | None = None
) -> str | None:
    cypher, extra = _FIND.for_scope(scope)
    rows = await graph.query(cypher, assetId=asset_id, sha256=sha256, **extra)
    return rows[0]["id"] if rows else None


async def provenance_chain(graph: Graph, asset_id: str, *, scope: Scope | None = None) -> dict[str, list[Node]]:
    """Each part of the chain the scope may see, as nodes sorted by id ('asset' holds the one asset)."""
    cypher, extra = _CHAIN.for_scope(scope)
    rows = await graph.query(cypher, assetId=asset_id, **extra)
    if not rows:
        return {}
    chain: dict[str, list[Node]] = {}
    for part, pairs in rows[0].items():
        nodes: list[dict[str, Any]] = [node_of(props, labels) for props, labels in pairs]
        chain[part] = sorted(nodes, key=lambda node: node["id"])
    return chain
