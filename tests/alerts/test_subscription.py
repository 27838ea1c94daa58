"""`subscription { alerts }` over graphql-transport-ws, against the app served by uvicorn: authenticated in
connection_init, a revocation heard by the publisher within a second of its commit, never by another brand,
the document limits applied."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from tests.alerts.test_outbox import ago, published_world, token
from tests.ops.conftest import served

SUBSCRIBE = (
    "subscription($types: [AlertType!]) { alerts(types: $types) { id seq type subjectId deadline read } }"
)
PROTOCOL = "graphql-transport-ws"


class Local:
    """The api fixture's shape over real HTTP: what published_world needs to write."""

    def __init__(self, base: str, key: str) -> None:
        self.base, self.key = base, key

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as client:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {token or self.key}"},
            )
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]


async def opened(url: str, key: str | None) -> ClientConnection:
    socket = await connect(url, subprotocols=[PROTOCOL])  # type: ignore[list-item]
    payload = {"Authorization": f"Bearer {key}"} if key else {}
    await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
    return socket


async def subscribed(url: str, key: str, types: list[str] | None = None) -> ClientConnection:
    socket = await opened(url, key)
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps(
            {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"types": types}}}
        )
    )
    return socket


async def test_a_revocation_reaches_the_publishers_subscription_within_a_second_and_no_other_brands(
    graph: Graph, settings: Settings
) -> None:
    with served(create_app(settings)) as base:
        ws = base.replace("http", "ws", 1) + "/graphql"
        api = Local(base, settings.likeness_admin_token or "")
        await published_world(api)
        brand, other = (
            await token(graph, "BRAND", "brand-nordhem"),
            await token(graph, "BRAND", "brand-other"),
        )
        mine = await subscribed(ws, brand, ["CONSENT_REVOKED", "VERDICT_OPENED"])
        theirs = await subscribed(ws, other)
        await asyncio.sleep(0.3)  # both subscriptions are in place
        person = await token(graph, "PERSON", "person-ada")
        await api(
            "mutation($input: RevocationInput!) { revokeConsent(input: $input) { id } }",
            {"input": {"consentId": "consent-long", "revokedAt": ago(days=40)}},
            token=person,
        )
        committed = time.monotonic()
        received = []
        while len(received) < 2:
            message = json.loads(await asyncio.wait_for(mine.recv(), 5))
            assert message["type"] == "next", message
            received.append(message["payload"]["data"]["alerts"])
        heard = time.monotonic() - committed
        assert heard < 1.0, f"heard {heard:.2f} s after the commit"
        assert {(a["type"], a["subjectId"]) for a in received} == {
            ("CONSENT_REVOKED", "consent-long"),
            ("VERDICT_OPENED", "asset-1"),
        }
        # the other brand's subscription carries none of it
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(theirs.recv(), 1.0)
        await mine.close()
        await theirs.close()


async def test_a_socket_without_valid_credentials_is_closed_before_any_operation(settings: Settings) -> None:
    with served(create_app(settings)) as base:
        ws = base.replace("http", "ws", 1) + "/graphql"
        for key in (None, "not-a-key"):
            socket = await opened(ws, key)
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_the_document_limits_apply_to_subscriptions(graph: Graph, settings: Settings) -> None:
    with served(create_app(settings)) as base:
        ws = base.replace("http", "ws", 1) + "/graphql"
        key = await token(graph, "INVESTIGATOR")
        socket = await opened(ws, key)
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        heavy = "subscription { alerts { " + " ".join(["id"] * (settings.likeness_max_tokens + 10)) + " } }"
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": heavy}}))
        message = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert message["type"] == "error", message
        assert "TOO_MANY_TOKENS" in json.dumps(message)
        await socket.close()
