"""Apply a batch of events in one write transaction: resolve references, keep idempotency, write.

The checks that need the graph (does this id exist, is it the right kind, was this id recorded
with other content) run here, inside the same transaction as the writes, so nothing is ever
half-written and a concurrent writer cannot slip between check and write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from likeness.errors import Conflict, InvalidInput, LikenessError, UnknownReference
from likeness.graph.driver import run
from likeness.graph.phash import band_candidates, bands, distance
from likeness.graph.writes import link_sightings, write_events
from likeness.ingest.events import OP_ORDER, Event, differing_fields
from likeness.ingest.fields import parse_instant

SIGHTING_MATCH_DISTANCE = 8

# Events that change an existing node keep their input in a property of that node.
_CHANGE_PROPERTY = {"revokeConsent": "revocation", "withdrawAsset": "withdrawal"}

_LOOKUP: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})
    RETURN n.id AS id, labels(n) AS labels, n.input AS input,
           n.revocation AS revocation, n.withdrawal AS withdrawal
"""

_LOOKUP_REPRESENTATIONS: LiteralString = """
    UNWIND $keys AS k
    MATCH (:Entity {id: k.agencyId})-[r:REPRESENTS {since: k.since}]->(:Entity {id: k.personId})
    RETURN k.key AS key, r.input AS input
"""


@dataclass
class Known:
    labels: frozenset[str]
    input: dict[str, Any] | None
    # event kind -> input, for events that changed this node (revocation, withdrawal)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class BatchOutcome:
    applied: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    rejected: list[tuple[int, LikenessError]] = field(default_factory=list)
    # the accepted events, for whoever must react to them (verdicts)
    accepted: list[Event] = field(default_factory=list)


AfterWrite = Callable[[AsyncManagedTransaction, list[Event]], Awaitable[None]]


async def _load_known(tx: AsyncManagedTransaction, events: Sequence[Event]) -> tuple[dict[str, Known], dict[str, Any]]:
    ids: set[str] = set()
    rep_keys: list[dict[str, Any]] = []
    for event in events:
        ids.update(ref for _, ref, _ in event.references)
        if event.op == "recordRepresentation":
            rep_keys.append({
                "key": event.key, "agencyId": event.input["agencyId"], "personId": event.input["personId"],
                "since": date.fromisoformat(event.input["since"]),
            })
        else:
            ids.add(event.key)
    known: dict[str, Known] = {}
    for row in await run(tx, _LOOKUP, ids=sorted(ids)):
        changes = {
            op: orjson.loads(row[prop]) for op, prop in _CHANGE_PROPERTY.items() if row.get(prop) is not None
        }
        known[row["id"]] = Known(
            labels=frozenset(row["labels"]),
            input=orjson.loads(row["input"]) if row["input"] else None,
            changes=changes,
        )
    representations: dict[str, Any] = {}
    if rep_keys:
        for row in await run(tx, _LOOKUP_REPRESENTATIONS, keys=rep_keys):
            representations[row["key"]] = orjson.loads(row["input"])
    return known, representations


def _check_references(event: Event, known: dict[str, Known]) -> None:
    for field_name, ref, labels in event.references:
        node = known.get(ref)
        if node is None:
            raise UnknownReference(f"{field_name}: no {' or '.join(labels)} with id {ref!r}", field=field_name)
        if not node.labels & set(labels):
            kinds = sorted(node.labels - {"Entity", "Organization"}) or sorted(node.labels - {"Entity"})
            raise UnknownReference(
                f"{field_name}: {ref!r} is a {'/'.join(kinds)}, expected a {' or '.join(labels)}", field=field_name
            )
    _check_against_referenced(event, known)


def _check_against_referenced(event: Event, known: dict[str, Known]) -> None:
    """Rules between an input and the nodes it refers to."""
    data = event.input
    if event.op == "grantConsent":
        for twin_id in data.get("twinIds", []):
            twin = known[twin_id].input or {}
            if twin.get("personId") != data["personId"]:
                raise InvalidInput(
                    "twinIds", twin_id, f"that twin replicates {twin.get('personId')!r}, not {data['personId']!r}"
                )
    elif event.op == "revokeConsent":
        consent = known[data["consentId"]].input or {}
        if parse_instant(data["revokedAt"]) < parse_instant(consent["signedAt"]):
            raise InvalidInput("revokedAt", data["revokedAt"], f"is before the consent was signed ({consent['signedAt']})")
    elif event.op == "withdrawAsset":
        asset = known[data["assetId"]].input or {}
        if parse_instant(data["withdrawnAt"]) < parse_instant(asset["publishedAt"]):
            raise InvalidInput("withdrawnAt", data["withdrawnAt"], f"is before the asset was published ({asset['publishedAt']})")
    elif event.op == "buildTwin" and "supersedesId" in data:
        old = known[data["supersedesId"]].input or {}
        if old.get("personId") != data["personId"]:
            raise InvalidInput("supersedesId", data["supersedesId"], "a twin supersedes only a twin of the same person")


def _previous(event: Event, known: dict[str, Known], representations: dict[str, Any]) -> dict[str, Any] | None:
    """What the graph already holds under this event's key, or None."""
    if event.op == "recordRepresentation":
        return representations.get(event.key)
    node = known.get(event.key)
    if node is None:
        return None
    if event.op in _CHANGE_PROPERTY:
        return node.changes.get(event.op)
    if node.input is None or not node.labels & set(event.labels):
        raise Conflict(event.key, ["id (already used by another kind of node)"])
    return node.input


def _remember(event: Event, known: dict[str, Known], representations: dict[str, Any]) -> None:
    if event.op == "recordRepresentation":
        representations[event.key] = event.input
    elif event.op in _CHANGE_PROPERTY:
        known[event.key].changes[event.op] = event.input
    else:
        known[event.key] = Known(labels=frozenset(("Entity", *event.labels)), input=event.input)


async def apply_events(
    tx: AsyncManagedTransaction,
    events: Sequence[Event],
    *,
    after_write: AfterWrite | None = None,
    first_ordinal: int = 0,
) -> BatchOutcome:
    """Check and write a batch in file order semantics; rejected events leave no trace."""
    known, representations = await _load_known(tx, events)
    outcome = BatchOutcome()
    accepted: dict[str, list[tuple[int, Event]]] = defaultdict(list)
    for index, event in enumerate(events):
        try:
            _check_references(event, known)
            previous = _previous(event, known, representations)
            if previous is not None:
                conflicting = differing_fields(previous, event.input)
                if conflicting:
                    raise Conflict(event.key, conflicting)
                outcome.unchanged.append(index)
                continue
        except LikenessError as error:
            outcome.rejected.append((index, error))
            continue
        _remember(event, known, representations)
        accepted[event.op].append((first_ordinal + index, event))
        outcome.applied.append(index)
        outcome.accepted.append(event)
    for op in OP_ORDER:
        if accepted.get(op):
            await write_events(tx, op, accepted[op])
    await _match_sightings(tx, accepted.get("reportSighting", []), accepted.get("publishAsset", []))
    if after_write is not None and outcome.accepted:
        await after_write(tx, outcome.accepted)
    return outcome


_ASSETS_BY_HASH: LiteralString = """
    UNWIND $probes AS probe
    CALL (probe) {
      MATCH (a:Asset {sha256: probe.sha256}) RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB0 IN probe.b0 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB1 IN probe.b1 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB2 IN probe.b2 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashB3 IN probe.b3 RETURN a
    }
    RETURN probe.id AS probeId, a.id AS assetId, a.sha256 AS sha256, a.phash AS phash
"""

_SIGHTINGS_FOR_ASSETS: LiteralString = """
    MATCH (s:Sighting)
    RETURN s.id AS id, s.sha256 AS sha256, s.phash AS phash
"""


def _probe(item_id: str, data: dict[str, Any]) -> dict[str, Any]:
    probe: dict[str, Any] = {"id": item_id, "sha256": data.get("sha256")}
    candidates = band_candidates(data["phash"], SIGHTING_MATCH_DISTANCE) if data.get("phash") else [[]] * 4
    for index, values in enumerate(candidates):
        probe[f"b{index}"] = values
    return probe


def _match_distance(left: dict[str, Any], right: dict[str, Any]) -> int | None:
    if left.get("sha256") and left.get("sha256") == right.get("sha256"):
        return 0
    if left.get("phash") and right.get("phash"):
        found = distance(left["phash"], right["phash"])
        return found if found <= SIGHTING_MATCH_DISTANCE else None
    return None


def _near_sightings(
    sightings: list[dict[str, Any]], assets: list[tuple[int, Event]]
) -> list[tuple[str, str, int]]:
    """Pairs (sighting, asset, distance) of new assets and known sightings, found through band indexes
    built in memory (sightings are few next to assets), so a batch costs lookups, not a cross product."""
    by_sha: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_band: list[dict[int, list[dict[str, Any]]]] = [defaultdict(list) for _ in range(4)]
    for sighting in sightings:
        if sighting.get("sha256"):
            by_sha[sighting["sha256"]].append(sighting)
        if sighting.get("phash"):
            for index, band in enumerate(bands(sighting["phash"])):
                by_band[index][band].append(sighting)
    found: list[tuple[str, str, int]] = []
    for _, event in assets:
        candidates = {s["id"]: s for s in by_sha.get(event.input["sha256"], [])}
        if event.input.get("phash") and by_band[0]:
            for index, values in enumerate(band_candidates(event.input["phash"], SIGHTING_MATCH_DISTANCE)):
                for value in values:
                    for sighting in by_band[index].get(value, ()):
                        candidates[sighting["id"]] = sighting
        for sighting in candidates.values():
            matched = _match_distance(sighting, event.input)
            if matched is not None:
                found.append((sighting["id"], event.key, matched))
    return found


async def _match_sightings(
    tx: AsyncManagedTransaction, sightings: list[tuple[int, Event]], assets: list[tuple[int, Event]]
) -> None:
    """Link sightings to the assets they show: the same sha256, or a phash within distance 8."""
    pairs: dict[tuple[str, str], int] = {}
    if sightings:
        probes = [_probe(event.key, event.input) for _, event in sightings]
        by_id = {event.key: event.input for _, event in sightings}
        for row in await run(tx, _ASSETS_BY_HASH, probes=probes):
            found = _match_distance(by_id[row["probeId"]], row)
            if found is not None:
                pairs[(row["probeId"], row["assetId"])] = found
    if assets:
        for sighting_id, asset_id, found in _near_sightings(await run(tx, _SIGHTINGS_FOR_ASSETS), assets):
            pairs[(sighting_id, asset_id)] = found
    await link_sightings(tx, [
        {"sightingId": sighting_id, "assetId": asset_id, "distance": found}
        for (sighting_id, asset_id), found in sorted(pairs.items())
    ])
