"""Near-duplicate search over the assets' perceptual hashes (multi-index hashing, see graph.phash).

Two statements in one read transaction: the band indexes give the candidates as (id, hash) pairs
only, the exact distance is checked here, and only the assets within it are read in full (and, for
a tenant, checked for visibility): at a million assets a query's candidates number hundreds
(distance ≤ 8, the wide layout) to thousands (up to 16, the narrow one), its matches a handful.
"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.phash import LAYOUTS, Layout, distance, layout_for
from likeness.graph.projection import fields, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped


def _candidates(layout: Layout) -> LiteralString:
    """One statement per layout (graph.phash): the union of each band's index seeks. The property
    names come from the layout, never from input; the probe values are parameters."""
    seeks = "\n      UNION\n".join(
        f"      MATCH (a:Asset) WHERE a.{name} IN $b{index} RETURN a"
        for index, name in enumerate(layout.properties)
    )
    return "CALL () {\n" + seeks + "\n    }\n    RETURN collect(a.id) AS ids, collect(a.phash) AS hashes"  # type: ignore[return-value]


_CANDIDATES: dict[Layout, LiteralString] = {layout: _candidates(layout) for layout in LAYOUTS}

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped)
_ASSETS = scoped(
    """
    UNWIND $ids AS id
    MATCH (a:Entity {id: id}) WHERE a:Asset AND VISIBLE(a:Asset)
    RETURN collect([a.id, """
    + fields("a")
    + """, labels(a)]) AS assets
"""
)


async def similar_assets(
    graph: Graph, *, phash: str, max_distance: int, limit: int, scope: Scope | None = None
) -> list[tuple[int, Node]]:
    """Assets within max_distance of phash that the scope may see, nearest first (then by id)."""
    layout = layout_for(max_distance)
    probes = {f"b{index}": values for index, values in enumerate(layout.candidates(phash, max_distance))}
    assets, extra = _ASSETS.for_scope(scope)

    async def work(tx: AsyncManagedTransaction) -> list[tuple[int, Node]]:
        graph.round_trips += 1
        row = (await run(tx, _CANDIDATES[layout], **probes))[0]
        near = sorted(
            (found, asset_id)
            for asset_id, candidate in zip(row["ids"], row["hashes"], strict=True)
            if (found := distance(phash, candidate)) <= max_distance
        )
        if not near:
            return []
        graph.round_trips += 1
        rows = await run(tx, assets, ids=[asset_id for _, asset_id in near], **extra)
        nodes = {asset_id: node(triples, labels) for asset_id, triples, labels in rows[0]["assets"]}
        return [(found, nodes[asset_id]) for found, asset_id in near if asset_id in nodes][:limit]

    return await graph.read(work)
