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


@dataclasses.dataclass(frozen=True)
class _Plan:
    """How a node fills a GraphQL type: its init attributes all None, then the node's properties each
    names (with its enum, if any) over them; `direct` when the instance can be made without calling
    `__init__` (a plain dataclass: no __post_init__, no slots, no factory for an attribute not given)."""

    empty: dict[str, None]
    by_property: dict[str, tuple[str, type[Enum] | None, dict[Any, Enum]]]  # attribute, enum, its members
    direct: bool


@cache
def _plan(cls: type) -> _Plan:
    hints = typing.get_type_hints(cls, include_extras=False)
    by_property: dict[str, tuple[str, type[Enum] | None, dict[Any, Enum]]] = {}
    direct = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    for fld in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not fld.init:
            # a plain default stays a class attribute, which the instance reads; a factory needs __init__
            direct = direct and fld.default_factory is dataclasses.MISSING
            continue
        hint = hints.get(fld.name)
        enum_type = None
        for arg in (hint, *typing.get_args(hint)):
            if isinstance(arg, type) and issubclass(arg, Enum):
                enum_type = arg
            for inner in typing.get_args(arg):
                if isinstance(inner, type) and issubclass(inner, Enum):
                    enum_type = inner
        members = {} if enum_type is None else {member.value: member for member in enum_type}
        by_property[camel(fld.name.lstrip("_"))] = (fld.name, enum_type, members)
    empty = dict.fromkeys(attr for attr, _, _ in by_property.values())
    return _Plan(empty, by_property, direct)


def from_node(cls: type[T], node: Node) -> T:
    """An instance of a GraphQL type filled from a node's properties (missing ones are None)."""
    plan = _plan(cls)
    values: dict[str, Any] = plan.empty.copy()
    by_property = plan.by_property
    for prop, value in node.items():
        found = by_property.get(prop)
        if found is None:
            continue
        attr, enum_type, members = found
        if enum_type is not None and value is not None:
            # by value, as enum_type(value) finds it (which also answers a value no member has: an error)
            if isinstance(value, list):
                value = [members.get(item) or enum_type(item) for item in value]
            else:
                value = members.get(value) or enum_type(value)
        values[attr] = value
    if not plan.direct:
        return cls(**values)
    made: T = object.__new__(cls)
    made.__dict__.update(values)  # what the dataclass's __init__ does: one attribute per init field
    return made


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
