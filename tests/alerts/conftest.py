"""Webhooks' fixtures: the app with private targets allowed (the receiver listens on loopback), the
fan-out and sender running beside the test, a real receiver, two brands with keys, and alerts written
as the outbox writes them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from likeness.access import keys, log
from likeness.alerts import broker
from likeness.alerts.delivery import WebhookWorkers
from likeness.app import create_app
from likeness.config import Settings
from likeness.events.fields import format_instant
from likeness.graph.alerts import emit
from likeness.graph.driver import Graph
from tests.alerts.receiver import Receiver, receiving
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import asset, base_world, consent, org, send

HOOK_SETTINGS = {
    "likeness_webhook_allow_private": True,
    "likeness_webhook_poll_seconds": 0.05,
    "likeness_webhook_backoff_seconds": 0.05,
    "likeness_webhook_timeout_seconds": 5.0,
}

REGISTER = """mutation($id: ID!, $url: String!, $types: [AlertType!]!, $description: String) {
  registerWebhook(id: $id, url: $url, types: $types, description: $description) {
    secret webhook { id url types description createdAt } } }"""

DELIVERIES = """{ webhooks { id deliveries { id alertId status nextAttemptAt
  attempts { at statusCode error } } } }"""


@pytest.fixture
def hook_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=HOOK_SETTINGS)


@pytest.fixture
async def hooks_api(graph: Graph, hook_settings: Settings) -> AsyncIterator[Api]:
    """The API with private webhook targets allowed (the receiver is on loopback)."""
    app = create_app(hook_settings, graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield Api(client, ADMIN_TOKEN)


@pytest.fixture
async def workers(graph: Graph, hook_settings: Settings) -> AsyncIterator[WebhookWorkers]:
    """The fan-out and the sender, running as they do in the API's lifespan."""
    running = WebhookWorkers(graph, hook_settings)
    running.start()
    yield running
    await running.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as running:
        yield running


@pytest.fixture
async def brands(hooks_api: Api, graph: Graph) -> dict[str, str]:
    """Two brands and a person; answers each party's (and an investigator's) API key by party id."""
    await send(hooks_api, "registerPerson", {"id": "person-ada", "name": "Ada"})
    for oid in ("brand-a", "brand-b"):
        await send(hooks_api, "registerOrganization", org(oid, "BRAND"))
    made = {
        oid: (await keys.create(graph, role="BRAND", party_id=oid)).secret for oid in ("brand-a", "brand-b")
    }
    made["person-ada"] = (await keys.create(graph, role="PERSON", party_id="person-ada")).secret
    made["INVESTIGATOR"] = (await keys.create(graph, role="INVESTIGATOR")).secret
    return made


def ago(**delta: float) -> str:
    return format_instant(datetime.now(UTC) - timedelta(**delta))


REVOKE = "mutation($input: RevocationInput!) { revokeConsent(input: $input) { id } }"


async def published_world(api: Api, graph: Graph) -> dict[str, str]:
    """The base world (tests.factories) with a consent in force for two more years, an asset of
    brand-nordhem under it, and a second brand; answers both brands' keys by party id."""
    await base_world(api)
    await send(api, "registerOrganization", org("brand-other", "BRAND"))
    await send(api, "grantConsent", consent("consent-long", validUntil=ago(days=-700)))
    await send(api, "publishAsset", asset(publishedAt=ago(days=90)))
    return {
        party: (await keys.create(graph, role="BRAND", party_id=party)).secret
        for party in ("brand-nordhem", "brand-other")
    }


async def write_alert(
    graph: Graph,
    alert_type: str,
    parties: list[str],
    *,
    subject_id: str | None = None,
    subject_kind: str = "CONSENT",
) -> str:
    """An alert addressed to exactly these parties, written as the outbox writes one (graph.alerts.emit,
    under the writers' turn), about `subject_id` (an existing node; the first party by default). For the
    tests of who hears of what, where a real change would address more parties than the test names."""
    alert_id = f"alert-{uuid.uuid4().hex}"
    alert = {
        "id": alert_id,
        "type": alert_type,
        "subjectId": subject_id or parties[0],
        "subjectKind": subject_kind,
        "summary": f"{alert_type} for {', '.join(parties)}",
        "only": parties,
    }

    async def work(tx: Any) -> None:
        await log.take_turn(tx)
        assert await emit(tx, [alert], datetime.now(UTC)) == 1

    await graph.write(work)
    broker.nudge()
    return alert_id


async def until(check: Callable[[], Any], *, seconds: float = 30.0, what: str = "the condition") -> Any:
    """Wait (polling) until `check()` answers something truthy; answers it."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        await asyncio.sleep(0.05)


async def register(
    api: Api, token: str | None, hook_id: str, url: str, types: list[str], description: str | None = None
) -> dict[str, Any]:
    data = await api(
        REGISTER, {"id": hook_id, "url": url, "types": types, "description": description}, token=token
    )
    return dict(data["registerWebhook"])


async def deliveries_of(api: Api, token: str | None, hook_id: str) -> list[dict[str, Any]]:
    data = await api(DELIVERIES, token=token)
    return next(hook["deliveries"] for hook in data["webhooks"] if hook["id"] == hook_id)
