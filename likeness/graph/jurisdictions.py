"""What the laws read beside the rules' facts: the jurisdictions of persons and platforms, and what
kind of takedown each notice is (its category, and whether an authority ordered it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.graph.driver import run
from likeness.rules.facts import AssetWorld, SightingWorld, TwinWorld

_FACTS: LiteralString = """
    CALL () {
      UNWIND $partyIds AS id
      MATCH (e:Entity {id: id}) WHERE e.jurisdiction IS NOT NULL
      RETURN collect([id, e.jurisdiction]) AS places
    }
    CALL () {
      UNWIND $noticeIds AS id
      MATCH (n:Entity {id: id})
      RETURN collect([id, n.category, coalesce(n.ordered, false)]) AS notices
    }
    RETURN places, notices
"""


@dataclass(frozen=True)
class GroundingFacts:
    """Jurisdictions by person or organization id (those recorded), and notices' kinds by notice id."""

    jurisdiction: dict[str, str] = field(default_factory=dict)
    notice_category: dict[str, str] = field(default_factory=dict)
    notice_ordered: dict[str, bool] = field(default_factory=dict)

    def places(self, party_ids: Iterable[str]) -> frozenset[str]:
        """The recorded jurisdictions of these persons or organizations."""
        return frozenset(self.jurisdiction[pid] for pid in party_ids if pid in self.jurisdiction)


async def grounding_facts(
    tx: AsyncManagedTransaction,
    twins: Iterable[TwinWorld],
    assets: Iterable[AssetWorld],
    sightings: Iterable[tuple[SightingWorld, list[str]]],
) -> GroundingFacts:
    """One round trip for every subject of a refresh: the persons', platforms' and notices' facts."""
    parties: set[str] = set()
    notices: set[str] = set()
    for twin in twins:
        parties.add(twin.twin.person_id)
    for asset in assets:
        parties.update(t.twin.person_id for t in asset.twins.values())
        parties.update(face.person_id for face in asset.faces)
    for sighting, persons in sightings:
        parties.update(persons)
        for notice in sighting.notices:
            parties.add(notice.platform_id)
            notices.add(notice.id)
    if not parties and not notices:
        return GroundingFacts()
    row: dict[str, Any] = (await run(tx, _FACTS, partyIds=sorted(parties), noticeIds=sorted(notices)))[0]
    return GroundingFacts(
        jurisdiction={pid: place for pid, place in row["places"]},
        notice_category={nid: category for nid, category, _ in row["notices"] if category is not None},
        notice_ordered={nid: bool(ordered) for nid, _, ordered in row["notices"]},
    )
