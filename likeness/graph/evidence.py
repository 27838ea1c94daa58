"""What a case file shows beyond the provenance answer: the verdicts held on the subjects around an
asset, the Content Credentials attached to an asset or a sighting, and the log entries that can have
recorded the facts shown (the linking itself is the resolvers' work: resolvers.evidence)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from likeness.graph.audit import held_verdicts
from likeness.graph.driver import Graph
from likeness.graph.reads import plain
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Verdict

# the verdicts holding at $asOf on each subject (twins, for a case on the asset rendering them)
_HELD_VERDICTS = scoped("""
    UNWIND $ids AS id
    MATCH (held:Verdict {subjectId: id})
    WHERE held.start <= $asOf AND held.end > $asOf AND VISIBLE(held:Verdict)
    RETURN id, collect(held {.code, .subjectId, .liable, .consentIds, .failedClauses, .evidence,
                             .explanation, .lawKeys, .wouldBreakKeys, .vkey}) AS verdicts
""")

# (x)-[:HAS_MANIFEST]->(m:Manifest), read generically: whatever properties the manifest carries, and
# its ingredients the caller may see (with the relationship's own properties, e.g. the sha256)
_MANIFESTS = scoped("""
    UNWIND $ids AS id
    MATCH (x:Entity {id: id})-[:HAS_MANIFEST]->(m:Manifest)
    WHERE (x:Asset AND VISIBLE(x:Asset)) OR (x:Sighting AND VISIBLE(x:Sighting))
    RETURN id, properties(m) AS manifest, elementId(m) AS key,
      COLLECT { MATCH (m)-[r:INGREDIENT]->(i:Asset) WHERE VISIBLE(i:Asset)
                RETURN {id: i.id, labels: labels(i), properties: properties(r)} } AS assetIngredients,
      COLLECT { MATCH (m)-[r:INGREDIENT]->(i:Capture) WHERE VISIBLE(i:Capture)
                RETURN {id: i.id, labels: labels(i), properties: properties(r)} } AS captureIngredients
    ORDER BY id, key
""")

# what each node's facts were recorded with: its input, and its revocation or withdrawal when recorded
# later (each with the ordinal of its event: 0 for a single mutation, the line number for an import)
_FACTS: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, n.input AS input, n.ord AS ord, toString(n.recordedAt) AS recordedAt,
           n.revocation AS revocation, n.revocationOrd AS revocationOrd,
           toString(n.revocationRecordedAt) AS revocationRecordedAt,
           n.withdrawal AS withdrawal, n.withdrawalOrd AS withdrawalOrd,
           toString(n.withdrawalRecordedAt) AS withdrawalRecordedAt
"""

_ENTRIES_FOR_TARGETS: LiteralString = """
    UNWIND $targets AS target
    MATCH (e:LogEntry {target: target})
    RETURN properties(e) AS entry
    ORDER BY e.seq
"""

_IMPORT_ENTRIES: LiteralString = """
    MATCH (e:LogEntry {operation: 'import'})
    RETURN properties(e) AS entry
    ORDER BY e.seq
"""

_ENTRIES_BY_DOCUMENT: LiteralString = """
    MATCH (e:LogEntry {documentHash: $documentHash})
    WHERE e.operation = $operation
    RETURN properties(e) AS entry
    ORDER BY e.seq
"""


async def held_verdicts_of(
    graph: Graph, ids: list[str], *, as_of: datetime, scope: Scope | None
) -> dict[str, tuple[Verdict, ...]]:
    """For each subject id, the stored verdicts holding on it as of `as_of` that the scope may see."""
    if not ids:
        return {}
    cypher, extra = _HELD_VERDICTS.for_scope(scope)
    rows = await graph.query(cypher, ids=ids, asOf=as_of, **extra)
    return {row["id"]: held_verdicts(row["verdicts"]) for row in rows}


async def manifests_of(
    graph: Graph, ids: list[str], *, scope: Scope | None
) -> dict[str, list[dict[str, Any]]]:
    """For each asset or sighting id the scope may see, its manifests: {'properties', 'ingredients'}."""
    if not ids:
        return {}
    cypher, extra = _MANIFESTS.for_scope(scope)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in await graph.query(cypher, ids=ids, **extra):
        ingredients = [
            {
                "id": item["id"],
                "labels": item["labels"],
                "properties": {key: plain(value) for key, value in item["properties"].items()},
            }
            for item in [*row["assetIngredients"], *row["captureIngredients"]]
        ]
        properties = {key: plain(value) for key, value in row["manifest"].items()}
        found.setdefault(row["id"], []).append(
            {"properties": properties, "ingredients": sorted(ingredients, key=lambda item: item["id"])}
        )
    return found


async def recorded_facts(graph: Graph, ids: list[str]) -> list[dict[str, Any]]:
    """The recorded inputs of these nodes (the caller passes only ids it may see)."""
    return await graph.query(_FACTS, ids=ids) if ids else []


async def entries_for_targets(graph: Graph, targets: list[str]) -> list[dict[str, Any]]:
    """The log entries naming one of these targets, in sequence order."""
    if not targets:
        return []
    return [row["entry"] for row in await graph.query(_ENTRIES_FOR_TARGETS, targets=targets)]


async def import_entries(graph: Graph) -> list[dict[str, Any]]:
    """Every import batch's log entry, in sequence order."""
    return [row["entry"] for row in await graph.query(_IMPORT_ENTRIES)]


async def entries_by_document(graph: Graph, *, operation: str, document_hash: str) -> list[dict[str, Any]]:
    """The log entries of one operation holding this document hash, in sequence order."""
    rows = await graph.query(_ENTRIES_BY_DOCUMENT, operation=operation, documentHash=document_hash)
    return [row["entry"] for row in rows]
