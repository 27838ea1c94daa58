"""Verdicts on a sighting: an image seen in the wild that shows a person through no registered asset
(UNREGISTERED_USE: it resembles a capture of hers; UNREGISTERED_LIKENESS: it shows her face, she being
enrolled for face matching, until its platform answers that it removed it), and a takedown notice about it
that its platform left unanswered (NOTICE_UNANSWERED).

Every fact counts from its own instant, like every other verdict as of ``T``: the sighting from its
``observedAt``, a capture it resembles from its ``capturedAt``, an asset it matches from its
``publishedAt``, a notice from its ``sentAt`` and a response from its ``respondedAt``. So an asset
published after the sighting ends UNREGISTERED_USE at its publication (from then on the sighting shows a
registered asset and inherits that asset's verdicts), and a capture recorded after the sighting starts it
at the capture's ``capturedAt`` (or at the sighting, if captured earlier).

Anchors: NO FAKES Act (US bill): online services keep their safe harbour only by removing an unauthorized
digital replica as soon as technically and practically feasible after a notice; EU Digital Services Act
art. 16 (notice and action) and art. 6 (a host that, once notified, does not act expeditiously loses
its exemption from liability).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from likeness.rules import codes
from likeness.rules.facts import NoticeFacts, SightingWorld, Verdict
from likeness.rules.liability import liable
from likeness.rules.verdicts import ordered
from likeness.rules.wording import face_phrase, instant, listing

REMOVED = "REMOVED"

# where a notice stands as of an instant (NoticeStatus in the contract's vocabulary)
OPEN, ANSWERED, OVERDUE = "OPEN", "ANSWERED", "OVERDUE"


def due_at(notice: NoticeFacts) -> datetime:
    """When the notice's response window closes: ``sentAt + responseHours``."""
    return notice.sent_at + timedelta(hours=notice.response_hours)


def removed_at(notice: NoticeFacts) -> datetime | None:
    """The first instant the platform answered that it removed the content (None: never)."""
    removals = [r.responded_at for r in notice.responses if r.outcome == REMOVED]
    return min(removals) if removals else None


def unanswered_from(notice: NoticeFacts) -> datetime | None:
    """The instant from which NOTICE_UNANSWERED holds, or None when the removal came in time.

    Half-open windows: a removal at exactly ``sentAt + responseHours`` is in time."""
    removed = removed_at(notice)
    due = due_at(notice)
    return None if removed is not None and removed <= due else due


def notice_unanswered(notice: NoticeFacts, as_of: datetime) -> bool:
    """Whether NOTICE_UNANSWERED holds for this notice as of ``as_of``: for as-of instants in
    ``[sentAt + responseHours, r)``, r the first REMOVED answer (REFUSED and COUNTER_NOTICE do not end it)."""
    start = unanswered_from(notice)
    if start is None or as_of < start:
        return False
    removed = removed_at(notice)
    return removed is None or as_of < removed


def notice_status(notice: NoticeFacts, as_of: datetime) -> str | None:
    """Where the notice stands as of ``as_of`` (None before it was sent): REMOVED once a removal is
    answered; else OVERDUE once its window has closed (exactly when NOTICE_UNANSWERED holds); else
    ANSWERED when refused or counter-noticed; else OPEN."""
    if notice.sent_at > as_of:
        return None
    known = [r for r in notice.responses if r.responded_at <= as_of]
    if any(r.outcome == REMOVED for r in known):
        return REMOVED
    if due_at(notice) <= as_of:
        return OVERDUE
    return ANSWERED if known else OPEN


def _where(world: SightingWorld) -> str:
    sighting = world.sighting
    at = f" on {sighting.platform_id}" if sighting.platform_id else ""
    url = f" at {world.url}" if world.url else ""
    return f"Sighting {sighting.id} (seen{url}{at} on {instant(sighting.observed_at)})"


def _unregistered_use(world: SightingWorld, as_of: datetime) -> Verdict | None:
    """UNREGISTERED_USE: no registered asset matches the sighting as of ``as_of``, but a capture does."""
    if any(match.published_at <= as_of for match in world.matches):
        return None
    near = sorted(
        (r for r in world.resembles if r.captured_at <= as_of), key=lambda r: (r.distance, r.capture_id)
    )
    if not near:
        return None
    persons = sorted({person for r in near for person in r.person_ids})
    closest = near[0]
    platforms = sorted(
        {
            notice.platform_id
            for notice in world.notices
            if (start := unanswered_from(notice)) is not None and start <= as_of
        }
    )
    captures = listing(f"{r.capture_id} ({r.distance} bits)" for r in near)
    hosted = (
        f" {listing(platforms)} did not remove it within the response window of a takedown notice."
        if platforms
        else ""
    )
    evidence: tuple[str, ...] = (world.sighting.id, "RESEMBLES", closest.capture_id)
    if closest.person_ids:
        evidence += ("DEPICTS", min(closest.person_ids))
    return Verdict(
        code=codes.UNREGISTERED_USE,
        subject_id=world.sighting.id,
        liable=liable([], platforms),
        evidence=evidence,
        explanation=(
            f"{_where(world)} matches no registered asset, yet shows {listing(persons)}: its perceptual "
            f"hash is within 8 bits of {'capture' if len(near) == 1 else 'captures'} {captures}. "
            f"Who published it is unknown.{hosted}"
        ),
    )


def removed_by(world: SightingWorld, as_of: datetime) -> datetime | None:
    """The first instant by ``as_of`` at which a platform answered a notice about the sighting that it
    removed it (None: not removed by then)."""
    removals = [at for notice in world.notices if (at := removed_at(notice)) is not None and at <= as_of]
    return min(removals) if removals else None


def _unregistered_likeness(world: SightingWorld, as_of: datetime) -> list[Verdict]:
    """UNREGISTERED_LIKENESS, one per enrolled person whose face the sighting shows, while it matches no
    registered asset and no platform has answered that it removed it. A face match exists only for an
    enrolled person (the upload path matches against her templates), so no template is read here."""
    if not world.faces or any(match.published_at <= as_of for match in world.matches):
        return []
    if removed_by(world, as_of) is not None:
        return []
    platforms = sorted(
        {
            notice.platform_id
            for notice in world.notices
            if (start := unanswered_from(notice)) is not None and start <= as_of
        }
    )
    hosted = (
        f" {listing(platforms)} did not remove it within the response window of a takedown notice."
        if platforms
        else ""
    )
    return [
        Verdict(
            code=codes.UNREGISTERED_LIKENESS,
            subject_id=world.sighting.id,
            liable=liable([], platforms),
            evidence=(world.sighting.id, "SHOWS_FACE_OF", face.person_id),
            explanation=(
                f"{_where(world)} matches no registered asset, yet shows {face.person_id}: "
                f"{face_phrase(face)}. Who published it is unknown.{hosted}"
            ),
        )
        for face in world.faces
    ]


def _notice_verdict(world: SightingWorld, notice: NoticeFacts, as_of: datetime) -> Verdict:
    answers = [r for r in notice.responses if r.responded_at <= as_of]
    answered = (
        " It answered "
        + listing(f"{r.outcome} on {instant(r.responded_at)}" for r in answers)
        + ", which does not end the duty to act."
        if answers
        else ""
    )
    return Verdict(
        code=codes.NOTICE_UNANSWERED,
        subject_id=world.sighting.id,
        liable=liable([notice.platform_id]),
        evidence=(world.sighting.id, "ABOUT", notice.id, "TO", notice.platform_id),
        explanation=(
            f"{_where(world)} was the subject of takedown notice {notice.id}, sent by {notice.sent_by_id} "
            f"to {notice.platform_id} on {instant(notice.sent_at)} with {notice.response_hours} hours to act "
            f"(until {instant(due_at(notice))}); {notice.platform_id} has not answered that it removed it."
            f"{answered}"
        ),
    )


def verdicts_for_sighting(world: SightingWorld, as_of: datetime) -> tuple[Verdict, ...]:
    """The sighting's own verdicts as of ``as_of`` (empty before it was observed)."""
    if world.sighting.observed_at > as_of:
        return ()
    found = [
        _notice_verdict(world, notice, as_of) for notice in world.notices if notice_unanswered(notice, as_of)
    ]
    unregistered = _unregistered_use(world, as_of)
    if unregistered is not None:
        found.append(unregistered)
    found.extend(_unregistered_likeness(world, as_of))
    return ordered(found)


def sighting_instants(world: SightingWorld) -> list[datetime]:
    """The instants at which the sighting's verdicts may change, from its observation on."""
    observed = world.sighting.observed_at
    found = {observed}
    found.update(max(r.captured_at, observed) for r in world.resembles)
    found.update(max(m.published_at, observed) for m in world.matches)
    for notice in world.notices:
        found.update((notice.sent_at, due_at(notice)))
        found.update(r.responded_at for r in notice.responses)
    return sorted(moment for moment in found if moment >= observed)
