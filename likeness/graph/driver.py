"""The one async Neo4j driver of a process, and the units of work that run on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record

from likeness.config import Settings

T = TypeVar("T")


@dataclass
class Graph:
    """A driver plus the database name; counts round trips so tests can see N+1 patterns."""

    driver: AsyncDriver
    database: str
    round_trips: int = field(default=0)

    @classmethod
    def connect(cls, uri: str, settings: Settings) -> Graph:
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        driver = AsyncGraphDatabase.driver(
            uri, auth=auth, max_connection_pool_size=64, notifications_min_severity="OFF"
        )
        return cls(driver=driver, database=settings.neo4j_database)

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run a read unit of work (routed to followers in a cluster; retried by the driver)."""
        async with self.driver.session(database=self.database) as session:
            return await session.execute_read(work)

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run one write transaction; the driver retries it on transient errors."""
        async with self.driver.session(database=self.database) as session:
            return await session.execute_write(work)

    async def query(self, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
        """One read query, one round trip: the rows as dicts."""
        self.round_trips += 1

        async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
            return _rows(await (await tx.run(cypher, params)).fetch(2**31 - 1))

        return await self.read(work)


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
