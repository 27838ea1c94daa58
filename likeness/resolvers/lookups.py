"""Lookups of one node by id, and near-duplicate search by perceptual hash."""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry.types import Info

from likeness.graph import similarity
from likeness.schema.convert import from_node

T = TypeVar("T")


async def node(info: Info, node_id: str, label: str, cls: type[T]) -> T | None:
    """The node with this id and label, or None when there is none the caller may see."""
    found = await info.context.nodes().load(node_id)
    if found is None or label not in found["_labels"]:
        return None
    return from_node(cls, found)


async def similar_assets(info: Info, phash: str, max_distance: int, first: int) -> list[tuple[int, dict[str, Any]]]:
    """Near-duplicates of a perceptual hash among the assets the caller may see, nearest first."""
    return await similarity.similar_assets(
        info.context.graph, phash=phash, max_distance=max_distance, limit=first, scope=info.context.scope
    )
