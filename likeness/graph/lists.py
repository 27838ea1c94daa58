"""Pages of a node's neighbours: every parent of one selection level in one statement.

A connection field (`organization.assets(first, after, orderBy, filter)`) reads, for each parent id of
a batch, the neighbours along one relationship that the caller may see and that the filter keeps, in
the list's order (ties broken by id, so that paging is stable), the page after the cursor, and their
count: `UNWIND $ids … CALL { … ORDER BY … LIMIT }` per parent. Only the properties the selection needs
are read, as a map projection of those names (graph.projection.selected_map: names of the schema's fields,
checked; temporals as text, their kinds known by name). Every other piece of the text is a constant:
orders and directions are keys of fixed tables. A statement is kept per list, order, filter and set of
properties (as the peer, @neo4j/graphql, writes one per selection): Neo4j plans a new set once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any, LiteralString

from likeness.graph.driver import Graph
from likeness.graph.projection import _HIDDEN, Node, fields, from_map, node, selected_map, temporals_of
from likeness.graph.relations import RELATIONSHIPS
from likeness.graph.visibility import Scope, visible


@dataclass(frozen=True)
class Relation:
    """A list: the pattern from its parent `p` to the listed `m`, their label, and the orders it has
    (the property each sorts by; the first is the default)."""

    pattern: LiteralString
    label: LiteralString
    orders: tuple[LiteralString, ...]


# the lists that page, from the one table of relationships (graph.relations): those with orders
RELATIONS: dict[str, Relation] = {
    name: Relation("(p)" + one.arrow + "(m:" + one.label + ")", one.label, one.orders)
    for name, one in RELATIONSHIPS.items()
    if one.orders
}

# what an asset list's filter keeps: one clause per filter field, only those given are in the statement
# (each variant is planned once; the clauses with subqueries cost Neo4j seconds to plan on a busy machine)
_ASSET_FILTER: dict[str, LiteralString] = {
    "publishedFrom": " AND m.publishedAt >= $publishedFrom",
    "publishedBefore": " AND m.publishedAt < $publishedBefore",
    "channels": " AND m.channel IN $channels",
    "territory": " AND $territory IN m.territories",
    "campaignId": " AND EXISTS { MATCH (m)-[:IN_CAMPAIGN]->(:Entity {id: $campaignId}) }",
    "verdictCodes": """ AND EXISTS {
            MATCH (v:Verdict {subjectId: m.id})
            WHERE v.code IN $verdictCodes AND v.start <= $asOf AND v.end > $asOf }""",
}
ASSET_FILTERS = tuple(_ASSET_FILTER)

# single neighbours a page can read with its rows, by the listed label and the field naming them: the
# pattern from the listed `m` to the neighbour `o`. Organizations only: a public directory, so no
# visibility to apply (graph.reads' VISIBLE_NEIGHBOURS filters none either), and the answer is what the
# field's own loader would read.
ONES: dict[tuple[str, str], LiteralString] = {
    ("Asset", "publisher"): "(m)" + RELATIONSHIPS["asset.publisher"].arrow + "(o)",
}
_ONE_VARS: tuple[LiteralString, ...] = ("one0", "one1", "one2")  # a statement's names for them, in order


@dataclass(frozen=True)
class PageRequest:
    """One page asked of a list for every parent of a level: the loaders' key (hashable).

    `after` is the cursor's (sort value, id); `limit` the rows to read (a page size and one more, to
    know whether more follow); `props` the properties to read; `filters` the asset filter's parameters
    as sorted (name, value) pairs, values hashable (tuples for lists)."""

    relation: str
    order: str
    descending: bool
    limit: int
    props: tuple[str, ...]
    after: tuple[Any, str] | None = None
    filters: tuple[tuple[str, Any], ...] = ()
    count: bool = True
    as_of: datetime | None = None
    ones: tuple[str, ...] = ()  # the fields of ONES (of this list's label) to read with each row


@dataclass(frozen=True)
class NeighbourPage:
    """One parent's page: the count of everything the list holds for the caller, the rows read, and for
    each field of `ones` asked, each row's neighbour (or None), in the rows' order."""

    total: int
    rows: list[Node]
    ones: dict[str, list[Node | None]] = dataclass_field(default_factory=dict)

    @property
    def size(self) -> int:
        """The objects the page answers: its rows and the neighbours read with them."""
        return len(self.rows) + sum(1 for found in self.ones.values() for one in found if one is not None)


@functools.lru_cache(maxsize=2048)
def _statement(
    relation: str,
    order: str,
    descending: bool,
    restricted: bool,
    count: bool,
    filters: tuple[str, ...],
    ones: tuple[str, ...] = (),
    platform: bool = False,
    props: tuple[str, ...] = ("id",),
) -> LiteralString:
    """The statement of one list, order and direction, with or without the caller's visibility (a
    platform's, with `platform`) and the count, with the clauses of the filter fields given, the single
    neighbours asked and the properties `props` read. Every piece is a constant of this module (or
    graph.visibility's, graph.projection's) but the property names, which selected_map checks."""
    spec = RELATIONS[relation]
    key: LiteralString = spec.orders[spec.orders.index(order)]  # the constant, not the argument
    where: LiteralString = "true"
    if restricted and spec.label not in ("Organization",):
        where = visible(spec.label, "m", platform=platform)
    if spec.label == "Asset":
        for name, clause in _ASSET_FILTER.items():
            if name in filters:
                where = where + clause
    arrow: LiteralString = " < " if descending else " > "
    direction: LiteralString = " DESC" if descending else ""
    if key == "id":
        after: LiteralString = " AND ($afterId IS NULL OR m.id" + arrow + "$afterId)"
        sort: LiteralString = "m.id" + direction
    else:
        after = (
            " AND ($afterId IS NULL OR m." + key + arrow + "$afterAt OR (m." + key + " = $afterAt AND m.id"
            " " + arrow + " $afterId))"
        )
        sort = "m." + key + direction + ", m.id" + direction
    total: LiteralString = "0 AS total"
    counted: LiteralString = ""
    if count:
        counted = (
            "\n    CALL (p) {\n      MATCH "
            + spec.pattern
            + "\n      WHERE "
            + where
            + "\n      RETURN count(m) AS total\n    }"
        )
        total = "total"
    # each single neighbour: its id beside the row's values, the distinct ones projected once per parent
    # (a page of 1,000 assets has one publisher, not 1,000 copies of it)
    reads: LiteralString = ""
    ids: LiteralString = ""
    found: LiteralString = ""
    projected: LiteralString = ""
    for name, var in zip(ones, _ONE_VARS, strict=False):
        pattern = ONES[(spec.label, name)]  # the constant: a name not in the table is a KeyError
        reads = reads + "\n      OPTIONAL CALL (m) { MATCH " + pattern + " RETURN o AS " + var
        reads = reads + " ORDER BY o.id LIMIT 1 }"
        ids = ids + ", " + var + ".id"
        found = found + ", collect(DISTINCT " + var + ") AS " + var
        projected = projected + ", [x IN " + var + " | [" + fields("x") + ", labels(x)]] AS " + var
    values = selected_map("m", props)
    row: LiteralString = values if not ones else "[" + values + ids + "]"
    return (
        "UNWIND $ids AS id\n    MATCH (p:Entity {id: id})"
        + counted
        + "\n    CALL (p) {\n      MATCH "
        + spec.pattern
        + "\n      WHERE "
        + where
        + after
        + "\n      WITH m ORDER BY "
        + sort
        + " LIMIT $limit"
        + reads
        + "\n      RETURN collect("
        + row
        + ") AS page"
        + found
        + "\n    }\n    RETURN id, "
        + total
        + ", page"
        + projected
    )


async def neighbour_pages(
    graph: Graph, request: PageRequest, ids: list[str], *, scope: Scope | None
) -> dict[str, NeighbourPage]:
    """For each parent id, its page of the list and the list's count (one round trip for all ids)."""
    if request.relation not in RELATIONS or request.order not in RELATIONS[request.relation].orders:
        raise ValueError(f"no list {request.relation!r} ordered by {request.order!r}")
    props = tuple(prop for prop in request.props if prop not in _HIDDEN)
    names = tuple(name for name, _ in request.filters)
    unknown = [name for name in names if name not in _ASSET_FILTER]
    if unknown or (names and RELATIONS[request.relation].label != "Asset"):
        raise ValueError(f"no filter {unknown or names} on {request.relation!r}")
    label = RELATIONS[request.relation].label
    if any((label, name) not in ONES for name in request.ones) or len(request.ones) > len(_ONE_VARS):
        raise ValueError(f"no single neighbours {request.ones} read with {request.relation!r}")
    restricted = scope is not None
    cypher = _statement(
        request.relation,
        request.order,
        request.descending,
        restricted,
        request.count,
        names,
        request.ones,
        platform=scope is not None and scope.platform,
        props=props,
    )
    params = {name: list(value) if isinstance(value, tuple) else value for name, value in request.filters}
    params["asOf"] = request.as_of
    params["afterAt"], params["afterId"] = request.after if request.after else (None, None)
    if scope is not None:
        params.update(scope.params())
    rows = await graph.query(cypher, ids=ids, limit=request.limit, **params)
    temporals = temporals_of(props)
    found: dict[str, NeighbourPage] = {}
    for row in rows:
        nodes = []
        links: list[list[Any]] = []  # per row, each single neighbour's id (or None)
        for values in row["page"]:
            if request.ones:  # the values, then each single neighbour's id
                values, *linked = values
                links.append(linked)
            read = from_map(values, temporals)
            read["_labels"] = [label]
            nodes.append(read)
        ones: dict[str, list[Node | None]] = {}
        for index, (name, var) in enumerate(zip(request.ones, _ONE_VARS, strict=False)):
            by_id = {}
            for triples, labels in row[var]:
                neighbour = node(triples, labels)
                by_id[neighbour["id"]] = neighbour
            ones[name] = [None if linked[index] is None else by_id[linked[index]] for linked in links]
        found[row["id"]] = NeighbourPage(total=row["total"], rows=nodes, ones=ones)
    return found
