"""Sightings meet what they show, in the writing transaction: a new sighting the assets and captures
recorded so far, a new asset or capture the sightings recorded so far — the same sha256, or a phash
within SIGHTING_MATCH_DISTANCE.

Both directions read candidates only, by index (graph.sighting_links: sha256 and the wide phash bands),
so a write's cost does not grow with the number of sightings; the exact distance is checked here. An
import keeps the committed sightings in memory across its batches instead (KnownSightings): its batches
are large, and one read of every sighting serves them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction
from prometheus_client import Counter

from likeness.events.contract import Event
from likeness.graph.phash import WIDE, distance
from likeness.graph.sighting_links import candidates_by_hash, every_sighting, sighting_count
from likeness.graph.writes import link_resemblances, link_sightings

SIGHTING_MATCH_DISTANCE = 8

SIGHTINGS_READ = Counter(
    "likeness_sightings_read_for_matching",
    "Sightings read from the graph to match new assets and captures against: the candidates sharing a "
    "sha256 or phash band with them, or, for an import whose table is stale, every sighting",
)


def _match_distance(left: dict[str, Any], right: dict[str, Any]) -> int | None:
    if left.get("sha256") and left.get("sha256") == right.get("sha256"):
        return 0
    if left.get("phash") and right.get("phash"):
        found = distance(left["phash"], right["phash"])
        return found if found <= SIGHTING_MATCH_DISTANCE else None
    return None


class SightingIndex:
    """Sightings by sha256 and by wide phash band (graph.phash.WIDE), in memory: new assets (and
    captures) find the sightings that show them through set intersections (sightings are few next to
    assets), never a cross product."""

    def __init__(self, sightings: Iterable[dict[str, Any]] = ()) -> None:
        self.ids: set[str] = set()
        self._by_sha: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._by_band: list[dict[int, list[dict[str, Any]]]] = [defaultdict(list) for _ in WIDE.widths]
        for sighting in sightings:
            self.add(sighting)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, sighting: dict[str, Any]) -> None:
        if sighting["id"] in self.ids:
            return
        self.ids.add(sighting["id"])
        if sighting.get("sha256"):
            self._by_sha[sighting["sha256"]].append(sighting)
        if sighting.get("phash"):
            for index, band in enumerate(WIDE.bands(sighting["phash"])):
                self._by_band[index][band].append(sighting)

    def near(self, asset: dict[str, Any]) -> dict[str, int]:
        """The sightings that show this asset or capture (same sha256, or phash within distance 8):
        id -> distance."""
        if not self.ids:
            return {}
        candidates = {s["id"]: s for s in self._by_sha.get(asset["sha256"], ())}
        if asset.get("phash"):
            for by_value, values in zip(
                self._by_band, WIDE.candidates(asset["phash"], SIGHTING_MATCH_DISTANCE), strict=True
            ):
                for value in by_value.keys() & values:
                    for sighting in by_value[value]:
                        candidates[sighting["id"]] = sighting
        found = {}
        for sighting_id, sighting in candidates.items():
            matched = _match_distance(sighting, asset)
            if matched is not None:
                found[sighting_id] = matched
        return found


@dataclass
class KnownSightings:
    """The committed sightings, kept across the batches of one import so that no batch re-reads them
    all. Trusted while their number equals the graph's: sightings are never deleted and their ids are
    unique, so a count that differs means another writer added some, and the table is read again."""

    committed: SightingIndex = field(default_factory=SightingIndex)
    pending: list[dict[str, Any]] = field(default_factory=list)

    def commit(self) -> None:
        """The batch's transaction committed: its sightings are now the graph's."""
        for sighting in self.pending:
            self.committed.add(sighting)
        self.pending = []


def _row(event: Event) -> dict[str, Any]:
    return {"id": event.key, "sha256": event.input.get("sha256"), "phash": event.input.get("phash")}


async def _committed_sightings(
    tx: AsyncManagedTransaction, new: list[dict[str, Any]], known: KnownSightings
) -> SightingIndex:
    """Every sighting committed before this transaction (its own new ones excluded)."""
    if await sighting_count(tx) == len(known.committed) + len(new):
        return known.committed
    rows = await every_sighting(tx)
    SIGHTINGS_READ.inc(len(rows))
    new_ids = {sighting["id"] for sighting in new}
    known.committed = SightingIndex(
        {"id": sid, "sha256": sha, "phash": phash} for sid, sha, phash in rows if sid not in new_ids
    )
    return known.committed


async def _near(
    tx: AsyncManagedTransaction, label: str, items: list[dict[str, Any]]
) -> dict[tuple[str, str], int]:
    """Each item ({id, sha256, phash}) against the nodes of `label` by index: (item id, node id) ->
    distance."""
    pairs: dict[tuple[str, str], int] = {}
    by_id = {item["id"]: item for item in items}
    for item_id, found in (await candidates_by_hash(tx, label, items, SIGHTING_MATCH_DISTANCE)).items():
        if label == "Sighting":
            SIGHTINGS_READ.inc(len(found))
        for node_id, sha256, phash in found:
            matched = _match_distance(by_id[item_id], {"sha256": sha256, "phash": phash})
            if matched is not None:
                pairs[(item_id, node_id)] = matched
    return pairs


async def _sightings_showing(
    tx: AsyncManagedTransaction, items: list[dict[str, Any]], table: SightingIndex | None
) -> dict[tuple[str, str], int]:
    """(sighting id, item id) -> distance for new assets or captures: from an import's table of the
    committed sightings when there is one, else by index."""
    if table is not None:
        return {
            (sighting_id, item["id"]): found
            for item in items
            for sighting_id, found in table.near(item).items()
        }
    pairs = await _near(tx, "Sighting", items)
    return {(sighting_id, item_id): found for (item_id, sighting_id), found in pairs.items()}


def _pair_rows(pairs: dict[tuple[str, str], int], other: str) -> list[dict[str, Any]]:
    return [
        {"sightingId": sighting_id, other: node_id, "distance": found}
        for (sighting_id, node_id), found in sorted(pairs.items())
    ]


async def match_sightings(
    tx: AsyncManagedTransaction, events: Sequence[Event], known: KnownSightings | None = None
) -> None:
    """Link the batch's new sightings to the assets they show (MATCHES) and the captures they resemble
    (RESEMBLES), and its new assets and captures to the sightings that show them. An import passes its
    table of committed sightings (`known`) and calls its `commit()` once the transaction has committed."""
    new = [_row(event) for event in events if event.op == "reportSighting"]
    assets = [_row(event) for event in events if event.op == "publishAsset"]
    captures = [_row(event) for event in events if event.op == "recordCapture"]
    if known is not None:
        known.pending = new
    matches = await _near(tx, "Asset", new)
    resemblances = await _near(tx, "Capture", new)
    if assets or captures:
        # this batch's own sightings were matched above; the import's table holds the committed ones
        table = await _committed_sightings(tx, new, known) if known is not None else None
        matches.update(await _sightings_showing(tx, assets, table))
        resemblances.update(await _sightings_showing(tx, captures, table))
    await link_sightings(tx, _pair_rows(matches, "assetId"))
    await link_resemblances(tx, _pair_rows(resemblances, "captureId"))
