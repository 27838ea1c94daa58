"""Webhooks: the types, and the mutations that register, remove and replay (configuration: no event of the
provenance graph is recorded, nothing is exported)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from likeness.alerts.webhooks import Attempt, Delivery, Registration
from likeness.alerts.webhooks import Webhook as WebhookRecord
from likeness.resolvers import webhooks as resolvers
from likeness.resolvers.context import Context
from likeness.schema.alerts import AlertType


@strawberry.enum(description="Where a delivery stands.")
class DeliveryStatus(Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


@strawberry.type(description="One try of a delivery.")
class DeliveryAttempt:
    at: datetime
    status_code: int | None = strawberry.field(description="The receiver's HTTP status; null: no answer.")
    error: str | None = strawberry.field(description="Why the try failed (null when it succeeded).")

    @classmethod
    def of(cls, attempt: Attempt) -> DeliveryAttempt:
        return cls(at=attempt.at, status_code=attempt.status_code, error=attempt.error)


@strawberry.type(description="One alert's delivery to one webhook.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The `webhook-id` header of every try of it.")
    alert_id: strawberry.ID
    status: DeliveryStatus
    attempts: list[DeliveryAttempt] = strawberry.field(description="Every try, oldest first.")
    next_attempt_at: datetime | None = strawberry.field(description="When it is tried next (PENDING only).")

    @classmethod
    def of(cls, delivery: Delivery) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(delivery.id),
            alert_id=strawberry.ID(delivery.alert_id),
            status=DeliveryStatus(delivery.status),
            attempts=[DeliveryAttempt.of(attempt) for attempt in delivery.attempts],
            next_attempt_at=delivery.next_attempt_at,
        )


@strawberry.type(description="An endpoint the caller's alerts are POSTed to, signed per Standard Webhooks.")
class Webhook:
    id: strawberry.ID
    url: str
    types: list[AlertType]  # type: ignore[valid-type]
    description: str | None
    created_at: datetime
    _record: strawberry.Private[WebhookRecord]

    @strawberry.field(description="Its deliveries, newest first, each with its tries.")
    async def deliveries(self, info: Info[Context, None], first: int = 20) -> list[WebhookDelivery]:
        with info.context.reading():
            found = await resolvers.deliveries(info.context, self._record, first)
        info.context.bounds.admit(sum(1 + len(delivery.attempts) for delivery in found))
        return [WebhookDelivery.of(delivery) for delivery in found]

    @classmethod
    def of(cls, webhook: WebhookRecord) -> Webhook:
        return cls(
            id=strawberry.ID(webhook.id),
            url=webhook.url,
            types=[AlertType[name] for name in webhook.types],  # type: ignore[misc]
            description=webhook.description,
            created_at=webhook.created_at,
            _record=webhook,
        )


@strawberry.type
class WebhookRegistration:
    webhook: Webhook
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_…), answered only by the registration that made the webhook: "
        "keep it; it is never shown again."
    )

    @classmethod
    def of(cls, registration: Registration) -> WebhookRegistration:
        return cls(webhook=Webhook.of(registration.webhook), secret=registration.secret)


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        description="Register a webhook of the caller's for the alerts of these types it receives. The first "
        "registration answers the signing secret; the same id with the same fields again changes nothing "
        "(secret null); with other fields it is a CONFLICT. The url must be http(s), absolute and public."
    )
    async def register_webhook(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        url: str,
        types: list[AlertType],  # type: ignore[valid-type]
        description: str | None = None,
    ) -> WebhookRegistration:
        with info.context.reading():
            made = await resolvers.register_webhook(
                info.context, str(id), url, [kind.value for kind in types], description
            )
        return WebhookRegistration.of(made)

    @strawberry.mutation(description="Remove one of the caller's webhooks; false if it has none of that id.")
    async def remove_webhook(self, info: Info[Context, None], id: strawberry.ID) -> bool:
        with info.context.reading():
            return await resolvers.remove_webhook(info.context, str(id))

    @strawberry.mutation(
        description="Send an alert the caller receives again to each of its webhooks taking its type, with "
        "the same webhook-id as before (a new one when it had none)."
    )
    async def replay_alert(self, info: Info[Context, None], id: strawberry.ID) -> list[WebhookDelivery]:
        with info.context.reading():
            queued = await resolvers.replay_alert(info.context, str(id))
        return [WebhookDelivery.of(delivery) for delivery in queued]


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="The caller's webhooks, oldest first (an ADMIN's: everyone's).")
    async def webhooks(self, info: Info[Context, None]) -> list[Webhook]:
        with info.context.reading():
            found = await resolvers.list_webhooks(info.context)
        info.context.bounds.admit(len(found))
        return [Webhook.of(webhook) for webhook in found]
