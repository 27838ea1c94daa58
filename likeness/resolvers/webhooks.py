"""Webhooks: registerWebhook, webhooks, removeWebhook, replayAlert and a webhook's deliveries, for the
caller (likeness.alerts.webhooks holds the rules; this parses and hands over)."""

from __future__ import annotations

from typing import Any

from likeness.alerts import delivery, webhooks
from likeness.alerts.webhooks import Delivery, Registration, Webhook
from likeness.config import get_settings
from likeness.resolvers.context import Context


def _allows_private(context: Context) -> bool:
    """LIKENESS_WEBHOOK_ALLOW_PRIVATE as the serving app was configured (the environment's outside one)."""
    state: Any = getattr(getattr(context.request, "app", None), "state", None)
    settings = getattr(state, "settings", None) or get_settings()
    return bool(settings.likeness_webhook_allow_private)


async def register_webhook(
    context: Context, webhook_id: str, url: str, types: list[str], description: str | None
) -> Registration:
    return await webhooks.register(
        context.graph,
        context.principal,
        webhook_id=webhook_id,
        url=url,
        types=types,
        description=description,
        allow_private=_allows_private(context),
    )


async def list_webhooks(context: Context) -> list[Webhook]:
    return await webhooks.webhooks(context.graph, context.principal)


async def remove_webhook(context: Context, webhook_id: str) -> bool:
    return await webhooks.remove(context.graph, context.principal, webhook_id=webhook_id)


async def replay_alert(context: Context, alert_id: str) -> list[Delivery]:
    queued = await webhooks.replay(context.graph, context.principal, alert_id=alert_id)
    delivery.wake()
    return queued


async def deliveries(context: Context, webhook: Webhook, first: int) -> list[Delivery]:
    return await webhooks.deliveries(context.graph, webhook_id=webhook.id, first=first)
