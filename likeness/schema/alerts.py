"""Alerts as GraphQL: the Alert type, the inbox (`alerts`), `markAlertsRead`, and `subscription { alerts }`
(graphql-transport-ws at /graphql, the bearer token in connection_init's payload: docs/alerts.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from likeness.alerts.types import ALERT_TYPES
from likeness.resolvers import alerts as resolve
from likeness.resolvers.context import Context

AlertType = strawberry.enum(
    Enum("AlertType", {kind: kind for kind in ALERT_TYPES}),  # type: ignore[misc]
    description="What an alert reports (docs/alerts.md): a verdict opened or closed, a consent revoked or "
    "ending within 30 days, a takedown notice sent, answered or overdue, a new face match of a person.",
)


@strawberry.type(description="One thing that concerns the caller, written with the change it reports.")
class Alert:
    id: strawberry.ID
    seq: int = strawberry.field(description="Its place among all alerts: strictly increasing.")
    type: AlertType  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="When it was written (the change's, or the deadline's tick).")
    subject_id: strawberry.ID = strawberry.field(description="What it is about.")
    subject_kind: str = strawberry.field(description="ASSET, TWIN, SIGHTING, CONSENT or NOTICE.")
    code: str | None = strawberry.field(description="The verdict code (VERDICT_OPENED, VERDICT_CLOSED).")
    deadline: datetime | None = strawberry.field(
        description="CONSENT_REVOKED: by when what runs under it must be taken down (the takedown period's "
        "end); NOTICE_*: when the notice's response window closes; CONSENT_EXPIRING: the consent's end."
    )
    summary: str
    read: bool = strawberry.field(description="Whether the caller marked it read (false on a subscription).")

    @classmethod
    def of(cls, row: dict[str, Any]) -> Alert:
        return cls(
            id=strawberry.ID(row["id"]),
            seq=row["seq"],
            type=AlertType(row["type"]),
            at=row["at"],
            subject_id=strawberry.ID(row["subjectId"]),
            subject_kind=row["subjectKind"],
            code=row.get("code"),
            deadline=row.get("deadline"),
            summary=row["summary"],
            read=bool(row.get("read", False)),
        )


@strawberry.type
class AlertPage:
    items: list[Alert] = strawberry.field(description="Newest first.")
    unread: int = strawberry.field(description="How many of the caller's alerts (of these types) are unread.")


def _kinds(types: list[AlertType] | None) -> list[str] | None:  # type: ignore[valid-type]
    return None if types is None else [kind.value for kind in types]  # type: ignore[attr-defined]


@strawberry.type
class AlertQueries:
    @strawberry.field(
        description="The caller's alerts, newest first: a tenant's own (addressed to its party), every alert "
        "for admins, regulators and investigators. `before`: a seq, for the next page."
    )
    async def alerts(
        self,
        info: Info[Context, None],
        types: list[AlertType] | None = None,  # type: ignore[valid-type]
        unread_only: bool = False,
        first: int = 50,
        before: int | None = None,
    ) -> AlertPage:
        page = await resolve.alerts(info.context, _kinds(types), unread_only, first, before)
        return AlertPage(items=[Alert.of(row) for row in page.items], unread=page.unread)


@strawberry.type
class AlertMutations:
    @strawberry.mutation(
        description="Mark the caller's alerts read: those named, or all. Answers how many were newly marked."
    )
    async def mark_alerts_read(
        self, info: Info[Context, None], ids: list[strawberry.ID] | None = None, all: bool = False
    ) -> int:
        return await resolve.mark_read(info.context, [str(i) for i in ids or []], all)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The caller's alerts as they are written (graphql-transport-ws; the bearer token in "
        "connection_init's payload as Authorization): the same alerts `alerts` answers, from now on."
    )
    async def alerts(
        self,
        info: Info[Context, None],
        types: list[AlertType] | None = None,  # type: ignore[valid-type]
    ) -> AsyncGenerator[Alert, None]:
        async for row in resolve.subscribe(info.context, _kinds(types)):
            yield Alert.of(row)
