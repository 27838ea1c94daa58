"""Verdicts on a twin's build: was the person's consent to build it valid, and are its captures hers.

Anchors: NY Fashion Workers Act (written consent to create a digital replica), California AB 2602
(Labor Code s. 927), NO FAKES Act.
"""

from __future__ import annotations

from datetime import datetime

from likeness.rules import codes
from likeness.rules.asof import twin_facts_as_of
from likeness.rules.clauses import Assessment, build_failures, closest, is_build_candidate
from likeness.rules.facts import TwinWorld, Verdict
from likeness.rules.liability import liable
from likeness.rules.verdicts import ordered
from likeness.rules.wording import failures_sentence, instant, listing


def _unconsented_build(world: TwinWorld) -> Verdict | None:
    twin, person = world.twin, world.person
    assessments = [
        Assessment(consent, build_failures(consent, twin, person))
        for consent in world.consents
        if is_build_candidate(consent, twin)
    ]
    if any(assessment.permits for assessment in assessments):
        return None
    parties = liable([twin.vendor_id], [twin.commissioned_by_id])
    lead = f"Twin {twin.id} of {person.id} was built by {twin.vendor_id} on {instant(twin.built_at)}"
    chosen = closest(assessments)
    if chosen is None:
        return Verdict(
            code=codes.UNCONSENTED_BUILD,
            subject_id=twin.id,
            liable=parties,
            evidence=(twin.id, "REPLICA_OF", person.id),
            explanation=f"{lead}, but {person.id} never granted {twin.vendor_id} a consent to build it.",
        )
    consent = chosen.consent
    reasons = failures_sentence(chosen.failed, consent, person, twin.built_at, None)
    return Verdict(
        code=codes.UNCONSENTED_BUILD,
        subject_id=twin.id,
        liable=parties,
        consent_ids=(consent.id,),
        failed_clauses=chosen.failed,
        evidence=(twin.id, "REPLICA_OF", person.id, "GRANTED", consent.id, "TO", twin.vendor_id),
        explanation=f"{lead}, but the closest build consent does not permit it: {reasons}.",
    )


def _foreign_captures(world: TwinWorld) -> list[Verdict]:
    twin, person = world.twin, world.person
    verdicts: list[Verdict] = []
    for capture_id in sorted(twin.capture_ids):
        depicted = twin.capture_depicts.get(capture_id, frozenset())
        if person.id in depicted:
            continue
        others = sorted(depicted)
        if others:
            evidence: tuple[str, ...] = (twin.id, "TRAINED_ON", capture_id, "DEPICTS", others[0])
            shows = f"which depicts {listing(others)}, not {person.id}"
        else:
            evidence = (twin.id, "TRAINED_ON", capture_id)
            shows = f"which is not recorded as depicting {person.id}"
        verdicts.append(
            Verdict(
                code=codes.FOREIGN_CAPTURE,
                subject_id=twin.id,
                liable=liable([twin.vendor_id]),
                evidence=evidence,
                explanation=(
                    f"Twin {twin.id} of {person.id}, built by {twin.vendor_id}, was trained on capture "
                    f"{capture_id}, {shows}."
                ),
            )
        )
    return verdicts


def build_verdicts(world: TwinWorld) -> tuple[Verdict, ...]:
    """The verdicts on a twin whose world is already restricted to the facts known at the asked instant."""
    found = _foreign_captures(world)
    unconsented = _unconsented_build(world)
    if unconsented is not None:
        found.append(unconsented)
    return ordered(found)


def verdicts_for_twin(world: TwinWorld, as_of: datetime) -> tuple[Verdict, ...]:
    """The verdicts on a twin as of ``as_of`` (empty before it was built)."""
    known = twin_facts_as_of(world, as_of)
    return () if known is None else build_verdicts(known)
