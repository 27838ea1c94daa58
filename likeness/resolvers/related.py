"""Relationship fields: one DataLoader per relationship and request, so siblings share a round trip.

The loaders filter by the caller's visibility inside the Cypher (graph.visibility): a list field
silently omits what the caller may not see, a single-valued field answers null for it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry.types import Info

from likeness.schema.convert import from_node

T = TypeVar("T")


async def many(info: Info, relation: str, node_id: str, cls: type[T]) -> list[T]:
    nodes = await info.context.related(relation).load(node_id)
    return [from_node(cls, node) for node in nodes]


async def one(info: Info, relation: str, node_id: str, cls: type[T]) -> T | None:
    found = await many(info, relation, node_id, cls)
    return found[0] if found else None


async def party(info: Info, relation: str, node_id: str) -> Any:
    from likeness.schema.nodes import Organization, Person

    nodes = await info.context.related(relation).load(node_id)
    for node in nodes:
        return from_node(Person if "Person" in node["_labels"] else Organization, node)
    return None


def personal(info: Info, person_id: str, value: Any) -> Any:
    """A personal field's value, or None for callers who may not see it (see Principal.reads_personal)."""
    return value if info.context.principal.reads_personal(person_id) else None
