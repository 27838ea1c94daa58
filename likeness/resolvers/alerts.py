"""A caller's alerts: the inbox (`alerts`), marking them read, and the live subscription.

Who reads which alerts is the one rule of likeness.graph.alerts: admins, regulators and investigators every
alert; a tenant the alerts addressed to its party. Read marks are the reader's own (its party, or its role
for those who see everything: likeness.alerts.types.reader_key).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from likeness.access import log
from likeness.alerts.types import alert_types, reader_key
from likeness.errors import Forbidden, InvalidInput
from likeness.graph import alerts as stored
from likeness.resolvers.common import page_size
from likeness.resolvers.context import Context

# how many ids one markAlertsRead may name
MAX_MARKED = 500


@dataclass(frozen=True)
class AlertPage:
    items: list[dict[str, Any]]
    unread: int


def _party(context: Context) -> str | None:
    """The party whose alerts the caller reads (None: every alert); refused for a caller with neither."""
    principal = context.principal
    if principal.sees_everything:
        return None
    if not principal.party_id:
        raise Forbidden("this credential reads no alerts: it acts for no party")
    return principal.party_id


def _types(types: Sequence[str] | None) -> list[str] | None:
    return None if types is None else alert_types(types)


async def alerts(
    context: Context,
    types: Sequence[str] | None = None,
    unread_only: bool = False,
    first: int = 50,
    before: int | None = None,
) -> AlertPage:
    """The caller's alerts, newest first (those before seq `before`), and how many it has not read."""
    party = _party(context)
    kinds = _types(types)
    size = page_size(first)
    reader = reader_key(context.principal)
    items = await stored.alerts_of(
        context.graph,
        party=party,
        reader=reader,
        types=kinds,
        unread_only=unread_only,
        first=size,
        before=before,
    )
    unread = await stored.unread_of(context.graph, party=party, reader=reader, types=kinds)
    return AlertPage(items=items, unread=unread)


async def mark_read(context: Context, ids: Sequence[str] | None, every: bool) -> int:
    """Mark read the caller's alerts named by `ids` (or all of them); answers how many were newly marked.
    Alerts the caller does not see are passed over; marking twice marks nothing the second time."""
    party = _party(context)
    named = list(ids or [])
    if not every and not named:
        raise InvalidInput("ids", named, "name the alerts to mark read, or pass all: true")
    if len(named) > MAX_MARKED:
        raise InvalidInput("ids", len(named), f"at most {MAX_MARKED} ids at a time (or all: true)")
    reader = reader_key(context.principal)
    principal = context.principal

    async def work(tx: AsyncManagedTransaction) -> int:
        marked = await stored.mark_read(tx, party=party, reader=reader, ids=named, every=every)
        await log.append(
            tx,
            principal=principal.name,
            operation="markAlertsRead",
            variables={"ids": named, "all": every},
        )
        return marked

    return await context.graph.write(work)


async def subscribe(context: Context, types: Sequence[str] | None = None) -> AsyncIterator[dict[str, Any]]:
    """The caller's alerts as they are written, from now on (of `types`, if given)."""
    _party(context)
    kinds = _types(types)
    if context.broker is None:
        raise Forbidden("subscriptions are served by the API only")
    async for alert in context.broker.subscribe(context.principal, kinds):
        yield alert
