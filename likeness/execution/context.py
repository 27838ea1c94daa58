"""The Context of one request: the resolvers' Context (likeness.resolvers.context) with strawberry's
DataLoaders as its loaders, each load counted against the request's bounds (likeness.execution.bounds).

Every load counts what it answers against the operation's object cap, cache hits too; once the operation
is stopped, a load answers empty and reads nothing, and a load waiting on its batch is cancelled with the
operation's other database work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from likeness.access.principals import Principal
from likeness.execution.bounds import RequestBounds
from likeness.graph.driver import Graph
from likeness.resolvers.context import Broker, Context, FaceSearches, FileWorkers, SigningKeys, objects_in

V = TypeVar("V")


def context_for(
    graph: Graph,
    principal: Principal,
    request: Any = None,
    *,
    files: FileWorkers | None = None,
    faces: FaceSearches | None = None,
    broker: Broker | None = None,
    signer: SigningKeys | None = None,
) -> Context:
    """The Context a request (or a command) reads the graph through as `principal`: its loaders batch and
    cache for its whole life and count against its bounds, which each GraphQL operation arms
    (likeness.execution.limits); outside GraphQL nothing bounds it."""
    bounds = RequestBounds()
    return Context(
        graph=graph,
        principal=principal,
        loaders=CountingLoaders(bounds),
        bounds=bounds,
        request=request,
        files=files,
        faces=faces if faces is not None else FaceSearches(),
        broker=broker,
        signer=signer,
    )


class CountingLoaders:
    """Makes a request's loaders (likeness.resolvers.context.Loaders): strawberry's DataLoaders counting
    against the request's bounds."""

    def __init__(self, bounds: RequestBounds) -> None:
        self.bounds = bounds

    def batched(
        self, load: Callable[[list[str]], Awaitable[list[V]]], empty: Callable[[], V]
    ) -> CountingLoader[V]:
        return CountingLoader(load, self.bounds, empty)


class CountingLoader(DataLoader[str, V]):
    """A DataLoader whose every load counts its answer against the operation's bounds, cache hits too;
    once the operation is stopped, its loads answer `empty` and read nothing."""

    def __init__(
        self,
        load_fn: Callable[[list[str]], Awaitable[list[V]]],
        bounds: RequestBounds,
        empty: Callable[[], V],
    ) -> None:
        super().__init__(load_fn=load_fn)
        self._bounds = bounds
        self._empty = empty

    def load(self, key: str) -> Awaitable[V]:
        pending = super().load(key) if self._bounds.stopped is None else None
        if isinstance(pending, asyncio.Future) and not pending.done():
            self._bounds.waiting(pending)
        return self._admitted(pending)

    async def _admitted(self, pending: Awaitable[V] | None) -> V:
        bounds = self._bounds
        try:
            value = self._empty() if pending is None else await pending
        except asyncio.CancelledError:
            # the load itself was cancelled when the operation stopped (not this task: that re-raises)
            task = asyncio.current_task()
            if bounds.stopped is None or (task is not None and task.cancelling()):
                raise
            value = self._empty()
        bounds.admit(objects_in(value))
        bounds.check()
        if bounds.stopped is not None:
            return self._empty()  # the answer is refused anyway: complete at once
        return value
