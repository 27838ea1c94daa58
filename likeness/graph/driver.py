"""The one async Neo4j driver of a process, and the units of work that run on it.

Every unit of work is timed (`likeness_neo4j_transaction_seconds`, by kind and outcome). When Neo4j
cannot be reached, a unit of work fails within about a second (the driver's timeouts, see
`Graph.connect`), and for `down_hold` seconds after that the others fail at once instead of each
waiting again: a request with several round trips answers as quickly as one with a single round trip.
`ping` (the readiness probe) always asks the server itself, and its success ends the hold.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from time import monotonic, perf_counter
from typing import Any, LiteralString, TypeVar, cast

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncTransaction,
    Query,
    Record,
    unit_of_work,
)
from neo4j.exceptions import (
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from prometheus_client import Histogram

from likeness.config import Settings
from likeness.errors import GraphUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")

# how long transient errors (deadlocks, a leader switch) are retried, beyond the driver's own retry window
# (kept short so that a lost server answers quickly: LIKENESS_NEO4J_RETRY_TIME)
TRANSIENT_RETRY_SECONDS = 30.0

# The instant (time.monotonic()) by which the current request must have its answer, when it has a
# deadline (LIKENESS_QUERY_TIMEOUT, set by execution.limits). Each transaction then carries a Neo4j
# transaction timeout ending a grace second after it, so that the server itself stops work that
# outlives the request even when the cancellation on this side cannot reach it.
ANSWER_BY: ContextVar[float | None] = ContextVar("likeness_answer_by", default=None)
TIMEOUT_GRACE_SECONDS = 1.0
# the shortest transaction timeout given: one that is already past still lets a statement start and fail
# with the server's own timeout error
_LEAST_TIMEOUT = 0.05

# errors that mean "the database cannot be reached now", not "the request or the code is wrong"
# (DatabaseUnavailable: the server answers, its database is not online yet, e.g. while it starts)
_UNREACHABLE = (
    ServiceUnavailable,
    SessionExpired,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    GraphUnavailable,
)
# OSErrors that come from files, not from the network: a bug, not an outage
_FILE_ERRORS = (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError, PermissionError)

_PING: LiteralString = "RETURN 1 AS up"

TRANSACTION_SECONDS = Histogram(
    "likeness_neo4j_transaction_seconds",
    "Neo4j units of work (one transaction each, retries included), by kind (read, write, query) and outcome "
    "(ok, error, unavailable)",
    ["kind", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def is_unavailable(error: BaseException) -> bool:
    """Whether this error, or one it was raised from or while handling, says that Neo4j cannot be reached
    now (the driver lost or cannot open a connection, the pool has none to give, a socket failed)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        if isinstance(current, OSError) and not isinstance(current, _FILE_ERRORS):
            return True
        current = current.__cause__ or current.__context__
    return False


@dataclass
class Graph:
    """A driver plus the database name; counts round trips so tests can see N+1 patterns."""

    driver: AsyncDriver
    database: str
    round_trips: int = field(default=0)
    # seconds during which units of work fail at once after one found Neo4j unreachable
    down_hold: float = 1.0
    # the window in which a read query that lost the server is tried again (the driver's
    # max_transaction_retry_time, which retries the managed transactions)
    retry_time: float = 0.5
    # whether the server may have lost the plans of our statements: true until the warm-up has run
    # against it, and again whenever Neo4j could not be reached (it may have restarted meanwhile)
    cold: bool = field(default=True, init=False)
    _down_until: float = field(default=0.0, init=False, repr=False)

    def background(self) -> Graph:
        """The same driver for work no request waits on (the alerts' clock, fan-out, sender and
        subscriptions' poller): its round trips are counted apart, so a request's count stays its own."""
        return Graph(
            driver=self.driver, database=self.database, down_hold=self.down_hold, retry_time=self.retry_time
        )

    @classmethod
    def connect(cls, uri: str, settings: Settings) -> Graph:
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_pool_size=64,
            notifications_min_severity="OFF",
            # the driver's defaults (30 s, 60 s, 30 s) kept a request waiting up to a minute on a lost server
            connection_timeout=settings.likeness_neo4j_connection_timeout,
            connection_acquisition_timeout=settings.likeness_neo4j_acquisition_timeout,
            max_transaction_retry_time=settings.likeness_neo4j_retry_time,
        )
        return cls(
            driver=driver,
            database=settings.neo4j_database,
            down_hold=settings.likeness_neo4j_down_hold,
            retry_time=settings.likeness_neo4j_retry_time,
        )

    async def close(self) -> None:
        await self.driver.close()

    async def ping(self, timeout: float) -> None:
        """Ask the server a trivial query (no retries); raises when it does not answer within `timeout`
        seconds. A success ends the hold on units of work after an outage."""
        try:
            async with asyncio.timeout(timeout):
                async with self.driver.session(
                    database=self.database, default_access_mode=READ_ACCESS
                ) as session:
                    await (await session.run(_PING)).consume()
        except BaseException as error:
            if isinstance(error, TimeoutError) or is_unavailable(error):
                self.cold = True
            raise
        self._down_until = 0.0

    async def rehearse(self, steps: Callable[[Graph], Awaitable[T]]) -> T:
        """Run `steps` on a graph whose every unit of work runs in one write transaction, rolled back at
        the end: the statements run for real (planned, their code paths warm) and leave no trace."""
        async with self.driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as session:
            transaction = await session.begin_transaction()
            try:
                return await steps(_Rehearsal(driver=self.driver, database=self.database, tx=transaction))
            finally:
                await transaction.rollback()

    async def read(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run a read unit of work (routed to followers in a cluster; retried by the driver)."""
        return await self._unit("read", lambda: self._managed(READ_ACCESS, work))

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run one write transaction; the driver retries it on transient errors."""
        return await self._unit("write", lambda: self._managed(WRITE_ACCESS, work))

    async def query(self, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
        """One read query, one round trip: the rows as dicts."""
        self.round_trips += 1
        return await self._unit("query", lambda: self._auto_commit(cypher, params))

    async def _unit(self, kind: str, unit: Callable[[], Awaitable[T]]) -> T:
        """Run the unit of work, timed; fail at once while an outage seen moments ago holds."""
        if monotonic() < self._down_until:
            TRANSACTION_SECONDS.labels(kind=kind, outcome="unavailable").observe(0.0)
            raise ServiceUnavailable("Neo4j could not be reached moments ago; not asking again yet")
        started = perf_counter()
        outcome = "error"
        try:
            result = await unit()
            outcome = "ok"
            return result
        except Exception as error:
            if is_unavailable(error):
                outcome = "unavailable"
                self._down_until = monotonic() + self.down_hold
                self.cold = True
            raise
        finally:
            TRANSACTION_SECONDS.labels(kind=kind, outcome=outcome).observe(perf_counter() - started)

    async def _managed(self, access: str, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """One managed transaction. The driver retries it within its (short) window; a transient error
        that outlasts the window (a deadlock under contention) is tried again here, up to 30 s."""
        deadline = monotonic() + TRANSIENT_RETRY_SECONDS
        while True:
            bounded = _bounded(work)
            try:
                async with self.driver.session(database=self.database, default_access_mode=access) as session:
                    if access == READ_ACCESS:
                        return await session.execute_read(bounded)
                    return await session.execute_write(bounded)
            except Neo4jError as error:
                if not error.is_retryable() or is_unavailable(error) or monotonic() >= deadline:
                    raise
                logger.info("transient Neo4j error, trying the transaction again: %s", error.code)

    async def _auto_commit(self, cypher: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One read statement in an auto-commit transaction: RUN and PULL go out together and one answer
        comes back, where a managed transaction first waits for BEGIN and after for COMMIT (three round
        trips; a single read statement needs neither). The driver does not retry these, so this does as
        it would: a lost server within `retry_time`, a transient error up to TRANSIENT_RETRY_SECONDS."""
        started = monotonic()
        delay = 0.05
        while True:
            try:
                async with self.driver.session(
                    database=self.database, default_access_mode=READ_ACCESS
                ) as session:
                    result = await session.run(Query(cypher, timeout=_timeout()), params)
                    return _rows(await result.fetch(2**31 - 1))
            except (Neo4jError, DriverError) as error:
                window = self.retry_time if is_unavailable(error) else TRANSIENT_RETRY_SECONDS
                if not error.is_retryable() or monotonic() - started + delay >= window:
                    raise
                logger.info("retryable Neo4j error, asking again: %s", getattr(error, "code", None) or error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)


@dataclass
class _Rehearsal(Graph):
    """A graph bound to one open transaction (Graph.rehearse): reads and writes run in it, in turn."""

    tx: AsyncTransaction = field(kw_only=True)

    async def read(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        return await self.write(work)

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        # a managed transaction is an open transaction the driver commits; the work only runs statements
        return await work(cast(AsyncManagedTransaction, self.tx))

    async def query(self, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return _rows(await (await self.tx.run(cypher, params)).fetch(2**31 - 1))


def _timeout() -> float | None:
    """The Neo4j transaction timeout of the current request's transactions: a grace second past its deadline
    (ANSWER_BY), None without one."""
    answer_by = ANSWER_BY.get()
    if answer_by is None:
        return None
    return max(answer_by - monotonic() + TIMEOUT_GRACE_SECONDS, _LEAST_TIMEOUT)


def _bounded(
    work: Callable[[AsyncManagedTransaction], Awaitable[T]],
) -> Callable[[AsyncManagedTransaction], Awaitable[T]]:
    """The unit of work with a Neo4j transaction timeout when the request has a deadline (ANSWER_BY)."""
    seconds = _timeout()
    return work if seconds is None else unit_of_work(timeout=seconds)(work)


def is_transaction_timeout(error: BaseException) -> bool:
    """Whether Neo4j stopped a transaction at its timeout (one given by `_bounded`)."""
    return isinstance(error, Neo4jError) and (error.code or "").startswith(
        "Neo.ClientError.Transaction.TransactionTimedOut"
    )


async def run(tx: AsyncManagedTransaction, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """Run one statement inside a transaction and return its rows as dicts."""
    return _rows(await (await tx.run(cypher, params)).fetch(2**31 - 1))


def _rows(records: list[Record]) -> list[dict[str, Any]]:
    """Records as dicts. Every statement here returns values, lists and maps (projections), never
    nodes, so `Record.data()`'s recursive conversion of graph types is skipped: it cost more than
    the decoding on large answers."""
    if not records:
        return []
    keys = records[0].keys()
    return [dict(zip(keys, record, strict=True)) for record in records]
