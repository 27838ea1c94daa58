"""Between GraphQL objects and plain data: graph nodes into GraphQL types (node properties are camelCase,
attributes snake_case), strawberry inputs into the JSON-like dicts the resolvers take."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from likeness.resolvers.records import Node

T = TypeVar("T")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@cache
def _plan(cls: type) -> tuple[tuple[str, str, type | None], ...]:
    hints = typing.get_type_hints(cls, include_extras=False)
    plan = []
    for fld in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not fld.init:
            continue
        hint = hints.get(fld.name)
        enum_type = None
        for arg in (hint, *typing.get_args(hint)):
            if isinstance(arg, type) and issubclass(arg, Enum):
                enum_type = arg
            for inner in typing.get_args(arg):
                if isinstance(inner, type) and issubclass(inner, Enum):
                    enum_type = inner
        plan.append((fld.name, camel(fld.name.lstrip("_")), enum_type))
    return tuple(plan)


def from_node(cls: type[T], node: Node) -> T:
    """An instance of a GraphQL type filled from a node's properties (missing ones are None)."""
    values: dict[str, Any] = {}
    for attr, prop, enum_type in _plan(cls):  # type: ignore[arg-type]
        value = node.get(prop)
        if enum_type is not None and value is not None:
            value = [enum_type(item) for item in value] if isinstance(value, list) else enum_type(value)
        values[attr] = value
    return cls(**values)


def from_nodes(cls: type[T], nodes: Iterable[Node]) -> list[T]:
    """Instances of a GraphQL type, one per node, in order."""
    return [from_node(cls, node) for node in nodes]


def from_optional(cls: type[T], node: Node | None) -> T | None:
    """An instance of a GraphQL type for the node, or None for no node."""
    return None if node is None else from_node(cls, node)


def plain_input(value: Any) -> Any:
    """A strawberry input as the JSON-like dict the event parsers take (camelCase, no nulls)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(fld.name): plain_input(getattr(value, fld.name))
            for fld in dataclasses.fields(value)
            if getattr(value, fld.name) is not None
        }
    if isinstance(value, list):
        return [plain_input(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value
