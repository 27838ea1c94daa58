"""Batched reads of nodes and their neighbours: one round trip per batch of ids, whatever its size.

The GraphQL layer reaches these through per-request DataLoaders, so a nested query costs one
round trip per level of nesting, never one per row. Given a tenant's scope, each read keeps only
what that tenant may see, inside the same query (graph.visibility).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction
from neo4j.time import Date, DateTime

from likeness.graph.driver import Graph, run
from likeness.graph.projection import _HIDDEN, Node, fields, node
from likeness.graph.relations import RELATIONSHIPS
from likeness.graph.visibility import LABELS, Scope, visible

__all__ = ["_HIDDEN", "Node"]


def plain(value: Any) -> Any:
    if isinstance(value, DateTime):
        # one representation of UTC everywhere: Neo4j's `=` tells a 'Z' offset from a 'UTC' zone id
        return value.to_native().astimezone(UTC)
    if isinstance(value, Date):
        return value.to_native()
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def node_of(properties: dict[str, Any], labels: list[str]) -> Node:
    node = {key: plain(value) for key, value in properties.items() if key not in _HIDDEN}
    node["_labels"] = labels
    return node


_NODES: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, properties(n) AS props, labels(n) AS labels
"""

_LABELS_OF: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, labels(n) AS labels
"""

# label -> the nodes of that label, among $ids, that the viewer may see. One query per label keeps
# each plan small: a single any-label predicate takes Neo4j many seconds to plan.
_VISIBLE_NODES: dict[str, LiteralString] = {
    label: "UNWIND $ids AS id MATCH (n:Entity {id: id}) WHERE n:"
    + label
    + " AND "
    + visible(label, "n")
    + " RETURN n.id AS id, properties(n) AS props, labels(n) AS labels"
    for label in LABELS
}
_VISIBLE_NODES["Organization"] = _NODES
# the same as a platform sees them (graph.visibility: its notices, the sightings on it)
_PLATFORM_NODES: dict[str, LiteralString] = {
    label: "UNWIND $ids AS id MATCH (n:Entity {id: id}) WHERE n:"
    + label
    + " AND "
    + visible(label, "n", platform=True)
    + " RETURN n.id AS id, properties(n) AS props, labels(n) AS labels"
    for label in LABELS
}
_PLATFORM_NODES["Organization"] = _NODES


def _kind(labels: list[str]) -> str | None:
    return next((label for label in LABELS if label in labels), None)


async def _visible_rows(graph: Graph, ids: list[str], scope: Scope) -> list[dict[str, Any]]:
    """The rows of _VISIBLE_NODES for these ids: their labels first, then one query per label present."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for row in await run(tx, _LABELS_OF, ids=ids):
            kind = _kind(row["labels"])
            if kind is not None:
                by_kind[kind].append(row["id"])
        rows: list[dict[str, Any]] = []
        statements = _PLATFORM_NODES if scope.platform else _VISIBLE_NODES
        for kind, of_kind in sorted(by_kind.items()):
            rows.extend(await run(tx, statements[kind], ids=of_kind, **scope.params()))
        return rows

    graph.round_trips += 1
    return await graph.read(work)


async def nodes_by_id(graph: Graph, ids: list[str], *, scope: Scope | None = None) -> dict[str, Node]:
    """The nodes with these ids that the scope may see (all of them for `None`)."""
    if scope is None:
        rows = await graph.query(_NODES, ids=ids)
    else:
        rows = await _visible_rows(graph, ids, scope)
    return {row["id"]: node_of(row["props"], row["labels"]) for row in rows}


async def visible_ids(graph: Graph, ids: list[str], *, scope: Scope | None) -> set[str]:
    """Which of these ids name nodes the scope may see (one read transaction; no query for `None`)."""
    if scope is None:
        return set(ids)
    if not ids:
        return set()
    return {row["id"] for row in await _visible_rows(graph, ids, scope)}


_RECORDED_INPUTS: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, n.input AS input
"""


async def recorded_inputs(tx: AsyncManagedTransaction, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The canonical inputs the nodes with these ids were recorded with (inside a transaction)."""
    rows = await run(tx, _RECORDED_INPUTS, ids=ids)
    return {row["id"]: orjson.loads(row["input"]) for row in rows if row["input"]}


# relationship name -> (the pattern from a node `id` to its neighbours `m`, the label(s) of `m`), from the
# one table of relationships (graph.relations)
_RELATIONS: dict[str, tuple[LiteralString, LiteralString]] = {
    name: ("(:Entity {id: id})" + one.arrow + "(m" + (":" + one.seek if one.seek else "") + ")", one.label)
    for name, one in RELATIONSHIPS.items()
}

# each neighbour once, with the ids it answers (a page of 1,000 assets has one publisher, not 1,000 rows
# of it), temporals as text (graph.projection)
_RETURN: LiteralString = (
    " WITH m, collect(id) AS ids RETURN ids, " + fields("m") + " AS triples, labels(m) AS labels"
)

# (relationship name) -> the Cypher that returns, for each id, its neighbours along that relationship.
NEIGHBOURS: dict[str, LiteralString] = {
    name: "UNWIND $ids AS id MATCH " + pattern + _RETURN for name, (pattern, _) in _RELATIONS.items()
}
# The same, keeping only the neighbours the viewer (`$viewer`) may see: filtered inside the query.
VISIBLE_NEIGHBOURS: dict[str, LiteralString] = {
    name: NEIGHBOURS[name]
    if label == "Organization"  # a public directory: nothing to filter
    else "UNWIND $ids AS id MATCH " + pattern + " WHERE " + visible(label, "m") + _RETURN
    for name, (pattern, label) in _RELATIONS.items()
}
# The same, as a platform sees the neighbours.
PLATFORM_NEIGHBOURS: dict[str, LiteralString] = {
    name: NEIGHBOURS[name]
    if label == "Organization"
    else "UNWIND $ids AS id MATCH " + pattern + " WHERE " + visible(label, "m", platform=True) + _RETURN
    for name, (pattern, label) in _RELATIONS.items()
}


async def neighbours(
    graph: Graph, relation: str, ids: list[str], *, scope: Scope | None = None
) -> dict[str, list[Node]]:
    """For each id, its neighbours along `relation` (a key of NEIGHBOURS) the scope may see, sorted by id."""
    if scope is None:
        rows = await graph.query(NEIGHBOURS[relation], ids=ids)
    else:
        statements = PLATFORM_NEIGHBOURS if scope.platform else VISIBLE_NEIGHBOURS
        rows = await graph.query(statements[relation], ids=ids, **scope.params())
    found: dict[str, list[Node]] = defaultdict(list)
    for row in rows:
        neighbour = node(row["triples"], row["labels"])
        for node_id in row["ids"]:
            found[node_id].append(neighbour)
    for nodes in found.values():
        nodes.sort(key=lambda node: node["id"])
    return found
