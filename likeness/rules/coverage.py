"""How long an asset stays covered: the union of the windows of every consent that could permit it.

A renewal that opens before (or exactly when) the old window closes keeps the asset covered; one that
leaves a gap does not. Anchors: NY Fashion Workers Act (consent states its duration), NO FAKES Act
(time-limited licences, notice and takedown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from likeness.rules import codes
from likeness.rules.asof import facts_as_of
from likeness.rules.facts import AssetWorld, ConsentFacts, Coverage, TwinWorld
from likeness.rules.use import TwinAssessment, assess_twin, use_of
from likeness.rules.windows import effective_window, ends_by_revocation, stretch_containing


@dataclass(frozen=True)
class CoverageEnd:
    """Where an asset's coverage runs out, and the consent whose window closed last."""

    at: datetime
    cause: str  # codes.CAUSE_EXPIRED or codes.CAUSE_REVOKED
    world: TwinWorld
    ending: ConsentFacts
    # every consent whose window made up the covered stretch that ends here
    members: tuple[ConsentFacts, ...]


def _twin_end(assessment: TwinAssessment, published_at: datetime) -> CoverageEnd | None:
    """The end of the covered stretch around publication for one permitted twin (None: never ends)."""
    world = assessment.world
    if world is None:
        return None
    # Every clause but the window is judged at publication, so these consents differ only in when.
    covering = [
        (effective_window(candidate.consent), candidate.consent)
        for candidate in assessment.assessments
        if candidate.failed in ((), ("window",))
    ]
    stretch = stretch_containing(covering, published_at)
    if stretch is None or stretch.end is None:
        return None
    last = sorted(
        (consent for consent in stretch.members if effective_window(consent)[1] == stretch.end),
        key=lambda consent: (not ends_by_revocation(consent), consent.id),
    )
    ending = last[0]
    cause = codes.CAUSE_REVOKED if ends_by_revocation(ending) else codes.CAUSE_EXPIRED
    members = tuple(sorted(stretch.members, key=lambda consent: consent.id))
    return CoverageEnd(at=stretch.end, cause=cause, world=world, ending=ending, members=members)


def assess_coverage(
    world: AssetWorld, assessments: Sequence[TwinAssessment]
) -> tuple[Coverage, CoverageEnd | None]:
    """The asset's coverage from its (already as-of filtered) twin assessments, and where it ends."""
    published_at = world.asset.published_at
    if not all(assessment.check.permitted for assessment in assessments):
        return Coverage(permitted=False, uncovered_from=published_at), None
    permitting = sorted(
        {
            candidate.consent.id
            for assessment in assessments
            for candidate in assessment.assessments
            if candidate.permits
        }
    )
    ends = [end for assessment in assessments if (end := _twin_end(assessment, published_at)) is not None]
    if not ends:
        return Coverage(permitted=True, consent_ids=tuple(permitting)), None
    first = min(ends, key=lambda end: (end.at, end.cause != codes.CAUSE_REVOKED, end.world.twin.id))
    coverage = Coverage(
        permitted=True, consent_ids=tuple(permitting), uncovered_from=first.at, cause=first.cause
    )
    return coverage, first


def assess_twins(world: AssetWorld) -> tuple[TwinAssessment, ...]:
    """The consent check of every twin the asset renders, in twin id order."""
    use = use_of(world.asset)
    return tuple(
        assess_twin(twin_id, world.twins.get(twin_id), use) for twin_id in sorted(world.asset.twin_ids)
    )


def coverage(world: AssetWorld, as_of: datetime) -> Coverage:
    """Whether the asset was permitted when published and from when it is no longer covered.

    Facts count as known at ``as_of``. ``uncovered_from`` is the first instant at or after publication
    at which some rendered twin is no longer covered: publication itself when it was never permitted
    (``cause`` then None), None when coverage never ends. Before publication: not permitted, nothing else.
    """
    known = facts_as_of(world, as_of)
    if known is None:
        return Coverage(permitted=False)
    return assess_coverage(known, assess_twins(known))[0]
