"""May this use of these twins go ahead? Per-twin consent checks, shared by assets and pre-flights.

Anchors: NY Fashion Workers Act and California AB 2602 (written, specific consent for each use of a
digital replica); an asset rendering twins of several people needs a permitting consent from each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from likeness.rules import codes
from likeness.rules.clauses import Assessment, closest, is_use_candidate, use_failures
from likeness.rules.facts import AssetFacts, ConsentFacts, TwinUseCheck, TwinWorld, UseCheck, UseRequest
from likeness.rules.windows import effective_window

_CODE_BY_CLAUSE: dict[str, str] = {
    "signatory": codes.INVALID_SIGNATORY,
    "guardian": codes.MINOR_WITHOUT_GUARDIAN,
    "terms": codes.INCOMPLETE_TERMS,
    "enforceable": codes.CONSENT_UNENFORCEABLE,
    "sublicense": codes.SUBLICENSE_NOT_PERMITTED,
    "revoked": codes.PUBLISHED_AFTER_REVOCATION,
    "content": codes.RESTRICTION_BREACHED,
    "mediaType": codes.OUT_OF_SCOPE,
    "channel": codes.OUT_OF_SCOPE,
    "territory": codes.OUT_OF_SCOPE,
}


def use_of(asset: AssetFacts) -> UseRequest:
    """The use an asset makes: its publisher, form, reach and content at its publication instant."""
    return UseRequest(
        twin_ids=asset.twin_ids,
        publisher_id=asset.publisher_id,
        media_type=asset.media_type,
        channel=asset.channel,
        territories=asset.territories,
        at=asset.published_at,
        content_tags=asset.content_tags,
        sublicensed_from_id=asset.sublicensed_from_id,
    )


def use_code(failed: tuple[str, ...], consent: ConsentFacts, at: datetime) -> str:
    """The verdict code for a consent failing ``failed``: that of its first failed clause in CLAUSE_ORDER."""
    first = failed[0]
    if first == "window":
        return codes.NOT_YET_VALID if at < effective_window(consent)[0] else codes.EXPIRED
    return _CODE_BY_CLAUSE[first]


@dataclass(frozen=True)
class TwinAssessment:
    """The check of one twin of a use, with the facts a verdict about it needs."""

    check: TwinUseCheck
    world: TwinWorld | None
    # the permitting consent, else the closest failing candidate, else None
    chosen: Assessment | None
    # every candidate consent with the clauses it fails
    assessments: tuple[Assessment, ...]


def assess_twin(twin_id: str, world: TwinWorld | None, use: UseRequest) -> TwinAssessment:
    """Whether some candidate consent permits the use of one twin, else which candidate comes closest."""
    if world is None:
        check = TwinUseCheck(twin_id=twin_id, person_id=None, permitted=False, code=codes.NO_CONSENT)
        return TwinAssessment(check=check, world=None, chosen=None, assessments=())
    twin, person = world.twin, world.person
    assessments = tuple(
        Assessment(consent, use_failures(consent, use, person))
        for consent in world.consents
        if is_use_candidate(consent, twin, use)
    )
    permitting = [assessment for assessment in assessments if assessment.permits]
    chosen = closest(permitting or assessments)
    if chosen is None:
        check = TwinUseCheck(twin_id=twin.id, person_id=person.id, permitted=False, code=codes.NO_CONSENT)
    elif chosen.permits:
        check = TwinUseCheck(
            twin_id=twin.id, person_id=person.id, permitted=True, consent_id=chosen.consent.id
        )
    else:
        check = TwinUseCheck(
            twin_id=twin.id,
            person_id=person.id,
            permitted=False,
            consent_id=chosen.consent.id,
            failed_clauses=chosen.failed,
            code=use_code(chosen.failed, chosen.consent, use.at),
        )
    return TwinAssessment(check=check, world=world, chosen=chosen, assessments=assessments)


def check_use(request: UseRequest, twins: dict[str, TwinWorld]) -> UseCheck:
    """A brand's pre-flight: would this use at ``request.at`` be permitted, and by which consent per twin.

    Only consent clauses are checked (labels and the twins' own build verdicts are not part of a
    planned use); ``twins`` holds the consents the caller already filtered to those known at
    ``request.at``. A twin missing from ``twins`` is reported as NO_CONSENT with no person.
    """
    checks = tuple(
        assess_twin(twin_id, twins.get(twin_id), request).check for twin_id in sorted(request.twin_ids)
    )
    failing = [check for check in checks if not check.permitted]
    return UseCheck(
        permitted=not failing,
        code=failing[0].code if failing else None,
        twins=checks,
    )
