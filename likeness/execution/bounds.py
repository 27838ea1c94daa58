"""The bounds of one request's operations: how many objects may still enter an answer, the instant it must be
done by, and the database work in flight to cancel once it is stopped.

An operation is stopped when the objects entering its answer pass the cap, or at its deadline
(likeness.execution.limits arms the bounds for each operation and watches them while it executes). Its
database work is then cancelled — the loads waiting on a batch, which cancels the batch's transaction, and
the root fields reading in `reading()` blocks — and what is still running completes at once with nothing
more read: a load answers empty (likeness.execution.context), a cancelled read fails its field. The
execution then answers the refusal instead of the partial data.

A fan-out (`assets { twins { assets … } } }`) re-reads the same few nodes from the loaders' cache for every
parent, so the count is per load, not per row Neo4j sends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from likeness.errors import LikenessError
from likeness.graph.driver import ANSWER_BY

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
    instant (time.monotonic()) it must be done by. One per request (its Context's `bounds`), armed afresh
    for each of its operations (`begin`); until then, and outside GraphQL, it bounds nothing."""

    max_objects: int | None = None  # None: no cap
    timeout: float | None = None  # seconds; None: no deadline
    started: float = field(default_factory=monotonic)  # when the operation arrived
    deadline: float | None = None
    objects: int = 0
    stopped: str | None = None  # OVER_CAP or PAST_DEADLINE once stopped
    # called once when the operation is stopped (set by the execution watching it)
    on_stop: Callable[[], None] | None = field(default=None, repr=False)
    # database work of the operation in flight: loads waiting on a batch, tasks inside reading()
    _waiting: set[asyncio.Future[Any]] = field(default_factory=set, repr=False)
    _reading: set[asyncio.Task[Any]] = field(default_factory=set, repr=False)
    _cancelled: set[asyncio.Task[Any]] = field(default_factory=set, repr=False)

    def begin(self, *, max_objects: int | None, timeout: float | None) -> None:
        """Bound the operation arriving now: nothing counted yet, its deadline `timeout` seconds away."""
        self.max_objects = max_objects
        self.timeout = timeout
        self.started = monotonic()
        self.deadline = self.started + timeout if timeout else None
        self.objects = 0
        self.stopped = None
        self.on_stop = None

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
        self.check()
        if self.stopped is not None:
            raise OperationStopped(self.stopped)
        self._reading.add(task)
        try:
            yield
        except asyncio.CancelledError:
            if task not in self._cancelled or task.uncancel():
                raise  # cancelled by someone else too (a shutdown): the task must end
            raise OperationStopped(self.stopped or PAST_DEADLINE) from None
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


@contextlib.contextmanager
def answering_by(deadline: float | None) -> Iterator[None]:
    """Inside, every Neo4j transaction the operation opens ends by this instant (time.monotonic()) as
    well, with Neo4j's own transaction timeout (graph.driver.ANSWER_BY); None: no deadline."""
    token = ANSWER_BY.set(deadline)
    try:
        yield
    finally:
        ANSWER_BY.reset(token)
