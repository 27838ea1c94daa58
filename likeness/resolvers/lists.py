"""Connection fields of the node types: a page of a node's neighbours, its count and its cursors.

Every parent of a selection level that asks the same page (same list, arguments and selected
properties) shares one DataLoader, so one statement answers the level (graph.lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from likeness import rules
from likeness.errors import InvalidInput
from likeness.events.fields import format_instant, parse_instant
from likeness.graph.lists import ONES, RELATIONS, PageRequest
from likeness.resolvers.common import decode_cursor, encode_cursor, instant_arg, page_size
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node


class ListRow:
    """A node of a page and its cursor, encoded only when asked (a page of nodes asks for none)."""

    def __init__(self, order: str, node: Node) -> None:
        self.order = order
        self.node = node

    @cached_property
    def cursor(self) -> str:
        return _cursor(self.order, self.node)


@dataclass(frozen=True)
class ListPage:
    """A page of a list, the count of all it holds for the caller, and whether more follow; for each single
    neighbour asked with the page (graph.lists.ONES), the rows' neighbours in order."""

    total: int
    rows: list[ListRow]
    has_next: bool
    ones: dict[str, list[Node | None]] = field(default_factory=dict)

    @property
    def end_cursor(self) -> str | None:
        return self.rows[-1].cursor if self.rows else None


def read_along(label: str) -> frozenset[str]:
    """The fields of a listed node type naming a single neighbour that its page can read with its rows."""
    return frozenset(name for (of, name) in ONES if of == label)


def _after(cursor: str | None, order: str) -> tuple[Any, str] | None:
    """The (sort value, id) a cursor of this list's order holds."""
    parts = decode_cursor(cursor, 3)
    if parts is None:
        return None
    by, value, node_id = parts
    if by != order:
        raise InvalidInput("after", cursor, f"a cursor of a list ordered by {by}, not {order}; start again")
    if order == "id":
        return None, node_id
    try:
        return parse_instant(value), node_id
    except ValueError:
        raise InvalidInput("after", cursor, "not a cursor this query returned") from None


def _cursor(order: str, node: Node) -> str:
    value = node.get(order)
    return encode_cursor(order, format_instant(value) if isinstance(value, datetime) else "", node["id"])


def asset_filter(flt: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """An asset list's filter (AssetFilter, camelCase, nulls left out) as the loaders' key, checked."""
    if not flt:
        return ()
    found: dict[str, Any] = {}
    start = end = None
    if "publishedFrom" in flt:
        start = found["publishedFrom"] = instant_arg("filter.publishedFrom", flt["publishedFrom"])
    if "publishedBefore" in flt:
        end = found["publishedBefore"] = instant_arg("filter.publishedBefore", flt["publishedBefore"])
    if start is not None and end is not None and end <= start:
        raise InvalidInput(
            "filter.publishedBefore", end.isoformat(), f"must be after publishedFrom ({start.isoformat()})"
        )
    if "channels" in flt:
        found["channels"] = tuple(sorted(set(flt["channels"])))
    if "territory" in flt:
        found["territory"] = flt["territory"]
    if "campaignId" in flt:
        found["campaignId"] = flt["campaignId"]
    if "verdictCodes" in flt:
        unknown = [code for code in flt["verdictCodes"] if code not in rules.CODES]
        if unknown:
            raise InvalidInput(
                "filter.verdictCodes", unknown[0], f"expected one of {', '.join(sorted(rules.CODES))}"
            )
        found["verdictCodes"] = tuple(sorted(set(flt["verdictCodes"])))
    return tuple(sorted(found.items()))


async def page(
    context: Context,
    relation: str,
    parent_id: str,
    *,
    first: int,
    after: str | None,
    props: tuple[str, ...],
    order: str | None = None,
    descending: bool = False,
    filters: tuple[tuple[str, Any], ...] = (),
    count: bool = True,
    ones: tuple[str, ...] = (),
) -> ListPage:
    """The page of the parent's list after the cursor (by default in the list's own order), with the single
    neighbours named in `ones` read alongside."""
    limit = page_size(first)
    order = order or RELATIONS[relation].orders[0]
    request = PageRequest(
        relation=relation,
        order=order,
        descending=descending,
        limit=limit + 1,
        props=tuple(sorted({*props, "id", order})),
        after=_after(after, order),
        filters=filters,
        count=count,
        # the verdicts a code filter looks at hold now (one instant for the whole operation)
        as_of=context.now() if any(name == "verdictCodes" for name, _ in filters) else None,
        ones=ones,
    )
    found = await context.pages(request).load(parent_id)
    rows = [ListRow(order, node) for node in found.rows[:limit]]
    return ListPage(
        total=found.total,
        rows=rows,
        has_next=len(found.rows) > limit,
        ones={name: neighbours[:limit] for name, neighbours in found.ones.items()},
    )
