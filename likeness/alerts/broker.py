"""Alerts as they are written, to this process's subscribers: one poller per process follows the outbox.

The poller reads the alerts after the last it saw (graph.alerts.alerts_after: an index range on `seq`)
every `LIKENESS_ALERT_POLL_SECONDS`, and at once when this process has just committed a write
(`nudge()`, called by likeness.ingest.record after each commit), so an alert reaches a subscriber of this
process within milliseconds of its commit and one written by another replica within a poll. It runs only
while someone listens. What a subscriber may receive is `sees` (the one rule of graph.alerts: everything
for admins, regulators and investigators; else the alerts FOR the caller's party).

A subscription is live delivery, not the record: a subscriber too slow to keep up (its queue full) is
ended with a message, and what it missed stays in `alerts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Collection
from typing import Any

from likeness.access.principals import Principal
from likeness.graph import alerts as stored
from likeness.graph.driver import Graph

logger = logging.getLogger(__name__)

# alerts a subscriber may have waiting before it is ended as too slow
QUEUE_SIZE = 1000

_WAKERS: weakref.WeakSet[asyncio.Event] = weakref.WeakSet()


def nudge() -> None:
    """A write of this process committed: whoever follows the outbox here reads it now, not at its next
    poll."""
    for waker in list(_WAKERS):
        waker.set()


def waker() -> asyncio.Event:
    """An event `nudge()` sets (kept while the caller holds it)."""
    event = asyncio.Event()
    _WAKERS.add(event)
    return event


def sees(principal: Principal, alert: dict[str, Any]) -> bool:
    """Whether this caller receives the alert: it sees everything, or the alert is addressed to its party."""
    if principal.sees_everything:
        return True
    return bool(principal.party_id) and principal.party_id in alert.get("audience", ())


class TooSlow(Exception):
    """The subscriber's queue filled up: its subscription ends (the alerts stay in `alerts`)."""


class Broker:
    """This process's poller of the outbox and its subscribers."""

    def __init__(self, graph: Graph, poll_seconds: float = 0.25) -> None:
        self.graph = graph
        self.poll_seconds = poll_seconds
        self._queues: set[asyncio.Queue[dict[str, Any] | TooSlow]] = set()
        self._task: asyncio.Task[None] | None = None
        self._last: int | None = None
        self._wake: asyncio.Event | None = None

    async def subscribe(
        self, principal: Principal, types: Collection[str] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """The alerts written from now on that this caller sees (of `types`, if given), as they come."""
        queue: asyncio.Queue[dict[str, Any] | TooSlow] = asyncio.Queue(QUEUE_SIZE)
        if self._last is None:
            self._last = await stored.last_seq(self.graph)
        self._queues.add(queue)
        self._start()
        try:
            while True:
                item = await queue.get()
                if isinstance(item, TooSlow):
                    raise item
                if (types is None or item["type"] in types) and sees(principal, item):
                    yield {key: value for key, value in item.items() if key != "audience"}
        finally:
            self._queues.discard(queue)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._wake = waker()
            self._task = asyncio.get_running_loop().create_task(self._follow(), name="alerts-broker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _follow(self) -> None:
        assert self._wake is not None
        while self._queues:
            self._wake.clear()
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except Exception:  # an outage: the next poll tries again, the subscribers wait
                logger.warning("could not read the alerts outbox; trying again", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def _read(self) -> None:
        last = self._last or 0
        while True:
            batch = await stored.alerts_after(self.graph, last)
            for alert in batch:
                for queue in list(self._queues):
                    try:
                        queue.put_nowait(alert)
                    except asyncio.QueueFull:
                        self._queues.discard(queue)
                        queue.get_nowait()  # room for the message that ends it
                        queue.put_nowait(
                            TooSlow("the subscriber fell behind; read what it missed in `alerts`")
                        )
                last = alert["seq"]
            self._last = last
            if len(batch) < 500:
                return
