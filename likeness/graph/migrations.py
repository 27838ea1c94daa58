"""The database schema: constraints and indexes, created idempotently at startup."""

from __future__ import annotations

import logging
from typing import Any, LiteralString

from likeness.graph.driver import Graph
from likeness.graph.phash import band_properties
from likeness.graph.verdict_counts import ensure_verdict_counts

logger = logging.getLogger(__name__)

STATEMENTS: tuple[LiteralString, ...] = (
    # ids are unique across the whole graph: every node carries :Entity
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX asset_sha256 IF NOT EXISTS FOR (n:Asset) ON (n.sha256)",
    "CREATE INDEX asset_published_at IF NOT EXISTS FOR (n:Asset) ON (n.publishedAt)",
    "CREATE INDEX asset_phash_b0 IF NOT EXISTS FOR (n:Asset) ON (n.phashB0)",
    "CREATE INDEX asset_phash_b1 IF NOT EXISTS FOR (n:Asset) ON (n.phashB1)",
    "CREATE INDEX asset_phash_b2 IF NOT EXISTS FOR (n:Asset) ON (n.phashB2)",
    "CREATE INDEX asset_phash_b3 IF NOT EXISTS FOR (n:Asset) ON (n.phashB3)",
    # the wide layout (graph.phash.WIDE) serves distances up to 8
    "CREATE INDEX asset_phash_w0 IF NOT EXISTS FOR (n:Asset) ON (n.phashW0)",
    "CREATE INDEX asset_phash_w1 IF NOT EXISTS FOR (n:Asset) ON (n.phashW1)",
    "CREATE INDEX asset_phash_w2 IF NOT EXISTS FOR (n:Asset) ON (n.phashW2)",
    "CREATE INDEX sighting_sha256 IF NOT EXISTS FOR (n:Sighting) ON (n.sha256)",
    # new assets and captures find the sightings that show them by the wide bands (graph.sighting_links)
    "CREATE INDEX sighting_phash_w0 IF NOT EXISTS FOR (n:Sighting) ON (n.phashW0)",
    "CREATE INDEX sighting_phash_w1 IF NOT EXISTS FOR (n:Sighting) ON (n.phashW1)",
    "CREATE INDEX sighting_phash_w2 IF NOT EXISTS FOR (n:Sighting) ON (n.phashW2)",
    "CREATE INDEX capture_sha256 IF NOT EXISTS FOR (n:Capture) ON (n.sha256)",
    # captures may carry a phash like assets; sightings and traces find them by the wide bands
    "CREATE INDEX capture_phash_w0 IF NOT EXISTS FOR (n:Capture) ON (n.phashW0)",
    "CREATE INDEX capture_phash_w1 IF NOT EXISTS FOR (n:Capture) ON (n.phashW1)",
    "CREATE INDEX capture_phash_w2 IF NOT EXISTS FOR (n:Capture) ON (n.phashW2)",
    # ... and the narrow bands, for traces beyond distance 8 (graph.trace)
    "CREATE INDEX capture_phash_b0 IF NOT EXISTS FOR (n:Capture) ON (n.phashB0)",
    "CREATE INDEX capture_phash_b1 IF NOT EXISTS FOR (n:Capture) ON (n.phashB1)",
    "CREATE INDEX capture_phash_b2 IF NOT EXISTS FOR (n:Capture) ON (n.phashB2)",
    "CREATE INDEX capture_phash_b3 IF NOT EXISTS FOR (n:Capture) ON (n.phashB3)",
    # a manifest's ingredient names the label of its own manifest (graph.manifests)
    "CREATE INDEX manifest_label IF NOT EXISTS FOR (n:Manifest) ON (n.manifestLabel)",
    # search by name (graph.search): Lucene's full-text index over person and organization names
    # search by part of an id (graph.search): a text index serves CONTAINS (trigrams)
    "CREATE TEXT INDEX entity_id_text IF NOT EXISTS FOR (n:Entity) ON (n.id)",
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Person|Organization) ON EACH [n.name]",
    "CREATE INDEX consent_valid_until IF NOT EXISTS FOR (n:Consent) ON (n.validUntil)",
    "CREATE INDEX payment_paid_at IF NOT EXISTS FOR (n:Payment) ON (n.paidAt)",
    # takedown notices are paged in order of sending (graph.notices)
    "CREATE INDEX notice_sent_at IF NOT EXISTS FOR (n:TakedownNotice) ON (n.sentAt, n.id)",
    "CREATE INDEX verdict_code_start IF NOT EXISTS FOR (n:Verdict) ON (n.code, n.start)",
    "CREATE INDEX verdict_start IF NOT EXISTS FOR (n:Verdict) ON (n.start)",
    "CREATE INDEX verdict_subject IF NOT EXISTS FOR (n:Verdict) ON (n.subjectId)",
    "CREATE INDEX verdict_occurred IF NOT EXISTS FOR (n:Verdict) ON (n.occurredAt, n.vkey)",
    "CREATE INDEX verdict_end IF NOT EXISTS FOR (n:Verdict) ON (n.end)",
    # audit counts by code as of an instant read this index alone (graph.audit), never the verdict nodes
    "CREATE INDEX verdict_span IF NOT EXISTS FOR (n:Verdict) ON (n.end, n.start, n.code, n.occurredAt)",
    # verdict counts by code per day and month (graph.verdict_counts): one bucket per key, read by range
    # of day
    "CREATE CONSTRAINT verdict_count_day IF NOT EXISTS"
    " FOR (n:VerdictCountDay) REQUIRE (n.day, n.code) IS UNIQUE",
    "CREATE CONSTRAINT verdict_count_month IF NOT EXISTS"
    " FOR (n:VerdictCountMonth) REQUIRE (n.month, n.code) IS UNIQUE",
    "CREATE CONSTRAINT verdict_count_lock IF NOT EXISTS FOR (n:VerdictCountLock) REQUIRE n.id IS UNIQUE",
    # alerts (graph.alerts): by id (the clock's are deterministic), in order of seq; the announced verdicts
    # of each subject; the one counter; the leases of the background work; notices by the end of their window
    "CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (a:Alert) REQUIRE a.id IS UNIQUE",
    "CREATE INDEX alert_seq IF NOT EXISTS FOR (a:Alert) ON (a.seq)",
    "CREATE CONSTRAINT alert_state_subject IF NOT EXISTS FOR (s:AlertState) REQUIRE s.subjectId IS UNIQUE",
    "CREATE CONSTRAINT alert_counter_id IF NOT EXISTS FOR (c:AlertCounter) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT lease_name IF NOT EXISTS FOR (l:Lease) REQUIRE l.name IS UNIQUE",
    "CREATE INDEX notice_due_at IF NOT EXISTS FOR (n:TakedownNotice) ON (n.dueAt)",
    # access: API keys (looked up by hash) and the tamper-evident log (one head, unique sequence numbers)
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE",
    # webhooks and their deliveries (graph.webhooks), one per (alert, webhook) pair; the fan-out's lease
    "CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE",
    "CREATE CONSTRAINT delivery_id IF NOT EXISTS FOR (d:Delivery) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT delivery_pair IF NOT EXISTS FOR (d:Delivery) REQUIRE d.pair IS UNIQUE",
    "CREATE INDEX delivery_next_attempt IF NOT EXISTS FOR (d:Delivery) ON (d.nextAttemptAt)",
    "CREATE INDEX delivery_webhook IF NOT EXISTS FOR (d:Delivery) ON (d.webhookId)",
    "CREATE CONSTRAINT log_head_id IF NOT EXISTS FOR (h:LogHead) REQUIRE h.id IS UNIQUE",
    "CREATE CONSTRAINT log_entry_seq IF NOT EXISTS FOR (e:LogEntry) REQUIRE e.seq IS UNIQUE",
    # case files: the entries that recorded a node (by target), import batches, a case file's own entry
    "CREATE INDEX log_entry_target IF NOT EXISTS FOR (e:LogEntry) ON (e.target)",
    "CREATE INDEX log_entry_operation IF NOT EXISTS FOR (e:LogEntry) ON (e.operation)",
    "CREATE INDEX log_entry_document IF NOT EXISTS FOR (e:LogEntry) ON (e.documentHash)",
    # a person's uses in order of publication (graph.usage): the USED_IN relationships graph.writes keeps
    "CREATE INDEX used_in_person IF NOT EXISTS"
    " FOR ()-[u:USED_IN]-() ON (u.personId, u.publishedAt, u.assetId)",
    # face templates (graph.faces): not entities (no query reaches them by id), one per person and capture,
    # searched by Neo4j's own vector index (128 floats of dlib's ResNet model, Euclidean distance)
    "CREATE CONSTRAINT face_template_id IF NOT EXISTS FOR (t:FaceTemplate) REQUIRE t.id IS UNIQUE",
    "CREATE INDEX face_template_person IF NOT EXISTS FOR (t:FaceTemplate) ON (t.personId)",
    "CREATE VECTOR INDEX face_template_vectors IF NOT EXISTS FOR (t:FaceTemplate) ON t.vector"
    " OPTIONS {indexConfig: {`vector.dimensions`: 128, `vector.similarity_function`: 'euclidean'}}",
)


async def migrate(graph: Graph) -> None:
    """Bring the schema up to date; safe to run at every start."""
    async with graph.driver.session(database=graph.database) as session:
        for statement in STATEMENTS:
            await (await session.run(statement)).consume()
        await (await session.run("CALL db.awaitIndexes(300)")).consume()
    logger.debug("constraints and indexes in place (%d statements)", len(STATEMENTS))
    await _add_wide_bands(graph, "phash-wide-bands", _WITHOUT_WIDE_BANDS)
    await _add_wide_bands(graph, "phash-wide-bands-sightings-captures", _SIGHTINGS_WITHOUT_WIDE_BANDS)
    # verdicts stored before the audit's counts existed get them (graph.verdict_counts)
    await ensure_verdict_counts(graph)
    await _add_use_index(graph)


# Data migrations: nodes written before a property existed get it, in batches (each one transaction).
_WITHOUT_WIDE_BANDS: LiteralString = """
    MATCH (a:Asset) WHERE a.phash IS NOT NULL AND a.phashW0 IS NULL
    RETURN a.id AS id, a.phash AS phash LIMIT $limit
"""
# sightings and captures recorded before they were written with bands (graph.writes.typed) or before
# new assets and captures looked sightings up by them (graph.sighting_links)
_SIGHTINGS_WITHOUT_WIDE_BANDS: LiteralString = """
    MATCH (n) WHERE (n:Sighting OR n:Capture) AND n.phash IS NOT NULL AND n.phashW0 IS NULL
    RETURN n.id AS id, n.phash AS phash LIMIT $limit
"""
_SET_BANDS: LiteralString = """
    UNWIND $rows AS row
    MATCH (a:Entity {id: row.id}) SET a += row.bands
"""
_DONE: LiteralString = "MATCH (m:DataMigration {name: $name}) RETURN m.name AS name"
_MARK_DONE: LiteralString = "MERGE (m:DataMigration {name: $name}) SET m.doneAt = datetime()"


async def _add_wide_bands(graph: Graph, name: str, without: LiteralString, batch: int = 10_000) -> None:
    """Nodes recorded without the wide phash layout's bands (graph.phash.WIDE) get every band (once:
    every write since sets them, so a marker named `name` saves later starts the scan)."""
    if await graph.query(_DONE, name=name):
        return
    while True:
        missing = await graph.query(without, limit=batch)
        if not missing:
            await graph.write(lambda tx: _consume(tx, _MARK_DONE, name=name))
            return
        rows = [{"id": row["id"], "bands": band_properties(row["phash"])} for row in missing]

        async def work(tx: Any, rows: list[dict[str, Any]] = rows) -> None:
            await _consume(tx, _SET_BANDS, rows=rows)

        await graph.write(work)


async def _consume(tx: Any, cypher: LiteralString, **params: Any) -> None:
    await (await tx.run(cypher, params)).consume()


# Assets recorded before the per-person use index (graph.writes.USES) get their USED_IN relationships,
# in batches of assets by id (read in order from the entity_id index); MERGE, so a batch repeated after an
# interruption adds nothing twice.
_ASSETS_AFTER: LiteralString = """
    MATCH (a:Entity) WHERE a.id > $after AND a:Asset
    WITH a ORDER BY a.id LIMIT $limit
    CALL (a) {
      MATCH (a)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person)
      WITH DISTINCT p
      MERGE (p)-[u:USED_IN {personId: p.id, assetId: a.id}]->(a)
      SET u.publishedAt = a.publishedAt
    }
    RETURN max(a.id) AS last, count(a) AS assets
"""


async def _add_use_index(graph: Graph, batch: int = 10_000) -> None:
    """Build the per-person use index for assets recorded before it existed (once: every asset written
    since keeps it, so a marker saves later starts the scan)."""
    name = "person-use-index"
    if await graph.query(_DONE, name=name):
        return
    after = ""
    while True:

        async def work(tx: Any, after: str = after) -> Any:
            return await (await tx.run(_ASSETS_AFTER, after=after, limit=batch)).single()

        row = await graph.write(work)
        if row is None or row["assets"] == 0:
            break
        after = row["last"]
    await graph.write(lambda tx: _consume(tx, _MARK_DONE, name=name))
