"""Webhooks: a party's endpoints for its alerts (registered, listed, removed, an alert replayed), and the
fan-out that turns each new alert into one delivery per webhook that should hear of it.

Registering is configuration, not a fact of the provenance graph: it records no event and is never
exported. Each registration, removal and replay is still one write transaction that takes the writers'
turn (so the same id sent twice at once answers as if sent one after the other) and appends an entry to
the tamper-evident log naming the webhook's id and URL, never its secret.

The secret is made here, in the Standard Webhooks format (`whsec_` and the base64 of 32 random bytes),
stored with the webhook (the sender signs with it) and answered once: to the registration that made it.

Who hears of an alert (the contract's one rule): a webhook's owner is a reader key
(likeness.alerts.types.reader_key); an owner that sees everything (ADMIN, REGULATOR, INVESTIGATOR) hears of
every alert of the types it took, a tenant of those addressed FOR its party. A webhook hears of the alerts
recorded after it was registered; an older one reaches it by `replay`.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction

from likeness.access import log
from likeness.access.principals import Principal
from likeness.alerts import guard
from likeness.alerts.types import alert_types, reader_key
from likeness.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from likeness.events.fields import identifier
from likeness.graph import webhooks as stored
from likeness.graph.driver import Graph

MAX_DESCRIPTION_CHARS = 500
SECRET_BYTES = 32
# the fan-out's lease: how long one replica holds it without renewing (another takes over after)
FANOUT_LEASE_SECONDS = 10.0
# alerts read per fan-out transaction
FANOUT_BATCH = 500


@dataclass(frozen=True)
class Webhook:
    id: str
    owner: str
    url: str
    types: tuple[str, ...]
    description: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> Webhook:
        return cls(
            id=row["id"],
            owner=row["owner"],
            url=row["url"],
            types=tuple(row["types"]),
            description=row["description"],
            created_at=row["createdAt"],
        )


@dataclass(frozen=True)
class Registration:
    webhook: Webhook
    # the signing secret: only when this registration made the webhook
    secret: str | None


@dataclass(frozen=True)
class Attempt:
    at: datetime
    status_code: int | None
    error: str | None


@dataclass(frozen=True)
class Delivery:
    """One alert's delivery to one webhook; its id is the `webhook-id` header of every attempt."""

    id: str
    alert_id: str
    webhook_id: str
    status: str
    attempts: tuple[Attempt, ...]
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Delivery:
        return cls(
            id=row["id"],
            alert_id=row["alertId"],
            webhook_id=row["webhookId"],
            status=row["status"],
            attempts=tuple(attempt_of(text) for text in row["attemptLog"] or []),
            next_attempt_at=row["nextAttemptAt"] if row["status"] == "PENDING" else None,
        )


def attempt_text(at: datetime, status_code: int | None, error: str | None) -> str:
    """How an attempt is stored on its delivery (a list of JSON texts: Neo4j lists hold no maps)."""
    return orjson.dumps({"at": at.isoformat(), "statusCode": status_code, "error": error}).decode()


def attempt_of(text: str) -> Attempt:
    found = orjson.loads(text)
    return Attempt(
        at=datetime.fromisoformat(found["at"]), status_code=found["statusCode"], error=found["error"]
    )


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(16)


def _owner(principal: Principal) -> str:
    """The reader key owning the caller's webhooks; FORBIDDEN for a caller that reads no alerts."""
    if not (principal.sees_everything or principal.party_id):
        raise Forbidden(f"a {principal.role} credential has no alerts to hear of by webhook")
    return reader_key(principal)


def _types(values: list[str]) -> list[str]:
    if not values:
        raise InvalidInput("types", values, "name at least one alert type")
    return alert_types(values)


def _description(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_DESCRIPTION_CHARS:
        raise InvalidInput(
            "description", value, f"at most {MAX_DESCRIPTION_CHARS} characters (got {len(value)})"
        )
    return value


async def register(
    graph: Graph,
    principal: Principal,
    *,
    webhook_id: str,
    url: str,
    types: list[str],
    description: str | None,
    allow_private: bool,
) -> Registration:
    """Register the caller's webhook: made with a new secret (answered this once); the same id with the
    same fields again changes nothing (no secret); with other fields, CONFLICT naming them."""
    owner = _owner(principal)
    webhook_id = identifier("id", webhook_id)
    guard.checked_url(url)
    wanted_types = _types(types)
    description = _description(description)
    # the host is resolved outside the transaction (a lookup may take seconds) and refused when it points
    # inside; the sender checks it again before every send
    await guard.resolve(url, allow_private=allow_private)
    secret = new_secret()
    now = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> Registration:
        await log.take_turn(tx)
        found = await stored.webhook_by_id(tx, webhook_id=webhook_id)
        made: str | None = None
        if found is None:
            found = await stored.create_webhook(
                tx,
                webhook_id=webhook_id,
                owner=owner,
                sees_all=principal.sees_everything,
                url=url,
                types=wanted_types,
                description=description,
                secret=secret,
                created_at=now,
            )
            made = secret
        elif found["owner"] != owner:
            raise Refused(
                "CONFLICT", "id", f"id {webhook_id!r} names another party's webhook; choose another id"
            )
        else:
            wanted = {"url": url, "types": wanted_types, "description": description}
            differing = [name for name, value in wanted.items() if found[name] != value]
            if differing:
                raise Conflict(webhook_id, differing)
        await log.append(
            tx,
            principal=principal.name,
            operation="registerWebhook",
            variables={"id": webhook_id, "url": url},
            target=webhook_id,
        )
        return Registration(webhook=Webhook.of(found), secret=made)

    return await graph.write(work)


async def webhooks(graph: Graph, principal: Principal) -> list[Webhook]:
    """The caller's webhooks, oldest first; an ADMIN's: everyone's."""
    owner = None if principal.role == "ADMIN" else _owner(principal)
    return [Webhook.of(row) for row in await stored.webhooks_of(graph, owner=owner)]


async def remove(graph: Graph, principal: Principal, *, webhook_id: str) -> bool:
    """Remove the caller's webhook of that id and its deliveries; False when it has none (again, or
    another's: only its own)."""
    owner = _owner(principal)
    webhook_id = identifier("id", webhook_id)

    async def work(tx: AsyncManagedTransaction) -> bool:
        await log.take_turn(tx)
        removed = await stored.remove_webhook(tx, webhook_id=webhook_id, owner=owner)
        await log.append(
            tx,
            principal=principal.name,
            operation="removeWebhook",
            variables={"id": webhook_id},
            target=webhook_id,
        )
        return removed

    return await graph.write(work)


async def replay(graph: Graph, principal: Principal, *, alert_id: str) -> list[Delivery]:
    """Queue the alert's delivery again, due now, to each of the caller's webhooks taking its type (an
    earlier delivery keeps its id, so the receiver sees the same `webhook-id`; made when there was none).
    NOT_FOUND for an alert the caller does not see."""
    owner = _owner(principal)
    alert_id = identifier("id", alert_id)
    now = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> list[Delivery]:
        await log.take_turn(tx)
        alert = await stored.alert_seen(
            tx, alert_id=alert_id, sees_all=principal.sees_everything, party_id=principal.party_id
        )
        if alert is None:
            raise NotFound(f"id: no alert {alert_id!r} among those you receive", field="id")
        rows = [
            _pair(alert_id, hook["id"])
            for hook in await stored.all_webhooks(tx)
            if hook["owner"] == owner and alert["type"] in hook["types"]
        ]
        queued = await stored.requeue(tx, rows=rows, now=now) if rows else []
        await log.append(
            tx, principal=principal.name, operation="replayAlert", variables={"id": alert_id}, target=alert_id
        )
        return sorted((Delivery.of(row) for row in queued), key=lambda delivery: delivery.webhook_id)

    return await graph.write(work)


async def deliveries(graph: Graph, *, webhook_id: str, first: int) -> list[Delivery]:
    """A webhook's deliveries, newest first (ask only for a webhook the caller was shown)."""
    if first < 0 or first > 100:
        raise InvalidInput("first", first, "expected 0 to 100")
    return [Delivery.of(row) for row in await stored.deliveries_of(graph, webhook_id=webhook_id, limit=first)]


def _pair(alert_id: str, webhook_id: str) -> dict[str, Any]:
    return {
        "pair": f"{alert_id} {webhook_id}",
        "id": new_message_id(),
        "alertId": alert_id,
        "webhookId": webhook_id,
    }


def hears_of(hook: dict[str, Any], alert: dict[str, Any]) -> bool:
    """Whether a webhook should hear of an alert: its type taken, recorded after the webhook, and seen by
    its owner (everything, or an alert FOR the owner's party)."""
    return (
        alert["type"] in hook["types"]
        and alert["seq"] > (hook["fromSeq"] or 0)
        and (bool(hook["seesAll"]) or hook["owner"] in alert["parties"])
    )


@dataclass(frozen=True)
class FanOut:
    alerts: int
    deliveries: int


async def fan_out(graph: Graph, *, holder: str, batch: int = FANOUT_BATCH) -> FanOut:
    """One step of the fan-out, as `holder` of its lease: the next alerts past the cursor (at most `batch`)
    become deliveries and the cursor moves past them, in one transaction. Nothing when another replica
    holds the lease."""
    if not await stored.alerts_waiting(graph):
        return FanOut(0, 0)
    now = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> FanOut:
        cursor = await stored.take_fanout_turn(
            tx, holder=holder, now=now, until=now + timedelta(seconds=FANOUT_LEASE_SECONDS)
        )
        if cursor is None:
            return FanOut(0, 0)
        alerts = await stored.alerts_after(tx, after=cursor, limit=batch)
        if not alerts:
            return FanOut(0, 0)
        hooks = await stored.all_webhooks(tx)
        rows = [_pair(alert["id"], hook["id"]) for alert in alerts for hook in hooks if hears_of(hook, alert)]
        await stored.create_deliveries(tx, rows=rows, now=now)
        await stored.move_cursor(tx, cursor=max(int(alert["seq"]) for alert in alerts))
        return FanOut(len(alerts), len(rows))

    return await graph.write(work)
