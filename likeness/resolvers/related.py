"""Relationship fields: one DataLoader per relationship and request, so siblings share a round trip."""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry.types import Info

from likeness.graph.reads import Node
from likeness.schema.convert import from_node

T = TypeVar("T")


def _visible(info: Info, node: Node) -> bool:
    """Whether the caller may see this node (the access layer narrows this per role)."""
    return True


async def many(info: Info, relation: str, node_id: str, cls: type[T]) -> list[T]:
    nodes = await info.context.related(relation).load(node_id)
    return [from_node(cls, node) for node in nodes if _visible(info, node)]


async def one(info: Info, relation: str, node_id: str, cls: type[T]) -> T | None:
    found = await many(info, relation, node_id, cls)
    return found[0] if found else None


async def party(info: Info, relation: str, node_id: str) -> Any:
    from likeness.schema.nodes import Organization, Person

    nodes = await info.context.related(relation).load(node_id)
    for node in nodes:
        if _visible(info, node):
            return from_node(Person if "Person" in node["_labels"] else Organization, node)
    return None


def personal(info: Info, person_id: str, value: Any) -> Any:
    """A personal field's value, or None for callers who may not see it."""
    return value
