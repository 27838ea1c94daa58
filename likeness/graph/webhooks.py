"""Webhooks and their deliveries as (:Webhook) and (:Delivery) nodes; the fan-out's lease and cursor.

A webhook is configuration, not a fact of the provenance graph: neither label is an :Entity, so no
lookup, export or relationship field reaches them. A webhook's `secret` is read here only by the sender
(`claim_due`); every other read leaves it out.

The outbox is the (:Alert) nodes (written by graph.alerts with each change). The fan-out reads the alerts
past its cursor, in `seq` order, and writes one (:Delivery) per webhook that takes the alert's type and
whose owner sees it, moving the cursor in the same transaction; it runs under a lease
(:Lease {name: "webhook-fanout"}) so that one replica at a time does it. The sender claims due deliveries
with a lease of each one's own (`leaseHolder`, and `nextAttemptAt` moved to the claim's end, when another
process may take it over), so that two replicas never send the same delivery at once, and records each
attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.reads import plain

FANOUT_LEASE = "webhook-fanout"

# --- webhooks ----------------------------------------------------------------------------------------

_WEBHOOK_BY_ID: LiteralString = """
    MATCH (w:Webhook {id: $id})
    RETURN w.id AS id, w.owner AS owner, w.url AS url, w.types AS types, w.description AS description,
           w.createdAt AS createdAt
"""

# the alerts recorded so far: a new webhook hears of those after them
_LAST_ALERT_SEQ: LiteralString = """
    OPTIONAL MATCH (a:Alert) WHERE a.seq IS NOT NULL
    WITH a ORDER BY a.seq DESC LIMIT 1
    RETURN coalesce(a.seq, 0) AS seq
"""

_CREATE_WEBHOOK: LiteralString = """
    CREATE (w:Webhook {id: $id, owner: $owner, seesAll: $seesAll, url: $url, types: $types,
                       description: $description, secret: $secret, createdAt: $createdAt, fromSeq: $fromSeq})
"""

_WEBHOOKS_OF: LiteralString = """
    MATCH (w:Webhook)
    WHERE $owner IS NULL OR w.owner = $owner
    RETURN w.id AS id, w.owner AS owner, w.url AS url, w.types AS types, w.description AS description,
           w.createdAt AS createdAt
    ORDER BY w.createdAt, w.id
"""

_REMOVE_WEBHOOK: LiteralString = """
    MATCH (w:Webhook {id: $id, owner: $owner})
    OPTIONAL MATCH (d:Delivery {webhookId: w.id})
    DETACH DELETE d
    WITH DISTINCT w
    DETACH DELETE w
    RETURN count(*) AS removed
"""

# every webhook the fan-out may deliver to (a handful per party: read whole, matched in Python)
_ALL_WEBHOOKS: LiteralString = """
    MATCH (w:Webhook)
    RETURN w.id AS id, w.owner AS owner, w.seesAll AS seesAll, w.types AS types, w.fromSeq AS fromSeq
"""

# --- alerts, as a caller or a webhook's owner sees them ------------------------------------------------

_ALERT_SEEN: LiteralString = """
    MATCH (a:Alert {id: $id})
    WHERE $withEverything OR EXISTS { (a)-[:FOR]->(:Entity {id: $partyId}) }
    RETURN a.id AS id, a.type AS type
"""

# --- the fan-out ---------------------------------------------------------------------------------------

# whether alerts wait past the cursor (read first: an idle fan-out writes nothing)
_ALERTS_WAITING: LiteralString = """
    OPTIONAL MATCH (l:Lease {name: $name})
    WITH coalesce(l.cursor, 0) AS cursor
    RETURN EXISTS { MATCH (a:Alert) WHERE a.seq > cursor } AS waiting
"""

# the lease node is locked first (a write held to the end of the transaction): a second replica waits
# here, then reads the holder and the cursor as the first left them
_LOCK_LEASE: LiteralString = """
    MERGE (l:Lease {name: $name})
    ON CREATE SET l.cursor = 0, l.holder = '', l.until = $now
    SET l.lockedAt = $now
"""

_TAKE_LEASE: LiteralString = """
    MATCH (l:Lease {name: $name})
    WITH l, (l.holder = $holder OR l.until <= $now) AS mine
    FOREACH (_ IN CASE WHEN mine THEN [1] ELSE [] END | SET l.holder = $holder, l.until = $until)
    RETURN mine, coalesce(l.cursor, 0) AS cursor
"""

_ALERTS_AFTER: LiteralString = """
    MATCH (a:Alert) WHERE a.seq > $after
    WITH a ORDER BY a.seq LIMIT $limit
    RETURN a.id AS id, a.seq AS seq, a.type AS type,
           COLLECT { MATCH (a)-[:FOR]->(p:Entity) RETURN p.id } AS parties
"""

_CREATE_DELIVERIES: LiteralString = """
    UNWIND $rows AS row
    MERGE (d:Delivery {pair: row.pair})
    ON CREATE SET d.id = row.id, d.alertId = row.alertId, d.webhookId = row.webhookId, d.status = 'PENDING',
                  d.attempts = 0, d.attemptLog = [], d.createdAt = $now, d.nextAttemptAt = $now
"""

_MOVE_CURSOR: LiteralString = """
    MATCH (l:Lease {name: $name})
    SET l.cursor = $cursor
"""

# --- replays -------------------------------------------------------------------------------------------

_REQUEUE: LiteralString = """
    UNWIND $rows AS row
    MERGE (d:Delivery {pair: row.pair})
    ON CREATE SET d.id = row.id, d.alertId = row.alertId, d.webhookId = row.webhookId, d.attemptLog = [],
                  d.createdAt = $now
    SET d.status = 'PENDING', d.attempts = 0,
        d.nextAttemptAt = CASE WHEN d.leaseHolder IS NULL THEN $now ELSE d.nextAttemptAt END
    RETURN d.id AS id, d.alertId AS alertId, d.webhookId AS webhookId, d.status AS status,
           d.attemptLog AS attemptLog, d.nextAttemptAt AS nextAttemptAt
"""

# --- sending -------------------------------------------------------------------------------------------

# only a pending delivery has a next attempt; a claimed one's is its claim's end (an index range, in order)
_DUE: LiteralString = """
    MATCH (d:Delivery)
    WHERE d.nextAttemptAt <= $now
    RETURN d.id AS id
    ORDER BY d.nextAttemptAt
    LIMIT $limit
"""

# locks the deliveries (a write held to the end of the transaction), so that the claim below reads each
# one as another replica's claim left it
_LOCK_DELIVERIES: LiteralString = """
    UNWIND $ids AS id
    MATCH (d:Delivery {id: id})
    SET d.lockedAt = $now
"""

_CLAIM: LiteralString = """
    UNWIND $ids AS id
    MATCH (d:Delivery {id: id})
    WHERE d.status = 'PENDING' AND d.nextAttemptAt <= $now
    MATCH (w:Webhook {id: d.webhookId})
    MATCH (a:Alert {id: d.alertId})
    SET d.nextAttemptAt = $until, d.leaseHolder = $holder
    RETURN d.id AS id, d.attempts AS attempts, w.url AS url, w.secret AS secret,
           a {.id, .seq, .type, .at, .subjectId, .subjectKind, .code, .deadline, .summary} AS alert
"""

# each row: id, attempt (its JSON text), status and nextAttemptAt after it; only the holder's claims
_RECORD_ATTEMPTS: LiteralString = """
    UNWIND $rows AS row
    MATCH (d:Delivery {id: row.id})
    WHERE d.leaseHolder = $holder
    SET d.attempts = d.attempts + 1, d.attemptLog = d.attemptLog + [row.attempt], d.status = row.status,
        d.nextAttemptAt = row.nextAttemptAt, d.leaseHolder = null
"""

# --- what a webhook's owner reads of its deliveries --------------------------------------------------

_DELIVERIES_OF: LiteralString = """
    MATCH (d:Delivery {webhookId: $webhookId})
    RETURN d.id AS id, d.alertId AS alertId, d.webhookId AS webhookId, d.status AS status,
           d.attemptLog AS attemptLog, d.nextAttemptAt AS nextAttemptAt
    ORDER BY d.createdAt DESC, d.id
    LIMIT $limit
"""


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in row.items()}


async def webhook_by_id(tx: AsyncManagedTransaction, *, webhook_id: str) -> dict[str, Any] | None:
    rows = await run(tx, _WEBHOOK_BY_ID, id=webhook_id)
    return _plain_row(rows[0]) if rows else None


async def create_webhook(
    tx: AsyncManagedTransaction,
    *,
    webhook_id: str,
    owner: str,
    sees_all: bool,
    url: str,
    types: list[str],
    description: str | None,
    secret: str,
    created_at: datetime,
) -> dict[str, Any]:
    """Store a new webhook; it hears of the alerts after the last one recorded now. Answers it as read."""
    last = (await run(tx, _LAST_ALERT_SEQ))[0]["seq"]
    await run(
        tx,
        _CREATE_WEBHOOK,
        id=webhook_id,
        owner=owner,
        seesAll=sees_all,
        url=url,
        types=types,
        description=description,
        secret=secret,
        createdAt=created_at,
        fromSeq=int(last),
    )
    found = await webhook_by_id(tx, webhook_id=webhook_id)
    assert found is not None  # written just above, in this transaction
    return found


async def remove_webhook(tx: AsyncManagedTransaction, *, webhook_id: str, owner: str) -> bool:
    """Remove the owner's webhook and its deliveries; False when the owner has none of that id."""
    rows = await run(tx, _REMOVE_WEBHOOK, id=webhook_id, owner=owner)
    return bool(rows and rows[0]["removed"])


async def webhooks_of(graph: Graph, *, owner: str | None) -> list[dict[str, Any]]:
    """The owner's webhooks (every one for None), oldest first, without their secrets."""
    return [_plain_row(row) for row in await graph.query(_WEBHOOKS_OF, owner=owner)]


async def alert_seen(
    tx: AsyncManagedTransaction, *, alert_id: str, sees_all: bool, party_id: str | None
) -> dict[str, Any] | None:
    """The alert's id and type when the reader sees it (everything, or an alert FOR its party)."""
    rows = await run(tx, _ALERT_SEEN, id=alert_id, withEverything=sees_all, partyId=party_id or "")
    return rows[0] if rows else None


async def requeue(
    tx: AsyncManagedTransaction, *, rows: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Queue each (alert, webhook) pair's delivery again, due now (made when there was none; an existing
    one keeps its id and its attempts so far). Rows: pair, id, alertId, webhookId."""
    return [_plain_row(row) for row in await run(tx, _REQUEUE, rows=rows, now=now)]


async def alerts_waiting(graph: Graph, *, name: str = FANOUT_LEASE) -> bool:
    """Whether any alert was recorded after the fan-out's cursor."""
    rows = await graph.query(_ALERTS_WAITING, name=name)
    return bool(rows and rows[0]["waiting"])


async def take_fanout_turn(
    tx: AsyncManagedTransaction, *, holder: str, now: datetime, until: datetime, name: str = FANOUT_LEASE
) -> int | None:
    """Take (or keep) the fan-out's lease for `holder` until `until`; answers the cursor when it holds the
    lease, None when another holder's lease runs."""
    await run(tx, _LOCK_LEASE, name=name, now=now)
    row = (await run(tx, _TAKE_LEASE, name=name, holder=holder, now=now, until=until))[0]
    return int(row["cursor"]) if row["mine"] else None


async def alerts_after(tx: AsyncManagedTransaction, *, after: int, limit: int) -> list[dict[str, Any]]:
    """The alerts past `after`, in seq order (at most `limit`): id, seq, type and the parties FOR."""
    return await run(tx, _ALERTS_AFTER, after=after, limit=limit)


async def all_webhooks(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
    return await run(tx, _ALL_WEBHOOKS)


async def create_deliveries(
    tx: AsyncManagedTransaction, *, rows: list[dict[str, Any]], now: datetime
) -> None:
    """One pending delivery per (alert, webhook) pair not delivered to yet. Rows: pair, id, alertId,
    webhookId."""
    if rows:
        await run(tx, _CREATE_DELIVERIES, rows=rows, now=now)


async def move_cursor(tx: AsyncManagedTransaction, *, cursor: int, name: str = FANOUT_LEASE) -> None:
    await run(tx, _MOVE_CURSOR, name=name, cursor=cursor)


async def claim_due(
    graph: Graph, *, holder: str, now: datetime, until: datetime, limit: int
) -> list[dict[str, Any]]:
    """Claim up to `limit` due pending deliveries for `holder` until `until` (another holder's running
    claim excluded): each with its alert, its webhook's url and secret, and the attempts made so far."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        ids = sorted(row["id"] for row in await run(tx, _DUE, now=now, limit=limit))
        if not ids:
            return []
        await run(tx, _LOCK_DELIVERIES, ids=ids, now=now)
        return await run(tx, _CLAIM, ids=ids, now=now, until=until, holder=holder)

    return await graph.write(work)


async def record_attempts(graph: Graph, *, holder: str, rows: list[dict[str, Any]]) -> None:
    """Record attempts of deliveries `holder` claimed, each releasing its claim. Rows: id, attempt (its
    JSON text), status and nextAttemptAt (None unless PENDING)."""

    async def work(tx: AsyncManagedTransaction) -> None:
        await run(tx, _RECORD_ATTEMPTS, rows=rows, holder=holder)

    await graph.write(work)


async def deliveries_of(graph: Graph, *, webhook_id: str, limit: int) -> list[dict[str, Any]]:
    """A webhook's deliveries, newest first (at most `limit`)."""
    return [_plain_row(row) for row in await graph.query(_DELIVERIES_OF, webhookId=webhook_id, limit=limit)]


async def rehearse(graph: Graph, *, tag: str, now: datetime) -> None:
    """Run each write of this module once, on nodes of the rehearsal's own (ingest.warmup rolls the
    transaction back): a webhook, its delivery, a lease of its own, an attempt, the removal."""
    hook, message = f"{tag}-webhook", f"msg_{tag}"
    rows = [{"pair": f"{tag} {hook}", "id": message, "alertId": tag, "webhookId": hook}]

    async def work(tx: AsyncManagedTransaction) -> None:
        await create_webhook(
            tx,
            webhook_id=hook,
            owner=tag,
            sees_all=False,
            url="http://warmup.invalid/",
            types=["NOTICE_SENT"],
            description=None,
            secret="whsec_warmup",
            created_at=now,
        )
        await create_deliveries(tx, rows=rows, now=now)
        await requeue(tx, rows=rows, now=now)
        await take_fanout_turn(tx, holder=tag, now=now, until=now, name=f"{tag}-lease")
        await move_cursor(tx, cursor=0, name=f"{tag}-lease")
        await run(tx, _LOCK_DELIVERIES, ids=[message], now=now)
        await run(tx, _CLAIM, ids=[message], now=now, until=now, holder=tag)
        attempt = {"id": message, "attempt": "{}", "status": "PENDING", "nextAttemptAt": now}
        await run(tx, _RECORD_ATTEMPTS, rows=[attempt], holder=tag)
        await remove_webhook(tx, webhook_id=hook, owner=tag)

    await graph.write(work)
