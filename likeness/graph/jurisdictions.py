"""What the laws read beside the rules' facts: the jurisdictions of the persons a verdict concerns that
the facts do not carry (those whose faces a file shows, those a sighting resembles or matches). A twin's
person and a notice's platform come with the facts (PersonFacts, NoticeFacts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import run
from likeness.rules.facts import AssetWorld, SightingWorld, TwinWorld

_FACTS: LiteralString = """
    UNWIND $personIds AS id
    MATCH (p:Entity {id: id}) WHERE p.jurisdiction IS NOT NULL
    RETURN collect([id, p.jurisdiction]) AS places
"""


@dataclass(frozen=True)
class GroundingFacts:
    """Jurisdictions by person id (those recorded)."""

    jurisdiction: dict[str, str] = field(default_factory=dict)

    def places(self, person_ids: Iterable[str]) -> frozenset[str]:
        """The recorded jurisdictions of these persons."""
        return frozenset(self.jurisdiction[pid] for pid in person_ids if pid in self.jurisdiction)


async def grounding_facts(
    tx: AsyncManagedTransaction,
    twins: Iterable[TwinWorld],
    assets: Iterable[AssetWorld],
    sightings: Iterable[tuple[SightingWorld, list[str]]],
) -> GroundingFacts:
    """The persons' jurisdictions for every subject of a refresh: those its twins' persons carry, and in
    one round trip (none when nothing is missing) those of the persons the facts name only by id."""
    known: dict[str, str] = {}
    unknown: set[str] = set()
    worlds = [*twins, *(twin for asset in assets for twin in asset.twins.values())]
    for world in worlds:
        if world.person.jurisdiction is not None:
            known[world.person.id] = world.person.jurisdiction
    for asset in assets:
        unknown.update(face.person_id for face in asset.faces)
    for _, persons in sightings:
        unknown.update(persons)
    unknown -= {world.person.id for world in worlds}
    if unknown:
        rows: list[dict[str, Any]] = await run(tx, _FACTS, personIds=sorted(unknown))
        known.update({pid: place for pid, place in rows[0]["places"]})
    return GroundingFacts(jurisdiction=known)
