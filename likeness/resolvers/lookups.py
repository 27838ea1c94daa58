"""Lookups of one node by id, and near-duplicate search by perceptual hash."""

from __future__ import annotations

from typing import Any

from likeness.errors import InvalidInput
from likeness.events import fields
from likeness.graph import similarity
from likeness.graph.phash import MAX_SEARCH_DISTANCE
from likeness.resolvers.common import page_size
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node


async def node(context: Context, node_id: str, label: str) -> Node | None:
    """The node with this id and label, or None when there is none the caller may see."""
    found = await context.nodes().load(node_id)
    if found is None or label not in found["_labels"]:
        return None
    return found


async def credentials(context: Context, node_id: str) -> dict[str, Any] | None:
    """The Content Credentials an asset or sighting the caller was shown was recorded with (as an event
    records them, resolvers.uploads, each ingredient with its `links`), or None."""
    return await context.credentials().load(node_id)


async def similar_assets(
    context: Context, phash: str, max_distance: int, first: int
) -> list[tuple[int, Node]]:
    """Near-duplicates of a perceptual hash among the assets the caller may see, nearest first."""
    phash = fields.phash("phash", phash)
    if not 0 <= max_distance <= MAX_SEARCH_DISTANCE:
        raise InvalidInput(
            "maxDistance", max_distance, f"expected a Hamming distance from 0 to {MAX_SEARCH_DISTANCE}"
        )
    first = page_size(first)
    return await similarity.similar_assets(
        context.graph, phash=phash, max_distance=max_distance, limit=first, scope=context.scope
    )
