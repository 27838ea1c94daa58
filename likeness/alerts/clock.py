"""Deadlines without writes: the alerts time alone produces, emitted by the API itself.

Every `LIKENESS_CLOCK_SECONDS` each API process tries to take the lease `clock` in Neo4j; the one holding
it (exactly one at a time, across replicas) emits, in one transaction taking the writers' turn, what
happened in (through, now]:

- VERDICT_OPENED / VERDICT_CLOSED for the subjects whose stored verdict spans start or end in the window
  (a takedown period running out after a revocation, a consent ending, a notice's window closing), by the
  same announced state the writes keep (likeness.alerts.outbox), so a verdict is never announced twice;
- NOTICE_OVERDUE for the notices whose window closed in it with no removal;
- CONSENT_EXPIRING for the consents (not revoked) that came within 30 days of their end in it.

`through` is kept with the lease and moves in the same transaction, so a process that was down (or a
lease that passed to another replica) catches up from where the last tick ended, and the alerts with a
deadline's own id (NOTICE_OVERDUE, CONSENT_EXPIRING) are never written twice. The first tick ever starts
the clock at now: what was past before it was reported by the writes that recorded it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import UTC, datetime

from neo4j import AsyncManagedTransaction
from prometheus_client import Counter

from likeness.access import log
from likeness.alerts import broker
from likeness.alerts.outbox import expiring_alert, overdue_alert, verdict_alerts
from likeness.alerts.types import EXPIRY_NOTICE_DAYS
from likeness.graph import alerts as stored
from likeness.graph.driver import Graph

logger = logging.getLogger(__name__)

LEASE = "clock"

CLOCK_ALERTS = Counter("likeness_clock_alerts", "Alerts the clock emitted for deadlines passed")


def owner_name() -> str:
    """This process, as a lease names its holder."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def tick(graph: Graph, owner: str, lease_seconds: float, now: datetime | None = None) -> int | None:
    """One tick: if this process holds (or takes) the lease, emit what came due up to now; answers the alerts
    written, or None when another process holds the lease."""

    async def work(tx: AsyncManagedTransaction) -> int | None:
        await log.take_turn(tx)
        moment = now or datetime.now(UTC)
        through = await stored.take_lease(tx, LEASE, owner, lease_seconds, moment)
        if through is None:
            return None
        written = 0
        if through < moment:
            alerts = list(
                verdict_alerts(
                    await stored.verdict_changes(tx, await stored.spans_turning(tx, through, moment), moment)
                )
            )
            alerts += [
                overdue_alert(n, checked=False) for n in await stored.notices_closing(tx, through, moment)
            ]
            alerts += [
                expiring_alert(k)
                for k in await stored.consents_ending(tx, through, moment, EXPIRY_NOTICE_DAYS)
            ]
            written = await stored.emit(tx, alerts, moment)
            CLOCK_ALERTS.inc(written)
        await stored.move_through(tx, LEASE, owner, moment)
        return written

    written = await graph.write(work)
    if written:
        broker.nudge()
    return written


class Clock:
    """The clock's loop in an API process (started and stopped by the app's lifespan)."""

    def __init__(self, graph: Graph, seconds: float) -> None:
        self.graph = graph
        self.seconds = seconds
        self.owner = owner_name()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="alerts-clock")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        self._task = None
        with contextlib.suppress(Exception):
            await stored.release_lease(self.graph, LEASE, self.owner)

    async def _run(self) -> None:
        while True:
            try:
                written = await tick(self.graph, self.owner, lease_seconds=max(3 * self.seconds, 5.0))
                if written:
                    logger.info("the clock emitted %d alerts for deadlines passed", written)
            except asyncio.CancelledError:
                raise
            except Exception:  # an outage or a transient conflict: the next tick catches up
                logger.warning("the clock's tick failed; the next one catches up", exc_info=True)
            await asyncio.sleep(self.seconds)
