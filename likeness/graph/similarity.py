"""Near-duplicate search over the assets' perceptual hashes (multi-index hashing, see graph.phash)."""

from __future__ import annotations

from typing import Any, LiteralString

from likeness.graph.driver import Graph
from likeness.graph.phash import band_candidates, distance
from likeness.graph.reads import node_of
from likeness.graph.visibility import Scope, visible

_BAND_MATCHES: LiteralString = """
    CALL () {
      MATCH (a:Asset) WHERE a.phashB0 IN $b0 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB1 IN $b1 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB2 IN $b2 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB3 IN $b3 RETURN a
    }
"""
_RETURN: LiteralString = """
    RETURN a.phash AS phash, properties(a) AS props, labels(a) AS labels
"""
_CANDIDATES: LiteralString = _BAND_MATCHES + _RETURN
# the same, keeping only the assets the viewer may see (graph.visibility)
_VISIBLE_CANDIDATES: LiteralString = _BAND_MATCHES + "WITH a WHERE " + visible("Asset", "a") + _RETURN


async def similar_assets(
    graph: Graph, *, phash: str, max_distance: int, limit: int, scope: Scope | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """Assets within max_distance of phash that the scope may see, nearest first (then by id)."""
    b0, b1, b2, b3 = band_candidates(phash, max_distance)
    if scope is None:
        rows = await graph.query(_CANDIDATES, b0=b0, b1=b1, b2=b2, b3=b3)
    else:
        rows = await graph.query(_VISIBLE_CANDIDATES, b0=b0, b1=b1, b2=b2, b3=b3, **scope.params())
    found = []
    for row in rows:
        found_distance = distance(phash, row["phash"])
        if found_distance <= max_distance:
            found.append((found_distance, node_of(row["props"], row["labels"])))
    found.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    return found[:limit]
