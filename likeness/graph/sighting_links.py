"""The Cypher that finds what a sighting may show: assets, captures and sightings by sha256 or by the
wide phash bands (graph.phash.WIDE), each an index seek, in both directions.

A new sighting finds the assets it may show and the captures it may resemble; a new asset or capture
finds the sightings that may show it. Every statement answers candidates only, as (id, sha256, phash):
the exact distance is checked above graph (likeness.matching). `every_sighting` is the import's one full
read, made once per import (likeness.matching.sightings.KnownSightings).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import run
from likeness.graph.phash import WIDE


def _by_hash(label: LiteralString) -> LiteralString:
    """Nodes of one label by sha256 or by any of the wide bands: the union of four index seeks. The
    label and property names come from this module, never from input; the probe values are parameters."""
    seeks = "\n      UNION\n".join(
        [f"      MATCH (n:{label} {{sha256: probe.sha256}}) RETURN n"]
        + [
            f"      MATCH (n:{label}) WHERE n.{name} IN probe.b{index} RETURN n"
            for index, name in enumerate(WIDE.properties)
        ]
    )
    return (  # type: ignore[return-value]
        "UNWIND $probes AS probe\n    CALL (probe) {\n"
        + seeks
        + "\n    }\n    RETURN probe.id AS probeId, collect([n.id, n.sha256, n.phash]) AS found"
    )


_BY_HASH: dict[str, LiteralString] = {
    "Asset": _by_hash("Asset"),
    "Capture": _by_hash("Capture"),
    "Sighting": _by_hash("Sighting"),
}

_SIGHTING_COUNT: LiteralString = "MATCH (s:Sighting) RETURN count(s) AS count"
_ALL_SIGHTINGS: LiteralString = "MATCH (s:Sighting) RETURN collect([s.id, s.sha256, s.phash]) AS sightings"

Candidate = tuple[str, str | None, str | None]  # id, sha256, phash


def _probe(item: dict[str, Any], max_distance: int) -> dict[str, Any]:
    probe: dict[str, Any] = {"id": item["id"], "sha256": item.get("sha256")}
    if item.get("phash"):
        candidates = WIDE.candidates(item["phash"], max_distance)
    else:
        candidates = [[] for _ in WIDE.widths]
    for index, values in enumerate(candidates):
        probe[f"b{index}"] = values
    return probe


async def candidates_by_hash(
    tx: AsyncManagedTransaction, label: str, items: Iterable[dict[str, Any]], max_distance: int
) -> dict[str, list[Candidate]]:
    """For each item ({id, sha256, phash}): the nodes of `label` ('Asset', 'Capture' or 'Sighting') with
    its sha256 or sharing a wide band within reach of max_distance (≤ 8) — a superset of those within
    the distance, never all of them."""
    probes = [_probe(item, max_distance) for item in items]
    if not probes:
        return {}
    rows = await run(tx, _BY_HASH[label], probes=probes)
    return {row["probeId"]: [(node_id, sha, phash) for node_id, sha, phash in row["found"]] for row in rows}


async def sighting_count(tx: AsyncManagedTransaction) -> int:
    return (await run(tx, _SIGHTING_COUNT))[0]["count"]


async def every_sighting(tx: AsyncManagedTransaction) -> list[Candidate]:
    """Every sighting as (id, sha256, phash): an import's table, read once (not for a single write)."""
    rows = (await run(tx, _ALL_SIGHTINGS))[0]["sightings"]
    return [(sighting_id, sha, phash) for sighting_id, sha, phash in rows]
