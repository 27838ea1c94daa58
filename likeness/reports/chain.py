"""The provenance of an asset as a graph of nodes and relationships, as far as the caller may see it.

The provenance answer (resolvers.provenance) lists the nodes of the chain; which twin was trained on
which capture, who signed which consent, who commissioned a twin are read here through the caller's
per-request loaders (resolvers.context), batched per relationship and filtered by the caller's scope
inside the Cypher, exactly as the API's relationship fields are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from likeness.graph.relations import RELATIONSHIPS
from likeness.resolvers.context import Context
from likeness.resolvers.records import ProvenanceChain

Node = dict[str, Any]

Edges = tuple[tuple[str, str, bool], ...]


def _edges(*relations: str) -> Edges:
    """(loader relationship, the relationship type drawn, True when the edge points from the neighbour),
    from the one table of relationships (graph.relations)."""
    return tuple((name, RELATIONSHIPS[name].type, not RELATIONSHIPS[name].outgoing) for name in relations)


_FROM_TWIN = _edges("twin.captures", "twin.person", "twin.vendor", "twin.commissionedBy")
_FROM_CAPTURE = _edges("capture.persons", "capture.capturedBy")
_FROM_CONSENT = _edges(
    "consent.person",
    "consent.grantee",
    "consent.twins",
    "consent.signedBy",
    "consent.guardian",
    "consent.negotiatedBy",
)
_FROM_ASSET = _edges("asset.twins", "asset.publisher", "asset.sublicensedFrom", "asset.campaign")
_FROM_CAMPAIGN = _edges("campaign.brand")


@dataclass
class ChainGraph:
    """Nodes by id (each with its `_labels`) and relationships (from id, type, to id), both sorted."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, node: Node) -> None:
        self.nodes.setdefault(str(node["id"]), node)

    def of_label(self, label: str) -> list[Node]:
        return [node for _, node in sorted(self.nodes.items()) if label in node["_labels"]]

    def targets(self, source: str, relation: str) -> list[str]:
        return [end for start, rel, end in self.edges if start == source and rel == relation]

    def sources(self, relation: str, target: str) -> list[str]:
        return [start for start, rel, end in self.edges if end == target and rel == relation]


async def _follow(context: Context, graph: ChainGraph, ids: list[str], relations: Edges) -> None:
    for relation, kind, reverse in relations:
        if not ids:
            return
        found = await context.related(relation).load_many(ids)
        for source, neighbours in zip(ids, found, strict=True):
            for node in neighbours:
                graph.add(node)
                edge = (str(node["id"]), kind, source) if reverse else (source, kind, str(node["id"]))
                graph.edges.append(edge)


async def asset_chain(context: Context, chain: ProvenanceChain) -> ChainGraph:
    """The asset's provenance graph: the nodes of the provenance answer, the parties around them, and the
    relationships between them the caller may see."""
    graph = ChainGraph()
    for node in chain.nodes:
        graph.add(node)
    consents = chain.consents
    asset_id = str(chain.asset["id"])
    await _follow(context, graph, [asset_id], _FROM_ASSET)
    campaigns = [str(chain.campaign["id"])] if chain.campaign is not None else []
    await _follow(context, graph, campaigns, _FROM_CAMPAIGN)
    twin_ids = sorted(str(node["id"]) for node in graph.of_label("Twin"))
    await _follow(context, graph, twin_ids, _FROM_TWIN)
    capture_ids = sorted(str(node["id"]) for node in graph.of_label("Capture"))
    await _follow(context, graph, capture_ids, _FROM_CAPTURE)
    await _follow(context, graph, sorted(str(node["id"]) for node in consents), _FROM_CONSENT)
    # a consent covering a twin of another asset is not part of this chain
    graph.edges = sorted(
        {edge for edge in graph.edges if not (edge[1] == "COVERS" and edge[2] not in twin_ids)}
    )
    graph.nodes = {
        node_id: node
        for node_id, node in sorted(graph.nodes.items())
        if node_id == asset_id or any(node_id in (start, end) for start, _, end in graph.edges)
    }
    return graph
