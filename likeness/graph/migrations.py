"""The database schema: constraints and indexes, created idempotently at startup."""

from __future__ import annotations

from typing import LiteralString

from likeness.graph.driver import Graph

STATEMENTS: tuple[LiteralString, ...] = (
    # ids are unique across the whole graph: every node carries :Entity
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX asset_sha256 IF NOT EXISTS FOR (n:Asset) ON (n.sha256)",
    "CREATE INDEX asset_published_at IF NOT EXISTS FOR (n:Asset) ON (n.publishedAt)",
    "CREATE INDEX asset_phash_b0 IF NOT EXISTS FOR (n:Asset) ON (n.phashB0)",
    "CREATE INDEX asset_phash_b1 IF NOT EXISTS FOR (n:Asset) ON (n.phashB1)",
    "CREATE INDEX asset_phash_b2 IF NOT EXISTS FOR (n:Asset) ON (n.phashB2)",
    "CREATE INDEX asset_phash_b3 IF NOT EXISTS FOR (n:Asset) ON (n.phashB3)",
    "CREATE INDEX sighting_sha256 IF NOT EXISTS FOR (n:Sighting) ON (n.sha256)",
    "CREATE INDEX capture_sha256 IF NOT EXISTS FOR (n:Capture) ON (n.sha256)",
    "CREATE INDEX consent_valid_until IF NOT EXISTS FOR (n:Consent) ON (n.validUntil)",
    "CREATE INDEX payment_paid_at IF NOT EXISTS FOR (n:Payment) ON (n.paidAt)",
    "CREATE INDEX verdict_code_start IF NOT EXISTS FOR (n:Verdict) ON (n.code, n.start)",
    "CREATE INDEX verdict_start IF NOT EXISTS FOR (n:Verdict) ON (n.start)",
    "CREATE INDEX verdict_subject IF NOT EXISTS FOR (n:Verdict) ON (n.subjectId)",
    "CREATE INDEX verdict_occurred IF NOT EXISTS FOR (n:Verdict) ON (n.occurredAt, n.vkey)",
    "CREATE INDEX verdict_end IF NOT EXISTS FOR (n:Verdict) ON (n.end)",
    # audit counts by code as of an instant read this index alone (graph.audit), never the verdict nodes
    "CREATE INDEX verdict_span IF NOT EXISTS FOR (n:Verdict) ON (n.end, n.start, n.code, n.occurredAt)",
    # access: API keys (looked up by hash) and the tamper-evident log (one head, unique sequence numbers)
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE",
    "CREATE CONSTRAINT log_head_id IF NOT EXISTS FOR (h:LogHead) REQUIRE h.id IS UNIQUE",
    "CREATE CONSTRAINT log_entry_seq IF NOT EXISTS FOR (e:LogEntry) REQUIRE e.seq IS UNIQUE",
)


async def migrate(graph: Graph) -> None:
    """Bring the schema up to date; safe to run at every start."""
    async with graph.driver.session(database=graph.database) as session:
        for statement in STATEMENTS:
            await (await session.run(statement)).consume()
        await (await session.run("CALL db.awaitIndexes(300)")).consume()
