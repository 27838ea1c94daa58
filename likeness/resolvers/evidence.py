"""The evidence around an answer, for case files: verdicts held on the subjects near an asset, Content
Credentials, and the tamper-evident log entries that recorded the facts shown; and the log entry that
records a case file's own generation.

How a fact is tied to its log entry: a single mutation is logged under its own name with the fact's id
as target and the SHA-256 of its canonical input as `variablesHash`, so the entry is found by id and
proved by recomputing that hash from the input the node keeps. An imported fact is logged in its
batch's `import` entry, whose target names the file and its line range ('world.jsonl:1-103'); the node
keeps its ordinal (`ord`: the batch's first line number plus its place among the batch's events, so its
line number when no line before it in the batch was blank or refused), so the entry is the import batch
whose range holds that ordinal (when
several imports' ranges hold it, the one logged closest in time to the node's `recordedAt`). Only its
batch's entry can prove an imported fact, not the fact alone: the case file says which way each was tied.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from likeness.access import log
from likeness.graph import evidence as stored
from likeness.graph.driver import Graph
from likeness.graph.projection import instant
from likeness.resolvers.context import Context
from likeness.rules.facts import Verdict

CASE_OPERATION = "case"
_BATCH = re.compile(r"^(?P<source>.*):(?P<first>\d+)-(?P<last>\d+)$")
# which recorded facts a node may carry, with the operation that records each (None: the node's own)
_FACT_KINDS: tuple[tuple[str, str, str | None], ...] = (
    ("recorded", "", None),
    ("revocation", "revocation", "revokeConsent"),
    ("withdrawal", "withdrawal", "withdrawAsset"),
)
_ORDINALS = ("ord", "revocationOrd", "withdrawalOrd")


@dataclass(frozen=True)
class LoggedFact:
    """One recorded fact (a node's recording, a revocation, a withdrawal) and the log entry holding it."""

    node_id: str
    fact: str  # recorded | revocation | withdrawal
    entry: dict[str, Any] | None
    # how the entry was tied to the fact (a sentence), or why none was found
    link: str


@dataclass
class FactLog:
    """The facts of a case, each with its entry, and the entries in sequence order."""

    facts: list[LoggedFact] = field(default_factory=list)

    @property
    def entries(self) -> list[dict[str, Any]]:
        by_seq = {int(fact.entry["seq"]): fact.entry for fact in self.facts if fact.entry is not None}
        return [by_seq[seq] for seq in sorted(by_seq)]

    def facts_of(self, seq: int) -> list[LoggedFact]:
        return [fact for fact in self.facts if fact.entry is not None and int(fact.entry["seq"]) == seq]


async def held_verdicts(context: Context, ids: list[str], as_of: datetime) -> dict[str, tuple[Verdict, ...]]:
    """The stored verdicts holding on each subject (twins, assets) as of `as_of` that the caller may see."""
    return await stored.held_verdicts_of(context.graph, sorted(set(ids)), as_of=as_of, scope=context.scope)


async def manifests(context: Context, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The Content Credentials manifests of these assets or sightings, as far as the caller may see them."""
    return await stored.manifests_of(context.graph, sorted(set(ids)), scope=context.scope)


def _when(text: str | None) -> datetime | None:
    return instant(text) if text else None


def _closest_batch(entries: list[dict[str, Any]], ordinal: int, recorded_at: datetime | None) -> Any:
    holding = []
    for entry in entries:
        batch = _BATCH.match(str(entry.get("target") or ""))
        if batch and int(batch["first"]) <= ordinal <= int(batch["last"]):
            holding.append(entry)
    if not holding or recorded_at is None:
        return holding[0] if holding else None
    return min(
        holding, key=lambda entry: abs((datetime.fromisoformat(entry["at"]) - recorded_at).total_seconds())
    )


# operations that record something other than a node itself
_NOT_A_RECORDING = {"import", CASE_OPERATION, "revokeConsent", "withdrawAsset"}


def _records(entry: dict[str, Any], node_id: str, operation: str | None, variables_hash: str) -> bool:
    """Whether a single mutation's entry recorded this fact: its id, its operation, its input's hash."""
    if entry.get("target") != node_id or entry.get("variablesHash") != variables_hash:
        return False
    if operation is None:
        return entry.get("operation") not in _NOT_A_RECORDING
    return entry.get("operation") == operation


def _tie(
    row: dict[str, Any],
    fact: str,
    prefix: str,
    operation: str | None,
    direct: list[dict[str, Any]],
    imports: list[dict[str, Any]],
) -> LoggedFact:
    node_id = row["id"]
    variables_hash = log.sha256_of(orjson.loads(row[prefix or "input"]))
    for entry in direct:
        if _records(entry, node_id, operation, variables_hash):
            return LoggedFact(
                node_id, fact, entry, "by id: its variablesHash is the SHA-256 of the input kept on the node"
            )
    ordinal = row.get(f"{prefix}Ord" if prefix else "ord")
    if isinstance(ordinal, int) and ordinal >= 1:
        recorded_at = _when(row.get(f"{prefix}RecordedAt" if prefix else "recordedAt"))
        entry = _closest_batch(imports, ordinal, recorded_at)
        if entry is not None:
            return LoggedFact(
                node_id, fact, entry, f"by import batch: its ordinal {ordinal} lies in the line range logged"
            )
    return LoggedFact(node_id, fact, None, "no log entry found for this fact")


async def logged_facts(context: Context, ids: list[str]) -> FactLog:
    """The log entries that recorded the facts of these nodes (only those the caller may see)."""
    visible = sorted(await context.visible_ids(ids))
    rows = await stored.recorded_facts(context.graph, visible)
    direct = await stored.entries_for_targets(context.graph, visible)
    imported = any((row.get(name) or 0) >= 1 for row in rows for name in _ORDINALS)
    imports = await stored.import_entries(context.graph) if imported else []
    found = FactLog()
    for row in sorted(rows, key=lambda row: row["id"]):
        for fact, prefix, operation in _FACT_KINDS:
            if row.get(prefix or "input"):
                found.facts.append(_tie(row, fact, prefix, operation, direct, imports))
    return found


async def record_case(context: Context, *, subject_id: str, as_of: datetime, document: str) -> dict[str, Any]:
    """Append the log entry of a case file's generation: its `documentHash` is the SHA-256 of the file's
    bytes (the document's UTF-8). Answers the entry as stored."""
    seq = await log.append_now(
        context.graph,
        principal=context.principal.name,
        operation=CASE_OPERATION,
        target=subject_id,
        variables={"subject": subject_id, "asOf": as_of.isoformat()},
        document=document,
    )
    entries = await stored.entries_by_document(
        context.graph, operation=CASE_OPERATION, document_hash=hashlib.sha256(document.encode()).hexdigest()
    )
    return next(entry for entry in entries if entry["seq"] == seq)


async def case_entries(graph: Graph, sha256: str) -> list[dict[str, Any]]:
    """The log entries recording the generation of a case file with this SHA-256, in sequence order."""
    return await stored.entries_by_document(graph, operation=CASE_OPERATION, document_hash=sha256)
