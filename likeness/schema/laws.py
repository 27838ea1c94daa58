"""The answer of `laws`: the law packs as the API shows them."""

from __future__ import annotations

from datetime import date

import strawberry

from likeness.laws.packs import LawPack
from likeness.schema.grounding import LawStatus


@strawberry.type(description="A verdict code a law grounds, and the article that says so.")
class LawGround:
    code: str
    article: str


@strawberry.type(description="One version of one law, as its pack says (docs/laws.md).")
class Law:
    id: strawberry.ID
    version: int
    title: str
    jurisdiction: str = strawberry.field(description="Its first (almost always only) jurisdiction.")
    jurisdictions: list[str] = strawberry.field(
        description="Where it is law: ISO 3166-1 or 3166-2 codes, or EU for the member states."
    )
    status: LawStatus
    in_force_from: date | None = strawberry.field(description="The first day it applies.")
    in_force_until: date | None = strawberry.field(description="The first day it no longer applies.")
    applies_to: list[str] = strawberry.field(
        description="Which facts decide whether it applies: ASSET, CONSENT, NOTICE."
    )
    grounds: list[LawGround]
    sources: list[str]
    unconfirmed: str | None = strawberry.field(description="What in the pack its sources did not confirm.")
    sha256: str = strawberry.field(description="The SHA-256 of the pack's file.")

    @classmethod
    def of(cls, pack: LawPack) -> Law:
        return cls(
            id=strawberry.ID(pack.id),
            version=pack.version,
            title=pack.title,
            jurisdiction=pack.jurisdictions[0],
            jurisdictions=list(pack.jurisdictions),
            status=LawStatus(pack.status),
            in_force_from=pack.in_force_from,
            in_force_until=pack.in_force_until,
            applies_to=list(pack.applies_to),
            grounds=[LawGround(code=ground.code, article=ground.article) for ground in pack.grounds],
            sources=list(pack.sources),
            unconfirmed=pack.unconfirmed,
            sha256=pack.sha256,
        )
