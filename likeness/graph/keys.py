"""API keys as (:ApiKey) nodes: only the SHA-256 of a key is stored, never the key itself.

(:ApiKey) is deliberately not an :Entity, so no lookup, export or relationship field reaches it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run
from likeness.graph.reads import plain

_CREATE: LiteralString = """
    CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, partyId: $partyId, label: $label,
                      createdAt: $createdAt})
"""

_BY_HASH: LiteralString = """
    MATCH (k:ApiKey {hash: $hash})
    WHERE k.revokedAt IS NULL
    RETURN k.id AS id, k.role AS role, k.partyId AS partyId, k.label AS label
"""

_LIST: LiteralString = """
    MATCH (k:ApiKey)
    RETURN k.id AS id, k.role AS role, k.partyId AS partyId, k.label AS label,
           k.createdAt AS createdAt, k.revokedAt AS revokedAt
    ORDER BY k.createdAt, k.id
"""

_REVOKE: LiteralString = """
    MATCH (k:ApiKey {id: $id})
    SET k.revokedAt = coalesce(k.revokedAt, $at)
    RETURN k.revokedAt AS revokedAt
"""

_PARTY_LABELS: LiteralString = """
    MATCH (n:Entity {id: $id})
    RETURN labels(n) AS labels
"""


async def create_key(
    graph: Graph,
    *,
    key_id: str,
    key_hash: str,
    role: str,
    party_id: str | None,
    label: str,
    created_at: datetime,
) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await run(
            tx,
            _CREATE,
            id=key_id,
            hash=key_hash,
            role=role,
            partyId=party_id,
            label=label,
            createdAt=created_at,
        )

    await graph.write(work)


async def get_active_by_hash(graph: Graph, *, key_hash: str) -> dict[str, Any] | None:
    """The unrevoked key with this hash, or None."""
    rows = await graph.query(_BY_HASH, hash=key_hash)
    return rows[0] if rows else None


async def list_keys(graph: Graph) -> list[dict[str, Any]]:
    return [{name: plain(value) for name, value in row.items()} for row in await graph.query(_LIST)]


async def revoke_key(graph: Graph, *, key_id: str, at: datetime) -> datetime | None:
    """Mark the key revoked (keeping the first revocation instant); None when no key has that id."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await run(tx, _REVOKE, id=key_id, at=at)

    rows = await graph.write(work)
    return plain(rows[0]["revokedAt"]) if rows else None


async def party_labels(graph: Graph, *, party_id: str) -> list[str] | None:
    """The labels of the node a key would act as, or None when no such node exists."""
    rows = await graph.query(_PARTY_LABELS, id=party_id)
    return list(rows[0]["labels"]) if rows else None
