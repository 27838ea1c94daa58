"""Deliveries to a real receiver (an HTTP server the test starts): signed per Standard Webhooks, retried
with backoff and visible attempt by attempt, failed after the last try and replayed under the same id,
guarded at every send, redirects never followed, and each party hearing only of its own alerts.

The revocation is a real one, through the API; the other alerts are written by the outbox's own writer
(tests.alerts.conftest.write_alert) addressed to exactly the parties a test names."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from likeness.alerts.delivery import WebhookWorkers
from likeness.config import Settings
from likeness.graph.driver import Graph
from tests.alerts.conftest import REVOKE, ago, deliveries_of, published_world, register, until, write_alert
from tests.alerts.receiver import Receiver
from tests.conftest import Api


async def test_a_consent_revocation_reaches_the_brands_endpoint_signed(
    hooks_api: Api, graph: Graph, receiver: Receiver, workers: WebhookWorkers
) -> None:
    brands = await published_world(hooks_api, graph)
    made = await register(
        hooks_api, brands["brand-nordhem"], "hook-n", receiver.url("/n"), ["CONSENT_REVOKED"]
    )
    await register(hooks_api, brands["brand-other"], "hook-o", receiver.url("/o"), ["CONSENT_REVOKED"])
    revoked = ago(days=1)
    await hooks_api(REVOKE, {"input": {"consentId": "consent-long", "revokedAt": revoked}})

    [request] = await until(lambda: receiver.at("/n"), what="the delivery")
    body = request.verified(made["secret"])
    assert body["type"] == "CONSENT_REVOKED"
    assert (body["subjectId"], body["subjectKind"]) == ("consent-long", "CONSENT")
    # the publisher's takedown deadline: the revocation plus the consent's takedown period (30 days)
    assert datetime.fromisoformat(body["deadline"]) == datetime.fromisoformat(revoked) + timedelta(days=30)
    assert set(body) == {"id", "seq", "type", "at", "subjectId", "subjectKind", "code", "deadline", "summary"}
    assert request.headers["content-type"] == "application/json"
    assert request.webhook_id.startswith("msg_")
    # a body changed on the way does not verify
    forged = replace(request, body=request.body.replace(b"consent-long", b"consent-lung"))
    with pytest.raises(WebhookVerificationError):
        forged.verified(made["secret"])
    [delivery] = await until(
        lambda: _delivered(hooks_api, brands["brand-nordhem"], "hook-n"), what="the delivery marked DELIVERED"
    )
    assert (delivery["id"], delivery["alertId"]) == (request.webhook_id, body["id"])
    assert [attempt["statusCode"] for attempt in delivery["attempts"]] == [200]
    assert delivery["nextAttemptAt"] is None
    # the other brand published nothing under the consent: it hears nothing of it
    await until(lambda: _idle(hooks_api), what="no delivery pending")
    assert receiver.at("/o") == []


async def test_a_receiver_answering_500_three_times_gets_it_on_the_fourth_try(
    hooks_api: Api, brands: dict[str, str], graph: Graph, receiver: Receiver, workers: WebhookWorkers
) -> None:
    made = await register(hooks_api, brands["brand-a"], "hook-a", receiver.url(), ["CONSENT_REVOKED"])
    receiver.statuses = [500, 500, 500]
    alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    requests = await until(lambda: len(receiver.at("/hook")) >= 4 and receiver.at("/hook"), what="4 tries")
    assert len({request.webhook_id for request in requests}) == 1
    assert all(request.verified(made["secret"])["id"] == alert_id for request in requests)
    # each try signed afresh, and later than the one before (the backoff waits between them)
    assert [request.at for request in requests] == sorted(request.at for request in requests)
    [delivery] = await until(lambda: _delivered(hooks_api, brands["brand-a"], "hook-a"), what="DELIVERED")
    assert [attempt["statusCode"] for attempt in delivery["attempts"]] == [500, 500, 500, 200]
    assert [attempt["error"] for attempt in delivery["attempts"]] == ["answered HTTP 500"] * 3 + [None]
    assert [attempt["at"] for attempt in delivery["attempts"]] == sorted(
        attempt["at"] for attempt in delivery["attempts"]
    )
    assert delivery["id"] == requests[0].webhook_id


@pytest.fixture
async def three_tries(graph: Graph, hook_settings: Settings) -> AsyncIterator[WebhookWorkers]:
    running = WebhookWorkers(graph, hook_settings.model_copy(update={"likeness_webhook_max_attempts": 3}))
    running.start()
    yield running
    await running.stop()


async def test_after_the_last_try_it_is_failed_and_a_replay_sends_it_again_under_the_same_id(
    hooks_api: Api, brands: dict[str, str], graph: Graph, receiver: Receiver, three_tries: WebhookWorkers
) -> None:
    made = await register(hooks_api, brands["brand-a"], "hook-a", receiver.url(), ["NOTICE_SENT"])
    receiver.statuses = [503, 503, 503]
    alert_id = await write_alert(graph, "NOTICE_SENT", ["brand-a"], subject_kind="NOTICE")
    [failed] = await until(
        lambda: _with_status(hooks_api, brands["brand-a"], "hook-a", "FAILED"), what="FAILED"
    )
    assert [attempt["statusCode"] for attempt in failed["attempts"]] == [503, 503, 503]
    assert failed["nextAttemptAt"] is None
    assert len(receiver.at("/hook")) == 3

    replayed = await hooks_api(
        f'mutation {{ replayAlert(id: "{alert_id}") {{ id alertId status }} }}', token=brands["brand-a"]
    )
    assert replayed["replayAlert"] == [{"id": failed["id"], "alertId": alert_id, "status": "PENDING"}]
    requests = await until(lambda: len(receiver.at("/hook")) >= 4 and receiver.at("/hook"), what="the replay")
    assert requests[3].webhook_id == failed["id"]
    assert requests[3].verified(made["secret"])["id"] == alert_id
    [delivered] = await until(lambda: _delivered(hooks_api, brands["brand-a"], "hook-a"), what="DELIVERED")
    assert [attempt["statusCode"] for attempt in delivered["attempts"]] == [503, 503, 503, 200]


async def test_a_replay_of_a_delivered_alert_sends_it_again_with_the_same_webhook_id(
    hooks_api: Api, brands: dict[str, str], graph: Graph, receiver: Receiver, workers: WebhookWorkers
) -> None:
    await register(hooks_api, brands["brand-a"], "hook-a", receiver.url(), ["CONSENT_REVOKED"])
    alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    [first] = await until(lambda: receiver.at("/hook"), what="the delivery")
    await until(lambda: _delivered(hooks_api, brands["brand-a"], "hook-a"), what="DELIVERED")
    await hooks_api(f'mutation {{ replayAlert(id: "{alert_id}") {{ id }} }}', token=brands["brand-a"])
    requests = await until(lambda: len(receiver.at("/hook")) >= 2 and receiver.at("/hook"), what="the replay")
    assert [request.webhook_id for request in requests] == [first.webhook_id] * 2


async def test_a_webhook_registered_before_an_older_alert_existed_never_hears_of_it_unless_replayed(
    hooks_api: Api, brands: dict[str, str], graph: Graph, receiver: Receiver, workers: WebhookWorkers
) -> None:
    older = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    await register(hooks_api, brands["brand-a"], "hook-a", receiver.url(), ["CONSENT_REVOKED"])
    newer = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
    await until(lambda: receiver.at("/hook"), what="the newer alert")
    replayed = await hooks_api(f'mutation {{ replayAlert(id: "{older}") {{ id }} }}', token=brands["brand-a"])
    assert len(replayed["replayAlert"]) == 1
    requests = await until(lambda: len(receiver.at("/hook")) >= 2 and receiver.at("/hook"), what="the replay")
    assert [_alert_id(request) for request in requests] == [newer, older]


async def test_a_brand_never_receives_another_brands_alert(
    hooks_api: Api, brands: dict[str, str], graph: Graph, receiver: Receiver, workers: WebhookWorkers
) -> None:
    every = ["CONSENT_REVOKED", "NOTICE_SENT", "VERDICT_OPENED"]
    await register(hooks_api, brands["brand-a"], "hook-a", receiver.url("/a"), every)
    await register(hooks_api, brands["brand-b"], "hook-b", receiver.url("/b"), every)
    await register(hooks_api, brands["person-ada"], "hook-ada", receiver.url("/ada"), every)
    await register(hooks_api, brands["INVESTIGATOR"], "hook-i", receiver.url("/i"), every)
    sent = {
        "a": await write_alert(graph, "CONSENT_REVOKED", ["brand-a"]),
        "b": await write_alert(graph, "VERDICT_OPENED", ["brand-b"], subject_kind="ASSET"),
        "ab": await write_alert(graph, "NOTICE_SENT", ["brand-a", "brand-b"], subject_kind="NOTICE"),
        "ada": await write_alert(graph, "CONSENT_REVOKED", ["person-ada"]),
        "b-untaken": await write_alert(graph, "NOTICE_OVERDUE", ["brand-b"], subject_kind="NOTICE"),
    }
    await until(lambda: len(receiver.at("/i")) >= 4, what="the investigator's four")
    await until(
        lambda: len(receiver.at("/a")) >= 2 and len(receiver.at("/b")) >= 2, what="the brands' two each"
    )
    # nothing more arrives once the sender is idle
    await until(lambda: _idle(hooks_api), what="no delivery pending")
    heard = {
        path: sorted(_alert_id(request) for request in receiver.at(f"/{path}"))
        for path in ("a", "b", "ada", "i")
    }
    assert heard == {
        "a": sorted([sent["a"], sent["ab"]]),
        "b": sorted([sent["b"], sent["ab"]]),
        "ada": [sent["ada"]],
        "i": sorted([sent["a"], sent["b"], sent["ab"], sent["ada"]]),
    }


async def test_the_guard_holds_at_every_send_and_redirects_are_not_followed(
    hooks_api: Api,
    brands: dict[str, str],
    graph: Graph,
    receiver: Receiver,
    hook_settings: Settings,
) -> None:
    # registered while private targets were allowed; sent by a process where they are not
    await register(hooks_api, brands["brand-a"], "hook-a", receiver.url(), ["CONSENT_REVOKED"])
    # (its next try waits ten minutes: one refused attempt, then the replay below makes it due again)
    strict = WebhookWorkers(
        graph,
        hook_settings.model_copy(
            update={"likeness_webhook_allow_private": False, "likeness_webhook_backoff_seconds": 600.0}
        ),
    )
    strict.start()
    try:
        alert_id = await write_alert(graph, "CONSENT_REVOKED", ["brand-a"])
        [refused] = await until(
            lambda: _tried(hooks_api, brands["brand-a"], "hook-a"), what="a refused attempt"
        )
    finally:
        await strict.stop()
    assert refused["status"] == "PENDING"
    assert refused["attempts"][0]["statusCode"] is None
    assert "loopback" in refused["attempts"][0]["error"]
    assert receiver.all() == []

    # a redirect is an answer like any other: recorded, tried again later, never followed
    receiver.statuses = [302]
    await hooks_api(f'mutation {{ replayAlert(id: "{alert_id}") {{ id }} }}', token=brands["brand-a"])
    lenient = WebhookWorkers(graph, hook_settings)
    lenient.start()
    try:
        [delivered] = await until(
            lambda: _delivered(hooks_api, brands["brand-a"], "hook-a"), what="DELIVERED"
        )
    finally:
        await lenient.stop()
    assert [attempt["statusCode"] for attempt in delivered["attempts"]] == [None, 302, 200]
    assert [request.path for request in receiver.all()] == ["/hook", "/hook"]


async def _deliveries(api: Api, token: str, hook_id: str) -> list[dict[str, Any]]:
    return await deliveries_of(api, token, hook_id)


async def _with_status(api: Api, token: str, hook_id: str, status: str) -> list[dict[str, Any]] | None:
    found = await deliveries_of(api, token, hook_id)
    return found if found and all(delivery["status"] == status for delivery in found) else None


async def _delivered(api: Api, token: str, hook_id: str) -> list[dict[str, Any]] | None:
    return await _with_status(api, token, hook_id, "DELIVERED")


async def _tried(api: Api, token: str, hook_id: str) -> list[dict[str, Any]] | None:
    found = await deliveries_of(api, token, hook_id)
    return found if found and all(delivery["attempts"] for delivery in found) else None


async def _idle(api: Api) -> bool:
    data = await api("{ webhooks { deliveries { status } } }")
    return all(d["status"] != "PENDING" for hook in data["webhooks"] for d in hook["deliveries"])


def _alert_id(request: Any) -> str:
    import orjson

    return str(orjson.loads(request.body)["id"])
