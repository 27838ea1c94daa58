"""The answers of search (one box for ids, names and hashes), verdictHistory and viewer."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from likeness.resolvers.search import SearchHit as SearchHitFacts
from likeness.resolvers.search import Viewer as ViewerFacts
from likeness.schema.convert import from_node
from likeness.schema.nodes import (
    NODE_TYPES,
    Asset,
    Campaign,
    Capture,
    Consent,
    Organization,
    Payment,
    Person,
    Sighting,
    TakedownNotice,
    Twin,
)

# every type of NODE_TYPES, in its order (a strawberry union is written out; tests/api/test_search.py holds
# it to NODE_TYPES and NODE_TYPES to the labels the graph holds, graph.visibility.LABELS)
SearchNode = Annotated[
    Person | Organization | Capture | Twin | Consent | Campaign | Asset | Sighting | Payment | TakedownNotice,
    strawberry.union("SearchNode"),
]


@strawberry.enum
class SearchMatch(Enum):
    ID = "ID"
    SHA256 = "SHA256"
    PHASH = "PHASH"
    NAME = "NAME"
    ID_PART = "ID_PART"


@strawberry.type
class SearchHit:
    matched_by: SearchMatch = strawberry.field(
        description="What the text matched: the id, a hash, a name, part of an id."
    )
    score: float | None = strawberry.field(description="A name's full-text score (higher is nearer).")
    distance: int | None = strawberry.field(description="A perceptual hash's Hamming distance.")
    node: SearchNode

    @classmethod
    def of(cls, hit: SearchHitFacts) -> SearchHit:
        label = next(label for label in hit.node["_labels"] if label in NODE_TYPES)
        return cls(
            matched_by=SearchMatch(hit.matched_by),
            score=hit.score,
            distance=hit.distance,
            node=from_node(NODE_TYPES[label], hit.node),
        )


@strawberry.type
class Viewer:
    role: str = strawberry.field(
        description="ADMIN, REGULATOR, INVESTIGATOR, BRAND, VENDOR, AGENCY, PERSON or PLATFORM."
    )
    party_id: strawberry.ID | None = strawberry.field(
        description="The organization or person a tenant's credential acts as; null for the other roles."
    )

    @classmethod
    def of(cls, viewer: ViewerFacts) -> Viewer:
        return cls(
            role=viewer.role,
            party_id=strawberry.ID(viewer.party_id) if viewer.party_id is not None else None,
        )
