"""The clauses of a consent, checked one by one against a use or a build (DESIGN rules 1-7).

A clause is named by the word it fails with; failures are always listed in ``CLAUSE_ORDER``, which is
also the order that decides a verdict's code when a consent fails several clauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from likeness.rules.facts import WORLDWIDE, ConsentFacts, PersonFacts, TwinFacts, UseRequest
from likeness.rules.terms import is_minor_at, terms_problems
from likeness.rules.windows import effective_window, within

CLAUSE_ORDER: tuple[str, ...] = (
    "signatory",
    "guardian",
    "terms",
    "enforceable",
    "sublicense",
    "revoked",
    "content",
    "mediaType",
    "channel",
    "territory",
    "window",
)
SCOPE_CLAUSES: tuple[str, ...] = ("mediaType", "channel", "territory")


def signatory_valid(consent: ConsentFacts, person: PersonFacts) -> bool:
    """Signed by the person herself or, while she is a minor, by her recorded guardian.

    NY Fashion Workers Act: the model's own separate written consent; an agency's signature (power of
    attorney) never counts, and neither does a guardian's once she is of age.
    """
    if consent.signed_by_id == person.id:
        return True
    return (
        consent.guardian_id is not None
        and consent.signed_by_id == consent.guardian_id
        and is_minor_at(person, consent.signed_at)
    )


def guardian_missing(consent: ConsentFacts, person: PersonFacts) -> bool:
    """A minor at signing with no guardian recorded (NO FAKES Act: minors license through a guardian)."""
    return consent.guardian_id is None and is_minor_at(person, consent.signed_at)


def unenforceable(consent: ConsentFacts) -> bool:
    """A consent that replaces work she would otherwise do in person, signed with no lawyer or union, where
    the law requires one (NY GOL s. 5-302, Cal. Lab. Code s. 927). Unknown facts never fail it."""
    return (
        consent.representation_required
        and consent.replaces_in_person_work is True
        and consent.representation == "NONE"
    )


def revoked_before(consent: ConsentFacts, moment: datetime) -> bool:
    """Revoked at or before ``moment``: nothing published or built from then on is permitted by it."""
    return consent.revoked_at is not None and moment >= consent.revoked_at


def prohibited_tags(consent: ConsentFacts, tags: Iterable[str]) -> tuple[str, ...]:
    """The content tags the consent prohibits, sorted."""
    return tuple(sorted(set(tags) & consent.prohibited_content))


def outside_territories(consent: ConsentFacts, territories: Iterable[str]) -> tuple[str, ...]:
    """The territories of a use that the consent does not cover, sorted (empty if worldwide)."""
    if consent.territories is None or WORLDWIDE in consent.territories:
        return ()
    return tuple(sorted(set(territories) - consent.territories))


def sublicense_refused(consent: ConsentFacts, use: UseRequest) -> bool:
    """Used by someone other than the grantee, through it, though the consent is not sublicensable."""
    return (
        use.publisher_id != consent.grantee_id
        and use.sublicensed_from_id == consent.grantee_id
        and not consent.sublicensable
    )


def _validity_failures(consent: ConsentFacts, person: PersonFacts) -> list[str]:
    failed: list[str] = []
    if not signatory_valid(consent, person):
        failed.append("signatory")
    if guardian_missing(consent, person):
        failed.append("guardian")
    if terms_problems(consent, person):
        failed.append("terms")
    if unenforceable(consent):
        failed.append("enforceable")
    return failed


def use_failures(consent: ConsentFacts, use: UseRequest, person: PersonFacts) -> tuple[str, ...]:
    """Every clause a USE consent fails for a use at ``use.at``, in CLAUSE_ORDER (empty: it permits)."""
    failed = _validity_failures(consent, person)
    if sublicense_refused(consent, use):
        failed.append("sublicense")
    if revoked_before(consent, use.at):
        failed.append("revoked")
    if prohibited_tags(consent, use.content_tags):
        failed.append("content")
    if consent.media_types is not None and use.media_type not in consent.media_types:
        failed.append("mediaType")
    if consent.channels is not None and use.channel not in consent.channels:
        failed.append("channel")
    if outside_territories(consent, use.territories):
        failed.append("territory")
    if not within(effective_window(consent), use.at):
        failed.append("window")
    return tuple(failed)


def build_failures(consent: ConsentFacts, twin: TwinFacts, person: PersonFacts) -> tuple[str, ...]:
    """Every clause a BUILD consent fails for building the twin at ``builtAt`` (scope does not apply)."""
    failed = _validity_failures(consent, person)
    if revoked_before(consent, twin.built_at):
        failed.append("revoked")
    if not within(effective_window(consent), twin.built_at):
        failed.append("window")
    return tuple(failed)


def is_use_candidate(consent: ConsentFacts, twin: TwinFacts, use: UseRequest) -> bool:
    """A USE consent by the twin's person, covering the twin, to the publisher or its sublicensor."""
    return (
        consent.purpose == "USE"
        and consent.person_id == twin.person_id
        and twin.id in consent.twin_ids
        and (consent.grantee_id == use.publisher_id or consent.grantee_id == use.sublicensed_from_id)
    )


def is_build_candidate(consent: ConsentFacts, twin: TwinFacts) -> bool:
    """A BUILD consent by the twin's person to the vendor that built it."""
    return (
        consent.purpose == "BUILD"
        and consent.person_id == twin.person_id
        and consent.grantee_id == twin.vendor_id
    )


@dataclass(frozen=True)
class Assessment:
    """One candidate consent and the clauses it fails."""

    consent: ConsentFacts
    failed: tuple[str, ...]

    @property
    def permits(self) -> bool:
        return not self.failed


def closest(assessments: Iterable[Assessment]) -> Assessment | None:
    """The candidate failing the fewest clauses; ties go to the most recently signed, then the lowest id."""
    ordered = sorted(assessments, key=lambda assessment: assessment.consent.id)
    ordered.sort(key=lambda assessment: assessment.consent.signed_at, reverse=True)
    ordered.sort(key=lambda assessment: len(assessment.failed))
    return ordered[0] if ordered else None
