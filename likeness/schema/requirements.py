"""What the laws in force require of a planned use (checkUsage), per territory and per person's
jurisdiction, built from likeness.laws.requirements' answer."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from likeness.laws.requirements import LawRequirement as LawRequirementRecord
from likeness.laws.requirements import PlaceRequirements
from likeness.schema.grounding import LawStatus


@strawberry.enum(
    description="What a law requires of a use: a visible AI label, a machine-readable mark, a written "
    "consent covering the use, that consent's terms (a description of the uses, the pay), the person's "
    "representation by counsel or a union when signing."
)
class Requirement(Enum):
    VISIBLE_LABEL = "VISIBLE_LABEL"
    MACHINE_READABLE_MARK = "MACHINE_READABLE_MARK"
    WRITTEN_CONSENT = "WRITTEN_CONSENT"
    CONSENT_TERMS = "CONSENT_TERMS"
    REPRESENTATION = "REPRESENTATION"


def requirements(values: tuple[str, ...]) -> list[Requirement]:
    return [Requirement(value) for value in values]


@strawberry.type(description="One version of a law, as a requirement names it.")
class LawRef:
    id: strawberry.ID
    version: int
    title: str
    jurisdiction: str = strawberry.field(
        description="The law's own jurisdiction through which it applies here (EU for a use in SE)."
    )
    jurisdictions: list[str]
    status: LawStatus
    in_force_from: date | None
    in_force_until: date | None


@strawberry.type
class LawRequirement:
    law: LawRef
    requirements: list[Requirement] = strawberry.field(
        description="What the law requires of the use, from the verdict codes it grounds."
    )
    lacking: list[Requirement] = strawberry.field(
        description="Which of those the plan lacks (always empty for a PROPOSED law)."
    )

    @classmethod
    def of(cls, found: LawRequirementRecord) -> LawRequirement:
        law = found.law
        return cls(
            law=LawRef(
                id=strawberry.ID(law.id),
                version=law.version,
                title=law.title,
                jurisdiction=found.jurisdiction,
                jurisdictions=list(law.jurisdictions),
                status=LawStatus(law.status),
                in_force_from=law.in_force_from,
                in_force_until=law.in_force_until,
            ),
            requirements=requirements(found.requirements),
            lacking=requirements(found.lacking),
        )


@strawberry.type(description="The laws that apply through one planned territory (laws on assets).")
class TerritoryRequirements:
    territory: str
    laws: list[LawRequirement] = strawberry.field(
        description="The ENACTED laws in force at the planned instant, by id."
    )
    would_require: list[LawRequirement] = strawberry.field(
        description="The PROPOSED laws that would apply; never lacking anything."
    )

    @classmethod
    def of(cls, place: PlaceRequirements) -> TerritoryRequirements:
        return cls(
            territory=place.place,
            laws=[LawRequirement.of(law) for law in place.laws],
            would_require=[LawRequirement.of(law) for law in place.would_require],
        )


@strawberry.type(
    description="The laws that apply through the jurisdiction of the persons whose twins the use renders "
    "(laws on consents)."
)
class JurisdictionRequirements:
    jurisdiction: str
    person_ids: list[strawberry.ID] = strawberry.field(
        description="The persons living under this jurisdiction whose twins the use renders."
    )
    laws: list[LawRequirement] = strawberry.field(
        description="The ENACTED laws in force at the planned instant, by id."
    )
    would_require: list[LawRequirement] = strawberry.field(
        description="The PROPOSED laws that would apply; never lacking anything."
    )

    @classmethod
    def of(cls, place: PlaceRequirements) -> JurisdictionRequirements:
        return cls(
            jurisdiction=place.place,
            person_ids=[strawberry.ID(person_id) for person_id in place.person_ids],
            laws=[LawRequirement.of(law) for law in place.laws],
            would_require=[LawRequirement.of(law) for law in place.would_require],
        )
