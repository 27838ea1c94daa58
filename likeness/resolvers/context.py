"""What every resolver reads from `info.context`: the graph, the caller, and per-request loaders.

Every loader reads through the caller's visibility scope, so whatever a resolver reaches through
them (a root lookup, a relationship field at any depth) is already filtered inside the Cypher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from likeness.access.principals import Principal
from likeness.errors import Conflict, LikenessError
from likeness.events.contract import Event
from likeness.graph.driver import Graph
from likeness.graph.reads import Node, neighbours, nodes_by_id, visible_ids
from likeness.graph.visibility import Scope

__all__ = ["Context", "Principal"]


@dataclass
class Context:
    graph: Graph
    principal: Principal
    request: Any = None
    _loaders: dict[str, DataLoader[str, Any]] = field(default_factory=dict)

    @property
    def scope(self) -> Scope | None:
        """The caller's visibility scope for graph reads (None: the whole graph)."""
        return self.principal.scope

    def nodes(self) -> DataLoader[str, Node | None]:
        """Nodes by id; None for an id that names nothing the caller may see."""
        if "nodes" not in self._loaders:

            async def load(ids: list[str]) -> list[Node | None]:
                found = await nodes_by_id(self.graph, ids, scope=self.scope)
                return [found.get(node_id) for node_id in ids]

            self._loaders["nodes"] = DataLoader(load_fn=load)
        return self._loaders["nodes"]

    def related(self, relation: str) -> DataLoader[str, list[Node]]:
        """A node's neighbours along a relationship, only those the caller may see."""
        if relation not in self._loaders:

            async def load(ids: list[str]) -> list[list[Node]]:
                found = await neighbours(self.graph, relation, ids, scope=self.scope)
                return [found.get(node_id, []) for node_id in ids]

            self._loaders[relation] = DataLoader(load_fn=load)
        return self._loaders[relation]

    async def visible_ids(self, ids: list[str]) -> set[str]:
        """Which of these node ids the caller may see (one batched query; none for all-seeing roles)."""
        return await visible_ids(self.graph, sorted(set(ids)), scope=self.scope)

    async def shown_error(self, error: LikenessError, event: Event) -> LikenessError:
        """The refusal as the caller may read it: a conflict over a node it may not see names no fields."""
        if isinstance(error, Conflict) and self.scope is not None and not await self.visible_ids([event.key]):
            hidden = Conflict(event.key, [])
            hidden.message = f"id {event.key!r} is already in use; choose another id"
            return hidden
        return error
