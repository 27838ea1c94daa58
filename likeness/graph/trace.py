"""What a found file may be: the assets and captures with its sha256, or a phash within a distance of any
of its phashes (one per sampled frame of a video), by the same band indexes as near-duplicate search
(graph.phash, graph.similarity).

Candidates are read as (kind, id, sha256, phash) only, in one read transaction, the exact distances
checked here; whoever asks then reads the matches through the caller's visibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.errors import InvalidInput
from likeness.graph.driver import Graph, run
from likeness.graph.phash import LAYOUTS, Layout, distance, layout_for

Kind = Literal["ASSET", "CAPTURE"]
# band values sent in one trace at most: a two-minute clip's 120 distinct frames within 8 send ~84,000
MAX_PROBE_VALUES = 250_000


def _seeks(label: LiteralString, layout: Layout) -> LiteralString:
    seeks = "\n      UNION\n".join(
        f"      MATCH (x:{label}) WHERE x.{name} IN $b{index} RETURN x"
        for index, name in enumerate(layout.properties)
    )
    return (  # type: ignore[return-value]
        "CALL () {\n" + seeks + "\n    }\n    RETURN x.id AS id, x.sha256 AS sha256, x.phash AS phash"
    )


_BY_PHASH: dict[tuple[str, Layout], LiteralString] = {
    (label, layout): _seeks(label, layout) for label in ("Asset", "Capture") for layout in LAYOUTS
}
_BY_SHA256: dict[str, LiteralString] = {
    "Asset": "MATCH (x:Asset {sha256: $sha256}) RETURN x.id AS id, x.sha256 AS sha256, x.phash AS phash",
    "Capture": "MATCH (x:Capture {sha256: $sha256}) RETURN x.id AS id, x.sha256 AS sha256, x.phash AS phash",
}
_KINDS: tuple[tuple[str, Kind], ...] = (("Asset", "ASSET"), ("Capture", "CAPTURE"))


def band_statement(label: Literal["Asset", "Capture"], layout: Layout) -> LiteralString:
    """The statement reading a label's candidates by the bands of `layout` (parameters: `probes`'s), one
    row per distinct node: what a trace runs, for whoever counts its candidates (bench.growth)."""
    return _BY_PHASH[(label, layout)]


@dataclass(frozen=True)
class Candidate:
    """An asset or capture that a traced file matches: exactly (same sha256) or within the distance."""

    kind: Kind
    id: str
    exact: bool
    distance: int  # the smallest distance from any of the traced phashes; 0 for an exact match


def probes(phashes: list[str], max_distance: int) -> tuple[Layout, dict[str, list[int]]]:
    """The layout for this distance and, per band, the values any of these phashes' matches must hold on
    some band. Refused naming maxDistance when that is more than MAX_PROBE_VALUES values."""
    layout = layout_for(max_distance)
    bands: list[set[int]] = [set() for _ in layout.widths]
    for phash in phashes:
        for values, found in zip(bands, layout.candidates(phash, max_distance), strict=True):
            values.update(found)
    total = sum(len(values) for values in bands)
    if total > MAX_PROBE_VALUES:
        raise InvalidInput(
            "maxDistance",
            max_distance,
            f"{len(phashes)} distinct phashes within {max_distance} need {total:,} index probes, more than "
            f"{MAX_PROBE_VALUES:,}; trace a video within 8 or fewer bits",
        )
    return layout, {f"b{index}": sorted(values) for index, values in enumerate(bands)}


async def trace_candidates(
    graph: Graph, *, sha256: str | None, phashes: list[str], max_distance: int
) -> list[Candidate]:
    """Every asset and capture with this sha256 or a phash within max_distance of one of `phashes`, best
    first: exact matches, then by distance, assets before captures, then by id. Not filtered by any
    caller's visibility: the caller reads the matches through it."""
    phashes = sorted(set(phashes))
    layout, probe = probes(phashes, max_distance) if phashes else (None, {})

    async def work(tx: AsyncManagedTransaction) -> list[Candidate]:
        found: dict[tuple[Kind, str], Candidate] = {}
        for label, kind in _KINDS:
            rows = []
            if sha256 is not None:
                graph.round_trips += 1
                rows.extend(await run(tx, _BY_SHA256[label], sha256=sha256))
            if layout is not None:
                graph.round_trips += 1
                rows.extend(await run(tx, _BY_PHASH[(label, layout)], **probe))
            for row in rows:
                candidate = _candidate(kind, row, sha256, phashes, max_distance)
                if candidate is not None:
                    found[(kind, candidate.id)] = candidate
        return sorted(found.values(), key=lambda c: (not c.exact, c.distance, c.kind, c.id))

    return await graph.read(work)


def _candidate(
    kind: Kind, row: dict[str, object], sha256: str | None, phashes: list[str], max_distance: int
) -> Candidate | None:
    node_id, found_sha, found_phash = str(row["id"]), row["sha256"], row["phash"]
    if sha256 is not None and found_sha == sha256:
        return Candidate(kind, node_id, exact=True, distance=0)
    if not isinstance(found_phash, str) or not phashes:
        return None
    nearest = min(distance(phash, found_phash) for phash in phashes)
    return Candidate(kind, node_id, exact=False, distance=nearest) if nearest <= max_distance else None
