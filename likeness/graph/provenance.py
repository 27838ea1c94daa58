"""The provenance of one asset in one query: asset → twins → captures → persons, with parties, the
consents naming its twins and the verdicts holding as of an instant (its stored verdict spans)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness.graph.audit import HELD_VERDICTS, held_verdicts
from likeness.graph.driver import Graph
from likeness.graph.projection import fields, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Verdict

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

# one round trip: the asset by id (or the first published with that sha256), its chain and its verdicts
_PROVENANCE = scoped(
    """
    CALL () {
      MATCH (a:Entity {id: $assetId}) WHERE a:Asset AND VISIBLE(a:Asset) RETURN a
      UNION
      MATCH (a:Asset {sha256: $sha256}) WHERE VISIBLE(a:Asset) RETURN a
    }
    WITH a ORDER BY a.publishedAt, a.id LIMIT 1
    RETURN [["""
    + fields("a")
    + """, labels(a)]] AS asset,
      COLLECT { MATCH (a)-[:RENDERS]->(t:Twin) WHERE VISIBLE(t:Twin)
                RETURN ["""
    + fields("t")
    + """, labels(t)] } AS twins,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:TRAINED_ON]->(c:Capture) WHERE VISIBLE(c:Capture)
                RETURN DISTINCT ["""
    + fields("c")
    + """, labels(c)] } AS captures,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person) WHERE VISIBLE(p:Person)
                RETURN DISTINCT ["""
    + fields("p")
    + """, labels(p)] } AS persons,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:BUILT_BY]->(v)
                RETURN DISTINCT ["""
    + fields("v")
    + """, labels(v)] } AS vendors,
      COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN ["""
    + fields("o")
    + """, labels(o)] } AS publisher,
      COLLECT { MATCH (a)-[:SUBLICENSED_FROM]->(o) RETURN ["""
    + fields("o")
    + """, labels(o)] } AS sublicensor,
      COLLECT { MATCH (a)-[:IN_CAMPAIGN]->(c:Campaign) WHERE VISIBLE(c:Campaign)
                RETURN ["""
    + fields("c")
    + """, labels(c)] } AS campaign,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)<-[:COVERS]-(k:Consent) WHERE VISIBLE(k:Consent)
                RETURN DISTINCT ["""
    + fields("k")
    + """, labels(k)] } AS consents,
      """
    + HELD_VERDICTS
    + """ AS verdicts
"""
)


async def find_asset_id(
    graph: Graph, *, asset_id: str | None, sha256: str | None, scope: Scope | None = None
) -> str | None:
    cypher, extra = _FIND.for_scope(scope)
    rows = await graph.query(cypher, assetId=asset_id, sha256=sha256, **extra)
    return rows[0]["id"] if rows else None


async def provenance_as_of(
    graph: Graph, *, asset_id: str | None, sha256: str | None, as_of: datetime, scope: Scope | None = None
) -> tuple[dict[str, list[Node]], tuple[Verdict, ...]] | None:
    """The asset's chain (each part the scope may see, as nodes sorted by id; 'asset' holds the asset)
    and the verdicts holding on it as of `as_of`, in one round trip; None when there is no such asset."""
    cypher, extra = _PROVENANCE.for_scope(scope)
    rows = await graph.query(cypher, assetId=asset_id, sha256=sha256, asOf=as_of, **extra)
    if not rows:
        return None
    row: dict[str, Any] = rows[0]
    verdicts = held_verdicts(row.pop("verdicts"))
    chain: dict[str, list[Node]] = {}
    for part, pairs in row.items():
        nodes: list[Node] = [node(triples, labels) for triples, labels in pairs]
        chain[part] = sorted(nodes, key=lambda node: node["id"])
    return chain, verdicts
