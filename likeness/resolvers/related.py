"""Relationship fields: one DataLoader per relationship and request, so siblings share a round trip.

The loaders filter by the caller's visibility inside the Cypher (graph.visibility): a list field
silently omits what the caller may not see, a single-valued field answers null for it.
"""

from __future__ import annotations

from typing import Any

from likeness.resolvers.context import Context
from likeness.resolvers.records import Node


async def many(context: Context, relation: str, node_id: str) -> list[Node]:
    """The node's neighbours along the relationship that the caller may see."""
    return await context.related(relation).load(node_id)


async def one(context: Context, relation: str, node_id: str) -> Node | None:
    """The node's first neighbour along the relationship that the caller may see, or None."""
    found = await context.related(relation).load(node_id)
    return found[0] if found else None


def personal(context: Context, person_id: str, value: Any) -> Any:
    """A personal field's value, or None for callers who may not see it (see Principal.reads_personal)."""
    return value if context.principal.reads_personal(person_id) else None
