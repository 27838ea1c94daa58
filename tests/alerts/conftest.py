"""Webhooks' fixtures: the app with private targets allowed (the receiver listens on loopback), the
fan-out and sender running beside the test, a real receiver, two brands with keys, and alerts written
in the contract's shape."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from likeness.access import keys, log
from likeness.alerts.delivery import WebhookWorkers
from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from tests.alerts.receiver import Receiver, receiving
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import org, send

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


_NEXT_SEQ = "MATCH (a:Alert) RETURN coalesce(max(a.seq), 0) + 1 AS seq"
_CREATE_ALERT = """
    CREATE (a:Alert {id: $id, seq: $seq, type: $type, at: datetime(), subjectId: $subjectId,
                     subjectKind: $subjectKind, code: null, summary: $summary, readBy: [],
                     deadline: CASE WHEN $deadline IS NULL THEN null ELSE datetime($deadline) END})
    WITH a
    UNWIND $parties AS partyId
    MATCH (p:Entity {id: partyId})
    CREATE (a)-[:FOR]->(p)
"""


async def write_alert(
    graph: Graph,
    alert_type: str,
    parties: list[str],
    *,
    subject_id: str = "consent-1",
    subject_kind: str = "CONSENT",
    deadline: str | None = None,
) -> str:
    """An alert in the contract's shape (ALERTS-CONTRACT.md), written as the outbox writes it: under the
    writers' turn, with the next seq, FOR its parties. Answers its id."""
    alert_id = f"alert-{uuid.uuid4().hex}"

    async def work(tx: Any) -> None:
        await log.take_turn(tx)
        seq = (await (await tx.run(_NEXT_SEQ)).single())["seq"]
        await tx.run(
            _CREATE_ALERT,
            id=alert_id,
            seq=seq,
            type=alert_type,
            subjectId=subject_id,
            subjectKind=subject_kind,
            deadline=deadline,
            summary=f"{alert_type} of {subject_id}",
            parties=parties,
        )

    await graph.write(work)
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
