"""Plain-English pieces for verdict explanations: instants, lists, and why a clause failed.

Explanations name ids and dates only, never the as-of instant, so a verdict reads the same for every
instant it holds at.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from likeness.rules.clauses import outside_territories, prohibited_tags
from likeness.rules.facts import ConsentFacts, FaceMatchFacts, PersonFacts, UseRequest
from likeness.rules.terms import terms_problems
from likeness.rules.windows import effective_window, ends_by_revocation


def instant(moment: datetime) -> str:
    """An instant as a reader expects it: the day alone at midnight UTC, else day and time in UTC."""
    utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc.strftime("%Y-%m-%d")
    if utc.microsecond:
        return utc.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    return utc.strftime("%Y-%m-%d %H:%M:%S UTC")


def listing(items: Iterable[str]) -> str:
    """Items joined for a sentence: "a", "a and b", "a, b and c"."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def window_phrase(consent: ConsentFacts) -> str:
    """The consent's window in words, saying why it opens and closes where it does."""
    start, end = effective_window(consent)
    opens = f"opens on {instant(start)}"
    if consent.valid_from < consent.signed_at:
        opens += f" (it was signed on {instant(consent.signed_at)} and cannot be backdated)"
    if end is None:
        return f"{opens} and never closes"
    if ends_by_revocation(consent) and consent.revoked_at is not None:
        closes = (
            f"closes on {instant(end)}, {consent.takedown_days} days after it was revoked on "
            f"{instant(consent.revoked_at)}"
        )
    else:
        closes = f"closes on {instant(end)}"
    return f"{opens} and {closes}"


def clause_phrase(
    clause: str, consent: ConsentFacts, person: PersonFacts, moment: datetime, use: UseRequest | None
) -> str:
    """Why ``consent`` fails ``clause`` for a use (or, with ``use`` None, a build) at ``moment``."""
    k = consent.id
    if clause == "signatory":
        return (
            f"{k} was signed by {consent.signed_by_id}, not by {person.id} herself "
            "or, while she was a minor, her recorded guardian"
        )
    if clause == "guardian":
        return (
            f"{person.id} was under 18 when {k} was signed on {instant(consent.signed_at)} "
            "and no guardian is recorded"
        )
    if clause == "terms":
        return f"{k} has {listing(terms_problems(consent, person))}"
    if clause == "enforceable":
        law = f"the law of {person.jurisdiction}" if person.jurisdiction else "her law"
        return (
            f"{k} replaces work {person.id} would otherwise do in person and she signed it with neither a "
            f"lawyer nor a union agreement: under {law}, in force when she signed, it is unenforceable"
        )
    if clause == "sublicense" and use is not None:
        return (
            f"{k} was granted to {consent.grantee_id} and does not allow sublicensing to {use.publisher_id}"
        )
    if clause == "revoked" and consent.revoked_at is not None:
        return f"{k} was revoked on {instant(consent.revoked_at)}, at or before {instant(moment)}"
    if clause == "content" and use is not None:
        return f"{k} prohibits {listing(prohibited_tags(consent, use.content_tags))} content"
    if clause == "mediaType" and use is not None:
        allowed = listing(sorted(consent.media_types or ()))
        return f"{k} does not allow media type {use.media_type} (only {allowed})"
    if clause == "channel" and use is not None:
        return f"{k} does not allow channel {use.channel} (only {listing(sorted(consent.channels or ()))})"
    if clause == "territory" and use is not None:
        return (
            f"{k} does not cover territory {listing(outside_territories(consent, use.territories))} "
            f"(only {listing(sorted(consent.territories or ()))})"
        )
    if clause == "window":
        return f"{instant(moment)} is outside {k}'s window, which {window_phrase(consent)}"
    return f"{k} fails the {clause} clause"


def failures_sentence(
    failed: Iterable[str],
    consent: ConsentFacts,
    person: PersonFacts,
    moment: datetime,
    use: UseRequest | None,
) -> str:
    """Every failed clause of a consent, as one clause of a sentence."""
    return "; ".join(clause_phrase(clause, consent, person, moment, use) for clause in failed)


def face_phrase(face: FaceMatchFacts) -> str:
    """Where a face of an enrolled person was found and how near it is: the box, the frame, the distance
    against the threshold, the model and the nearest enrolled capture (never the template)."""
    left, top, right, bottom = face.box
    frame = f" at {face.frame_time:g} s" if face.frame_time else ""
    return (
        f"the face in box [{left}, {top}, {right}, {bottom}]{frame} is {face.person_id}'s: at distance "
        f"{face.distance:.3f} (threshold {face.threshold:g}, model {face.model}) from her enrolled capture "
        f"{face.capture_id}"
    )
