"""The files Likeness signed (likeness.media.signing): each kept beside its asset, its bytes in a node of
their own, `(:Asset)-[:SIGNED_AS]->(:SignedFile {sha256, mimeType, bytes})`, written in the publication's
own transaction and read only by GET /signed/{assetId} (likeness.app) for a caller who may see the asset.
No other read touches them: an asset's properties say what was signed (its `signed*` facts)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.events.contract import Event
from likeness.graph.driver import Graph, run

_STORE: LiteralString = """
    UNWIND $rows AS row
    MATCH (a:Entity {id: row.id}) WHERE a:Asset
    MERGE (a)-[:SIGNED_AS]->(f:SignedFile)
    SET f.sha256 = row.sha256, f.mimeType = row.mimeType, f.bytes = row.bytes
"""

_STORED_INPUT: LiteralString = """
    MATCH (a:Entity {id: $id}) WHERE a:Asset
    RETURN a.input AS input
"""

_AI_TRAINING: LiteralString = """
    MATCH (c:Entity)
    WHERE c.id IN $consentIds AND c:Consent
    RETURN c.aiTraining AS aiTraining
"""

_PAGE: LiteralString = """
    MATCH (f:SignedFile)
    WHERE f.sha256 > $afterSha256
    RETURN f.sha256 AS sha256, f.mimeType AS mimeType, f.bytes AS bytes
    ORDER BY f.sha256
    LIMIT $limit
"""

_READ: LiteralString = """
    MATCH (a:Entity {id: $id})-[:SIGNED_AS]->(f:SignedFile) WHERE a:Asset
    RETURN f.sha256 AS sha256, f.mimeType AS mimeType, f.bytes AS bytes
"""


# the extension a signed file is saved under, by its type (MOV for the one left)
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/mp4": "mp4"}


@dataclass(frozen=True)
class SignedFile:
    sha256: str
    mime_type: str
    data: bytes

    def file_name(self, stem: str) -> str:
        """`stem` with the extension of this file's type."""
        return f"{stem}.{_EXTENSIONS.get(self.mime_type, 'mov')}"


def signed_file_rows(events: list[Event]) -> list[dict[str, Any]]:
    """One row per publication that came with its signed file's bytes."""
    return [
        {
            "id": event.key,
            "sha256": event.input["sha256"],
            "mimeType": event.input["signedFile"]["mimeType"],
            "bytes": event.signed_bytes,
        }
        for event in events
        if event.signed_bytes is not None
    ]


async def store_signed_files(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    if rows:
        await run(tx, _STORE, rows=rows)


async def stored_input(tx: AsyncManagedTransaction, asset_id: str) -> str | None:
    """The canonical input an asset was recorded with (JSON), or None when there is no such asset."""
    rows = await run(tx, _STORED_INPUT, id=asset_id)
    return str(rows[0]["input"]) if rows else None


async def ai_training_terms(tx: AsyncManagedTransaction, consent_ids: list[str]) -> list[str | None]:
    """Each consent's aiTraining term (None where it states none)."""
    rows = await run(tx, _AI_TRAINING, consentIds=consent_ids)
    return [row["aiTraining"] for row in rows]


async def every_signed_file(graph: Graph, *, page: int = 20) -> AsyncIterator[SignedFile]:
    """Every signed file kept here, by sha256, a few at a time (an export writes them beside its events)."""
    after = ""
    while rows := await graph.query(_PAGE, afterSha256=after, limit=page):
        for row in rows:
            yield SignedFile(str(row["sha256"]), str(row["mimeType"]), bytes(row["bytes"]))
        after = str(rows[-1]["sha256"])


async def signed_file(graph: Graph, asset_id: str) -> SignedFile | None:
    """The signed file kept for an asset; None when there is none here (not signed, or imported: an
    export carries what was signed, never the bytes)."""
    rows = await graph.query(_READ, id=asset_id)
    if not rows:
        return None
    row = rows[0]
    return SignedFile(str(row["sha256"]), str(row["mimeType"]), bytes(row["bytes"]))
