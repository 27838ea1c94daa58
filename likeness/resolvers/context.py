"""What every resolver reads from `info.context`: the graph, the caller, per-request loaders, and the
operation's bounds.

Every loader reads through the caller's visibility scope, so whatever a resolver reaches through
them (a root lookup, a relationship field at any depth) is already filtered inside the Cypher.

Every loader also counts what each of its loads answers against the operation's object cap: a fan-out
(`assets { twins { assets … } } }`) re-reads the same few nodes from the loaders' cache for every
parent, so the count is per load, not per row Neo4j sends. When the operation is stopped (past the
cap, or its deadline: likeness.schema.limits), its database work is cancelled — the loads waiting on
a batch, which cancels the batch's transaction, and the root fields reading in `reading()` blocks — and
what is still running completes at once with nothing more read: a load answers empty, a cancelled read
fails its field. The execution then answers the refusal instead of the partial data.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import monotonic
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from likeness.access.principals import Principal
from likeness.errors import Conflict, LikenessError
from likeness.events.contract import Event
from likeness.graph.driver import ANSWER_BY, Graph
from likeness.graph.lists import NeighbourPage, PageRequest, neighbour_pages
from likeness.graph.manifests import credentials_of
from likeness.graph.notices import notice_responses
from likeness.graph.reads import Node, neighbours, nodes_by_id, visible_ids
from likeness.graph.visibility import Scope
from likeness.media.workers import FileWorkers

__all__ = [
    "OVER_CAP",
    "PAST_DEADLINE",
    "Context",
    "OperationStopped",
    "Principal",
    "RequestBounds",
    "answering_by",
]

V = TypeVar("V")

# why an operation was stopped (RequestBounds.stopped)
OVER_CAP = "RESPONSE_TOO_LARGE"
PAST_DEADLINE = "QUERY_TIMEOUT"


class OperationStopped(LikenessError):
    """A field cut short because its operation was stopped by its bounds (the code says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the operation was stopped ({reason})")
        self.code = reason


@dataclass
class RequestBounds:
    """What one operation may still take: the objects entering its answer through lists whose length no
    page size bounds (relationship lists from the loaders, the unpaged lists of root answers), and the
    instant (time.monotonic()) it must be done by. likeness.schema.limits sets them for each operation,
    watches them while it executes, and answers a refusal once one is passed."""

    max_objects: int | None = None  # None: no cap
    timeout: float | None = None  # seconds; None: no deadline
    started: float = field(default_factory=monotonic)  # when the operation arrived
    deadline: float | None = None
    objects: int = 0
    stopped: str | None = None  # OVER_CAP or PAST_DEADLINE once stopped
    # called once when the operation is stopped (set by the execution watching it)
    on_stop: Callable[[], None] | None = field(default=None, repr=False)

    @property
    def enforced(self) -> bool:
        return self.max_objects is not None or self.deadline is not None

    def stop(self, reason: str) -> None:
        """Stop the operation (the first reason holds)."""
        if self.stopped is None:
            self.stopped = reason
            if self.on_stop is not None:
                self.on_stop()

    def admit(self, count: int) -> None:
        """Count objects entering the answer; past the cap, or past the deadline, stop the operation.
        (The deadline has its own timer too, but that waits for the event loop: a fan-out resumes
        thousands of loads in one turn of the loop, and this is where a long turn notices the time.)"""
        self.objects += count
        if self.max_objects is not None and self.objects > self.max_objects:
            self.stop(OVER_CAP)
        elif self.deadline is not None and monotonic() > self.deadline:
            self.stop(PAST_DEADLINE)

    def check(self) -> None:
        """Refuse the field when the operation was stopped and no execution replaces its answer (so that
        an answer is never silently short)."""
        if self.stopped is not None and self.on_stop is None:
            raise OperationStopped(self.stopped)


def _size(value: Any) -> int:
    """How many objects a load answered: a page's rows, a list's items, one node, or none. A nested page
    is counted like a list: its `first` bounds one page, but pages nested in pages multiply as they arrive
    (the static estimate prices them; the count stops what the estimate was told to let through)."""
    if isinstance(value, NeighbourPage):
        return value.size
    if isinstance(value, list):
        return len(value)
    return 0 if value is None else 1


_NO_PAGE = NeighbourPage(total=0, rows=[])


class _CountingLoader(DataLoader[str, V]):
    """A DataLoader whose every load counts its answer against the operation's bounds, cache hits too;
    once the operation is stopped, its loads answer `empty` and read nothing."""

    def __init__(
        self, load_fn: Callable[[list[str]], Awaitable[list[V]]], context: Context, empty: Callable[[], V]
    ) -> None:
        super().__init__(load_fn=load_fn)
        self._context = context
        self._empty = empty

    def load(self, key: str) -> Awaitable[V]:
        pending = super().load(key) if self._context.bounds.stopped is None else None
        if isinstance(pending, asyncio.Future) and not pending.done():
            self._context.waiting(pending)
        return self._admitted(pending)

    async def _admitted(self, pending: Awaitable[V] | None) -> V:
        context = self._context
        bounds = context.bounds
        try:
            value = self._empty() if pending is None else await pending
        except asyncio.CancelledError:
            # the load itself was cancelled when the operation stopped (not this task: that re-raises)
            task = asyncio.current_task()
            if bounds.stopped is None or (task is not None and task.cancelling()):
                raise
            value = self._empty()
        bounds.admit(_size(value))
        bounds.check()
        if bounds.stopped is not None:
            return self._empty()  # the answer is refused anyway: complete at once
        return value


@dataclass
class Context:
    graph: Graph
    principal: Principal
    request: Any = None
    bounds: RequestBounds = field(default_factory=RequestBounds)
    # the app's worker processes for files sent with the request (likeness.media.workers); None: no app
    # gave any, and a file is hashed by a pool of one of its own
    files: FileWorkers | None = None
    _loaders: dict[str, DataLoader[str, Any]] = field(default_factory=dict)
    _pages: dict[PageRequest, DataLoader[str, NeighbourPage]] = field(default_factory=dict)
    _now: datetime | None = None
    # what the connection fields' selections need (likeness.schema.connections.selected), per field
    selections: dict[Any, Any] = field(default_factory=dict)
    # database work of the operation in flight: loads waiting on a batch, tasks inside reading()
    _waiting: set[asyncio.Future[Any]] = field(default_factory=set)
    _reading: set[asyncio.Task[Any]] = field(default_factory=set)
    _cancelled: set[asyncio.Task[Any]] = field(default_factory=set)

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

            self._loaders["nodes"] = _CountingLoader(load, self, lambda: None)
        return self._loaders["nodes"]

    def related(self, relation: str) -> DataLoader[str, list[Node]]:
        """A node's neighbours along a relationship, only those the caller may see."""
        if relation not in self._loaders:

            async def load(ids: list[str]) -> list[list[Node]]:
                found = await neighbours(self.graph, relation, ids, scope=self.scope)
                return [found.get(node_id, []) for node_id in ids]

            self._loaders[relation] = _CountingLoader(load, self, list)
        return self._loaders[relation]

    def now(self) -> datetime:
        """The operation's "now": one instant for all its fields (so that their loads share batches)."""
        if self._now is None:
            self._now = datetime.now(UTC)
        return self._now

    def pages(self, request: PageRequest) -> DataLoader[str, NeighbourPage]:
        """Pages of a list for its parents, all asking the same page (relation, order, filter, cursor, size
        and properties): one round trip for every parent of a selection level."""
        if request not in self._pages:

            async def load(ids: list[str]) -> list[NeighbourPage]:
                found = await neighbour_pages(self.graph, request, ids, scope=self.scope)
                return [found.get(node_id, _NO_PAGE) for node_id in ids]

            self._pages[request] = _CountingLoader(load, self, lambda: _NO_PAGE)
        return self._pages[request]

    def notice_answers(self) -> DataLoader[str, list[dict[str, Any]]]:
        """The answers recorded to notices, by notice id, oldest first (ask only for notices the caller
        has been shown: an answer is part of its notice)."""
        if "noticeAnswers" not in self._loaders:

            async def load(ids: list[str]) -> list[list[dict[str, Any]]]:
                found = await notice_responses(self.graph, ids)
                return [found.get(notice_id, []) for notice_id in ids]

            self._loaders["noticeAnswers"] = _CountingLoader(load, self, list)
        return self._loaders["noticeAnswers"]

    def credentials(self) -> DataLoader[str, dict[str, Any] | None]:
        """The Content Credentials an asset or sighting was recorded with (graph.manifests), or None. Asked
        only for a node the caller was shown, so nothing to filter but the ingredients' links (whose
        nodes are read through `nodes()`)."""
        if "credentials" not in self._loaders:

            async def load(ids: list[str]) -> list[dict[str, Any] | None]:
                found = await credentials_of(self.graph, ids)
                return [found.get(node_id) for node_id in ids]

            self._loaders["credentials"] = _CountingLoader(load, self, lambda: None)
        return self._loaders["credentials"]

    def waiting(self, load: asyncio.Future[Any]) -> None:
        """Note a load waiting on its batch until it is answered."""
        if load not in self._waiting:
            self._waiting.add(load)
            load.add_done_callback(self._waiting.discard)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Mark a root field's own database work (not through the loaders): cancelled when the operation
        is stopped, where it then fails its field with the stop's code."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self.bounds.check()
        if self.bounds.stopped is not None:
            raise OperationStopped(self.bounds.stopped)
        self._reading.add(task)
        try:
            yield
        except asyncio.CancelledError:
            if task not in self._cancelled or task.uncancel():
                raise  # cancelled by someone else too (a shutdown): the task must end
            raise OperationStopped(self.bounds.stopped or PAST_DEADLINE) from None
        finally:
            self._reading.discard(task)
            self._cancelled.discard(task)

    def cancel_reads(self) -> None:
        """Cancel the operation's database work in flight. A batch whose loads are all cancelled is
        cancelled by its DataLoader, and with it the batch's transaction; so is a root field's read."""
        for load in list(self._waiting):
            load.cancel()
        for task in list(self._reading):
            self._cancelled.add(task)
            task.cancel()

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


@contextlib.contextmanager
def answering_by(deadline: float | None) -> Iterator[None]:
    """Inside, every Neo4j transaction the operation opens ends by this instant (time.monotonic()) as
    well, with Neo4j's own transaction timeout (graph.driver.ANSWER_BY); None: no deadline."""
    token = ANSWER_BY.set(deadline)
    try:
        yield
    finally:
        ANSWER_BY.reset(token)
