"""Connections: the paged lists of the node types (`AssetConnection`, `ConsentConnection`, …), their
arguments, and which node properties a connection's selection needs read."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from likeness.resolvers.context import Context
from likeness.resolvers.lists import ListPage, read_along
from likeness.schema.convert import camel, from_node
from likeness.schema.enums import Channel

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="Everything the list holds for the caller (filtered).")
    edges: list[Edge[T]]
    page_info: PageInfo
    nodes: list[T] = strawberry.field(description="The edges' nodes, when cursors are not needed.")

    @classmethod
    def of(cls, kind: type[T], page: ListPage, *, edges: bool = True) -> Connection[T]:
        """The connection of a page; its edges (each with its cursor) only when `edges` (the selection
        asks for them: a page of nodes alone encodes no cursor)."""
        nodes = [from_node(kind, row.node) for row in page.rows]
        return cls(
            total_count=page.total,
            edges=[Edge(cursor=row.cursor, node=node) for row, node in zip(page.rows, nodes, strict=True)]
            if edges
            else [],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
            nodes=nodes,
        )


@strawberry.enum
class AssetOrderField(Enum):
    PUBLISHED_AT = "publishedAt"
    ID = "id"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="The order of an asset list; ties break by id in the same direction.")
class AssetOrder:
    field: AssetOrderField = AssetOrderField.PUBLISHED_AT
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Which assets a list keeps; every field given must hold.")
class AssetFilter:
    published_from: datetime | None = strawberry.field(default=None, description="Published at or after.")
    published_before: datetime | None = strawberry.field(default=None, description="Published before.")
    channels: list[Channel] | None = None
    territory: str | None = strawberry.field(default=None, description="Published in this territory.")
    verdict_codes: list[str] | None = strawberry.field(
        default=None, description="With a verdict of one of these codes holding now."
    )
    campaign_id: strawberry.ID | None = None


# properties a type's resolvers read beyond their own field's (by type and GraphQL field)
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Asset", "declaredMachineReadableMark"): ("machineReadableMark",),
    ("TakedownNotice", "status"): ("sentAt", "responseHours", "basis"),
}


def _properties(kind: type) -> tuple[dict[str, str], tuple[str, ...]]:
    """A node type's GraphQL fields that are node properties (field -> property), and the properties
    its private attributes hold (read always)."""
    plain: dict[str, str] = {}
    private: list[str] = []
    for fld in dataclasses.fields(kind):  # type: ignore[arg-type]
        if not fld.init:
            continue
        if fld.name.startswith("_"):
            private.append(camel(fld.name.lstrip("_")))
        else:
            plain[camel(fld.name)] = camel(fld.name)
    return plain, tuple(private)


def _fields(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    found: list[FieldNode] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            found.extend(_fields(selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            found.extend(_fields(fragments[selection.name.value].selection_set, fragments))
    return found


class Selected(NamedTuple):
    """What a connection field's selection asks of its page."""

    props: tuple[str, ...]  # the node properties it needs (its fields, what their resolvers read, private)
    total_count: bool  # totalCount
    ones: tuple[str, ...]  # the single neighbours the page can read along (resolvers.lists.read_along)
    edges: bool  # edges (and so their cursors)


def selected(info: Info[Context, None], kind: type) -> Selected:
    """What the connection field's selection asks of `kind`'s page (Selected). Worked out once per
    request and field: the siblings of a level then ask the same page and share one statement."""
    raw = info._raw_info
    key = (tuple(id(node) for node in raw.field_nodes), kind)
    memo = info.context.selections
    if key not in memo:
        plain, private = _properties(kind)
        along = read_along(kind.__name__)
        wanted: set[str] = set(private)
        ones: set[str] = set()
        count = edges = False
        node_fields: list[FieldNode] = []
        for top in raw.field_nodes:
            for fld in _fields(top.selection_set, raw.fragments):
                name = fld.name.value
                if name == "totalCount":
                    count = True
                elif name == "nodes":
                    node_fields.extend(_fields(fld.selection_set, raw.fragments))
                elif name == "edges":
                    edges = True
                    for edge in _fields(fld.selection_set, raw.fragments):
                        if edge.name.value == "node":
                            node_fields.extend(_fields(edge.selection_set, raw.fragments))
        for fld in node_fields:
            name = fld.name.value
            if name in plain:
                wanted.add(plain[name])
            wanted.update(_NEEDS.get((kind.__name__, name), ()))
            if name in along:
                ones.add(name)
        memo[key] = Selected(tuple(sorted(wanted)), count, tuple(sorted(ones)), edges)
    return memo[key]
