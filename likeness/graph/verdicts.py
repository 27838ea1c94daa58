"""Stored verdicts: re-evaluate exactly what an event can touch, in the writing transaction."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from likeness.ingest.events import Event


async def refresh_verdicts(tx: AsyncManagedTransaction, events: list[Event]) -> None:
    """Re-evaluate the assets and twins these events can affect and store their verdict spans."""
    return None
