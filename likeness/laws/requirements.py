"""What the laws in force require of a planned use, and which of it the plan lacks (checkUsage).

A law requires what the verdict codes it grounds would punish the lack of: a law grounding
``MISSING_AI_LABEL`` requires a visible label, one grounding ``NO_CONSENT`` or ``EXPIRED`` a written
consent that covers the use, one grounding ``INCOMPLETE_TERMS`` the consent's terms,
``CONSENT_UNENFORCEABLE`` the person's representation by counsel or a union. A code that names no such
thing (a notice left unanswered, a face not declared) requires nothing a plan can carry, and a law
grounding only such codes is not listed.

Which laws: the ENACTED ones in force on the planned instant's (UTC) day. An ``ASSET`` law applies through
the planned territories (``EU`` covers each member state, a country its subdivisions); a ``CONSENT`` law
through the jurisdiction of each twin's person, at the same planned instant (the consent a use needs is
the one in force when it is published, whenever it was signed). ``NOTICE`` laws concern notices, not a
planned use. PROPOSED laws are listed apart (``would_require``) and never lack anything.

Pure: the caller says what the plan carries (label, mark) and what the twins' consent checks fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from likeness.laws.grounding import covers
from likeness.laws.packs import ASSET, CONSENT, LawBook, LawPack

VISIBLE_LABEL = "VISIBLE_LABEL"
MACHINE_READABLE_MARK = "MACHINE_READABLE_MARK"
WRITTEN_CONSENT = "WRITTEN_CONSENT"
CONSENT_TERMS = "CONSENT_TERMS"
REPRESENTATION = "REPRESENTATION"
# the order every list of requirements is given in
REQUIREMENTS: tuple[str, ...] = (
    VISIBLE_LABEL,
    MACHINE_READABLE_MARK,
    WRITTEN_CONSENT,
    CONSENT_TERMS,
    REPRESENTATION,
)
# what a consent check can find lacking (the rest is the plan's own: label and mark)
CONSENT_REQUIREMENTS: frozenset[str] = frozenset({WRITTEN_CONSENT, CONSENT_TERMS, REPRESENTATION})

# verdict code -> what a law grounding it requires of a use; any other code requires nothing of a plan
REQUIREMENT_BY_CODE: Mapping[str, str] = MappingProxyType(
    {
        "MISSING_AI_LABEL": VISIBLE_LABEL,
        "MISSING_MACHINE_READABLE_MARK": MACHINE_READABLE_MARK,
        # no consent, or one that does not cover the use: a written consent for this use is required
        "NO_CONSENT": WRITTEN_CONSENT,
        "OUT_OF_SCOPE": WRITTEN_CONSENT,
        "RESTRICTION_BREACHED": WRITTEN_CONSENT,
        "NOT_YET_VALID": WRITTEN_CONSENT,
        "EXPIRED": WRITTEN_CONSENT,
        "PUBLISHED_AFTER_REVOCATION": WRITTEN_CONSENT,
        "INVALID_SIGNATORY": WRITTEN_CONSENT,
        "UNCONSENTED_BUILD": WRITTEN_CONSENT,
        "INCOMPLETE_TERMS": CONSENT_TERMS,
        "CONSENT_UNENFORCEABLE": REPRESENTATION,
    }
)


def requirement_of(code: str) -> str | None:
    """What a law grounding `code` requires of a use, or None when the code asks nothing of a plan."""
    return REQUIREMENT_BY_CODE.get(code)


def requirements_of(codes: Iterable[str]) -> tuple[str, ...]:
    """What the codes require together, each requirement once, in REQUIREMENTS order."""
    found = {requirement for requirement in map(requirement_of, codes) if requirement is not None}
    return tuple(requirement for requirement in REQUIREMENTS if requirement in found)


@dataclass(frozen=True)
class PlannedPerson:
    """A person whose twin the use renders: her jurisdiction (None: not recorded, so no consent law
    applies through it) and the consent requirements her twins' checks fail (CONSENT_REQUIREMENTS)."""

    person_id: str
    jurisdiction: str | None
    lacking: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlannedUse:
    """A use as a brand plans it: where, when, whether it will carry a label and a mark, and whose
    likeness it renders."""

    territories: frozenset[str]
    at: datetime
    ai_label: bool = False
    machine_readable_mark: bool = False
    persons: tuple[PlannedPerson, ...] = ()


@dataclass(frozen=True)
class LawRequirement:
    """One law that applies to the plan in a place: what it requires and which of that the plan lacks
    (always empty for a PROPOSED law)."""

    law: LawPack
    # the law's own jurisdiction through which it applies there (EU for a use in SE)
    jurisdiction: str
    requirements: tuple[str, ...]
    lacking: tuple[str, ...]


@dataclass(frozen=True)
class PlaceRequirements:
    """The laws that apply in one place: a planned territory, or the jurisdiction of twins' persons."""

    place: str
    # for a jurisdiction: the persons under it whose twins the use renders, sorted; () for a territory
    person_ids: tuple[str, ...]
    laws: tuple[LawRequirement, ...]
    would_require: tuple[LawRequirement, ...]


@dataclass(frozen=True)
class PlanRequirements:
    """What the laws require of a planned use, per planned territory and per person's jurisdiction."""

    territories: tuple[PlaceRequirements, ...]
    jurisdictions: tuple[PlaceRequirements, ...]

    @property
    def lacking(self) -> tuple[str, ...]:
        """Everything any ENACTED law in force lacks of the plan, in REQUIREMENTS order."""
        found = {
            requirement
            for place in self.territories + self.jurisdictions
            for law in place.laws
            for requirement in law.lacking
        }
        return tuple(requirement for requirement in REQUIREMENTS if requirement in found)


def plan_requirements(book: LawBook, use: PlannedUse) -> PlanRequirements:
    """Per planned territory (ASSET laws) and per jurisdiction of the twins' persons (CONSENT laws): what
    each law in force at ``use.at`` requires and which of it the plan lacks; PROPOSED laws apart."""
    day = use.at.astimezone(UTC).date()
    enacted = book.in_force(day)
    proposed = book.proposed(day)
    marks = _marks_lacking(use)

    territories = tuple(
        PlaceRequirements(
            place=territory,
            person_ids=(),
            laws=_applying(enacted, ASSET, territory, marks | _consents_lacking(use.persons)),
            would_require=_applying(proposed, ASSET, territory, None),
        )
        for territory in sorted(use.territories)
    )

    by_jurisdiction: dict[str, list[PlannedPerson]] = {}
    for person in use.persons:
        if person.jurisdiction is not None:
            by_jurisdiction.setdefault(person.jurisdiction, []).append(person)
    jurisdictions = tuple(
        PlaceRequirements(
            place=jurisdiction,
            person_ids=tuple(sorted({person.person_id for person in persons})),
            laws=_applying(enacted, CONSENT, jurisdiction, marks | _consents_lacking(persons)),
            would_require=_applying(proposed, CONSENT, jurisdiction, None),
        )
        for jurisdiction, persons in sorted(by_jurisdiction.items())
    )
    return PlanRequirements(territories=territories, jurisdictions=jurisdictions)


def _marks_lacking(use: PlannedUse) -> frozenset[str]:
    lacking: set[str] = set()
    if not use.ai_label:
        lacking.add(VISIBLE_LABEL)
    if not use.machine_readable_mark:
        lacking.add(MACHINE_READABLE_MARK)
    return frozenset(lacking)


def _consents_lacking(persons: Iterable[PlannedPerson]) -> frozenset[str]:
    return frozenset(
        requirement
        for person in persons
        for requirement in person.lacking
        if requirement in CONSENT_REQUIREMENTS
    )


def _applying(
    laws: Iterable[LawPack], applies_to: str, place: str, lacking: frozenset[str] | None
) -> tuple[LawRequirement, ...]:
    """The laws among `laws` that apply to `applies_to` through `place` and require something, by id;
    `lacking` None (a PROPOSED law) counts nothing as lacking."""
    found: list[LawRequirement] = []
    for law in sorted(laws, key=lambda pack: pack.id):
        if applies_to not in law.applies_to:
            continue
        through = next((own for own in law.jurisdictions if covers(own, place)), None)
        required = requirements_of(law.codes)
        if through is None or not required:
            continue
        missing = () if lacking is None else tuple(r for r in required if r in lacking)
        found.append(LawRequirement(law=law, jurisdiction=through, requirements=required, lacking=missing))
    return tuple(found)
