"""Verdicts on a published asset: consent per rendered twin, coverage over time, AI labelling, the twins
it inherits build violations from, and the enrolled persons its file shows without a twin of theirs.

Anchors: NY Fashion Workers Act and California AB 2602 (consent to use a digital replica), NO FAKES Act
(licence terms, takedown), EU AI Act art. 50(2) (machine-readable marking) and 50(4) (visible disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from likeness.rules import codes
from likeness.rules.asof import facts_as_of
from likeness.rules.clauses import CLAUSE_ORDER
from likeness.rules.coverage import CoverageEnd, assess_coverage, assess_twins
from likeness.rules.facts import AssetFacts, AssetWorld, Liability, Verdict
from likeness.rules.liability import liable
from likeness.rules.twin import build_verdicts
from likeness.rules.use import TwinAssessment, use_of
from likeness.rules.verdicts import ordered
from likeness.rules.wording import face_phrase, failures_sentence, instant, listing


def _lead(asset: AssetFacts) -> str:
    return f"Asset {asset.id} (published by {asset.publisher_id} on {instant(asset.published_at)})"


def _no_consent(asset: AssetFacts, assessment: TwinAssessment) -> Verdict:
    twin_id = assessment.check.twin_id
    parties = liable([asset.publisher_id], [asset.campaign_brand_id])
    world = assessment.world
    if world is None:
        return Verdict(
            code=codes.NO_CONSENT,
            subject_id=asset.id,
            liable=parties,
            evidence=(asset.id, "RENDERS", twin_id),
            explanation=(
                f"{_lead(asset)} renders twin {twin_id}, which is not on record as built, "
                "so no consent to use it can exist."
            ),
        )
    person_id = world.person.id
    grantees = asset.publisher_id
    if asset.sublicensed_from_id is not None and asset.sublicensed_from_id != asset.publisher_id:
        grantees += f" or to {asset.sublicensed_from_id}, from which it was sublicensed,"
    return Verdict(
        code=codes.NO_CONSENT,
        subject_id=asset.id,
        liable=parties,
        evidence=(asset.id, "RENDERS", twin_id, "REPLICA_OF", person_id),
        explanation=(
            f"{_lead(asset)} renders twin {twin_id} of {person_id}, but no consent from {person_id} "
            f"to {grantees} covers {twin_id}."
        ),
    )


def _consent_verdict(asset: AssetFacts, assessment: TwinAssessment) -> Verdict | None:
    """The verdict on one rendered twin's consent, None when some consent permits it."""
    check = assessment.check
    if check.permitted:
        return None
    chosen, world = assessment.chosen, assessment.world
    if chosen is None or world is None or check.code is None:
        return _no_consent(asset, assessment)
    consent, person, code = chosen.consent, world.person, check.code
    path = (asset.id, "RENDERS", check.twin_id, "REPLICA_OF", person.id, "GRANTED", consent.id)
    evidence = path + ("TO", consent.grantee_id)
    parties: tuple[Liability, ...]
    if code == codes.INVALID_SIGNATORY:
        parties = liable([consent.signed_by_id], [asset.publisher_id])
        evidence = path + ("SIGNED_BY", consent.signed_by_id)
    elif code == codes.MINOR_WITHOUT_GUARDIAN:
        parties = liable([consent.grantee_id])
    elif code in (codes.INCOMPLETE_TERMS, codes.CONSENT_UNENFORCEABLE):
        parties = liable([consent.grantee_id], [consent.negotiated_by_id])
    elif code == codes.SUBLICENSE_NOT_PERMITTED:
        parties = liable([asset.sublicensed_from_id], [asset.publisher_id])
    else:
        parties = liable([asset.publisher_id])
    reasons = failures_sentence(chosen.failed, consent, person, asset.published_at, use_of(asset))
    return Verdict(
        code=code,
        subject_id=asset.id,
        liable=parties,
        consent_ids=(consent.id,),
        failed_clauses=chosen.failed,
        evidence=evidence,
        explanation=(
            f"{_lead(asset)} renders twin {check.twin_id} of {person.id}; the closest consent, "
            f"{consent.id} to {consent.grantee_id}, does not permit it: {reasons}."
        ),
    )


def _live_after(world: AssetWorld, end: CoverageEnd) -> Verdict | None:
    """LIVE_AFTER_EXPIRY / LIVE_AFTER_REVOCATION, holding from ``end.at`` on unless withdrawn in time.

    The platforms named are those of sightings (known in ``world``) made at or after the end.
    """
    asset = world.asset
    # Half-open windows: withdrawn exactly when coverage ends is in time; any later is not.
    if asset.withdrawn_at is not None and asset.withdrawn_at <= end.at:
        return None
    platforms = sorted(
        {
            sighting.platform_id
            for sighting in world.sightings
            if sighting.platform_id is not None and end.at <= sighting.observed_at
        }
    )
    ending, person = end.ending, end.world.person
    if end.cause == codes.CAUSE_REVOKED and ending.revoked_at is not None:
        code = codes.LIVE_AFTER_REVOCATION
        why = (
            f"{person.id} revoked {ending.id} on {instant(ending.revoked_at)} and its "
            f"{ending.takedown_days}-day takedown period ran out"
        )
    else:
        code = codes.LIVE_AFTER_EXPIRY
        why = f"{ending.id}, the last consent covering twin {end.world.twin.id}, expired"
    seen = f" It was seen live on {listing(platforms)} after that." if platforms else ""
    return Verdict(
        code=code,
        subject_id=asset.id,
        liable=liable([asset.publisher_id], platforms),
        consent_ids=tuple(consent.id for consent in end.members),
        failed_clauses=("window",),
        evidence=(
            asset.id,
            "RENDERS",
            end.world.twin.id,
            "REPLICA_OF",
            person.id,
            "GRANTED",
            ending.id,
            "TO",
            ending.grantee_id,
        ),
        explanation=(
            f"{_lead(asset)} was permitted when published, but its consent coverage ended on "
            f"{instant(end.at)} when {why}, and it was not withdrawn by then.{seen}"
        ),
    )


def _labels(world: AssetWorld) -> list[Verdict]:
    """MISSING_AI_LABEL (EU AI Act art. 50(4)) and MISSING_MACHINE_READABLE_MARK (art. 50(2))."""
    asset = world.asset
    twin_ids = sorted(asset.twin_ids)
    if not twin_ids:
        return []
    found: list[Verdict] = []
    if asset.ai_label and asset.machine_readable_mark:
        return found
    rendered = (
        f"{_lead(asset)} renders digital {'twin' if len(twin_ids) == 1 else 'twins'} {listing(twin_ids)}"
    )
    if not asset.ai_label:
        found.append(
            Verdict(
                code=codes.MISSING_AI_LABEL,
                subject_id=asset.id,
                liable=liable([asset.publisher_id]),
                evidence=(asset.id, "RENDERS", twin_ids[0]),
                explanation=f"{rendered} but carries no visible disclosure that it was made with AI.",
            )
        )
    if not asset.machine_readable_mark:
        built = [
            (twin_id, world.twins[twin_id].twin.vendor_id) for twin_id in twin_ids if twin_id in world.twins
        ]
        vendors = sorted({vendor_id for _, vendor_id in built})
        evidence: tuple[str, ...] = (asset.id, "RENDERS", twin_ids[0])
        if built:
            evidence = (asset.id, "RENDERS", built[0][0], "BUILT_BY", built[0][1])
        by = f", built by {listing(vendors)}," if vendors else ""
        found.append(
            Verdict(
                code=codes.MISSING_MACHINE_READABLE_MARK,
                subject_id=asset.id,
                liable=liable(vendors or [asset.publisher_id], [asset.publisher_id]),
                evidence=evidence,
                explanation=(
                    f"{rendered}{by} but carries no machine-readable AI marking "
                    "(such as C2PA trainedAlgorithmicMedia)."
                ),
            )
        )
    return found


def _tainted(world: AssetWorld) -> list[Verdict]:
    """TAINTED_TWIN for each rendered twin that has a build verdict of its own."""
    asset = world.asset
    found: list[Verdict] = []
    for twin_id in sorted(asset.twin_ids):
        twin_world = world.twins.get(twin_id)
        if twin_world is None:
            continue
        build = build_verdicts(twin_world)
        if not build:
            continue
        failed = {clause for verdict in build for clause in verdict.failed_clauses}
        vendor_id = twin_world.twin.vendor_id
        found.append(
            Verdict(
                code=codes.TAINTED_TWIN,
                subject_id=asset.id,
                liable=liable([vendor_id], [asset.publisher_id]),
                consent_ids=tuple(sorted({k for verdict in build for k in verdict.consent_ids})),
                failed_clauses=tuple(clause for clause in CLAUSE_ORDER if clause in failed),
                evidence=(asset.id, "RENDERS") + build[0].evidence,
                explanation=(
                    f"{_lead(asset)} renders twin {twin_id}, built by {vendor_id}, which carries "
                    f"{listing(sorted({verdict.code for verdict in build}))}: "
                    + " ".join(verdict.explanation for verdict in build)
                ),
            )
        )
    return found


def _undeclared_likeness(world: AssetWorld) -> list[Verdict]:
    """UNDECLARED_LIKENESS for each enrolled person whose face the asset's file shows while none of the twins
    it renders is hers (until it is withdrawn): her likeness is used, and no consent of hers is ever judged.
    The twins known by then say whose they are; a match exists only for an enrolled person."""
    asset = world.asset
    if not world.faces or asset.withdrawn_at is not None:
        return []
    rendered = [world.twins[twin_id].twin for twin_id in sorted(asset.twin_ids) if twin_id in world.twins]
    declared = {twin.person_id for twin in rendered}
    vendors = sorted({twin.vendor_id for twin in rendered})
    twins = (
        f"it renders {'twin' if len(rendered) == 1 else 'twins'} "
        f"{listing(f'{twin.id} of {twin.person_id}' for twin in rendered)}, none of her"
        if rendered
        else "it renders no twin on record"
    )
    return [
        Verdict(
            code=codes.UNDECLARED_LIKENESS,
            subject_id=asset.id,
            liable=liable([asset.publisher_id], vendors),
            evidence=(asset.id, "SHOWS_FACE_OF", face.person_id),
            explanation=(
                f"{_lead(asset)} shows {face.person_id}, yet {twins}: {face_phrase(face)}. With no twin "
                "of hers declared, no consent of hers is checked for it."
            ),
        )
        for face in world.faces
        if face.person_id not in declared
    ]


@dataclass(frozen=True)
class AssetEvaluation:
    """The rules' answer for one state of an asset's known facts, for any as-of instant in that state.

    Known facts only change when some dated fact comes into force; between such instants the one
    thing that can still change is whether coverage has run out, at ``live_from``.
    """

    # verdicts that hold whatever the as-of instant, in report order
    standing: tuple[Verdict, ...]
    # LIVE_AFTER_EXPIRY / LIVE_AFTER_REVOCATION, holding for as-of instants at or after live_from
    live: Verdict | None = None
    live_from: datetime | None = None

    def verdicts(self, as_of: datetime) -> tuple[Verdict, ...]:
        """The verdicts as of ``as_of`` (an instant at which these facts were the known ones)."""
        if self.live is None or self.live_from is None or as_of < self.live_from:
            return self.standing
        return ordered(self.standing + (self.live,))


def evaluate_asset(world: AssetWorld) -> AssetEvaluation:
    """The verdicts on an asset whose world is already restricted to the facts known at some instant."""
    assessments = assess_twins(world)
    found = [
        verdict
        for assessment in assessments
        if (verdict := _consent_verdict(world.asset, assessment)) is not None
    ]
    found.extend(_labels(world))
    found.extend(_tainted(world))
    found.extend(_undeclared_likeness(world))
    _, end = assess_coverage(world, assessments)
    live = None if end is None else _live_after(world, end)
    return AssetEvaluation(
        standing=ordered(found), live=live, live_from=None if live is None or end is None else end.at
    )


def verdicts_for_asset(world: AssetWorld, as_of: datetime) -> tuple[Verdict, ...]:
    """The verdicts on an asset as of ``as_of`` (empty before it was published)."""
    known = facts_as_of(world, as_of)
    return () if known is None else evaluate_asset(known).verdicts(as_of)
