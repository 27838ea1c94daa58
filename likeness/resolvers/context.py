"""What every resolver reads from `info.context`: the graph, the caller, and per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, neighbours, nodes_by_id


@dataclass
class Principal:
    role: str
    # the organization or person a tenant acts as
    party_id: str | None = None
    label: str = ""


@dataclass
class Context:
    graph: Graph
    principal: Principal
    request: Any = None
    _loaders: dict[str, DataLoader[str, Any]] = field(default_factory=dict)

    def nodes(self) -> DataLoader[str, Node | None]:
        if "nodes" not in self._loaders:
            async def load(ids: list[str]) -> list[Node | None]:
                found = await nodes_by_id(self.graph, ids)
                return [found.get(node_id) for node_id in ids]

            self._loaders["nodes"] = DataLoader(load_fn=load)
        return self._loaders["nodes"]

    def related(self, relation: str) -> DataLoader[str, list[Node]]:
        if relation not in self._loaders:
            async def load(ids: list[str]) -> list[list[Node]]:
                found = await neighbours(self.graph, relation, ids)
                return [found.get(node_id, []) for node_id in ids]

            self._loaders[relation] = DataLoader(load_fn=load)
        return self._loaders[relation]

    def authorize_write(self, event: Any) -> None:
        """Refuse a write the caller may not make (the access layer fills this per role)."""

    async def record_mutation(self, op: str, event: Any) -> None:
        """Append the mutation to the audit log (the access layer fills this)."""
