"""Consent windows: when a consent is in force, and how several windows join into coverage.

Windows are half-open, ``[start, end)``; ``end`` None means open-ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from likeness.rules.facts import ConsentFacts

Window = tuple[datetime, datetime | None]
Item = TypeVar("Item")


def days_after(instant: datetime, days: int) -> datetime:
    """``instant`` plus ``days``, held at the last instant of year 9999 (instants live in 0001–9999, and a
    deadline past the end of that range is, for every instant one can ask about, still ahead)."""
    last = datetime.max.replace(tzinfo=instant.tzinfo)
    if last - instant <= timedelta(days=days):
        return last
    return instant + timedelta(days=days)


def revocation_deadline(consent: ConsentFacts) -> datetime | None:
    """When a revoked consent stops covering uses already live: revokedAt + takedownDays (else None)."""
    if consent.revoked_at is None:
        return None
    return days_after(consent.revoked_at, consent.takedown_days)


def effective_window(consent: ConsentFacts) -> Window:
    """The half-open window in which a consent is in force (DESIGN rule 7).

    It opens at ``max(validFrom, signedAt)``: a consent cannot be backdated before it was signed
    (NY Fashion Workers Act: written consent precedes the use). It closes at the earliest of
    ``validUntil`` and, if revoked, ``revokedAt + takedownDays``.
    """
    start = max(consent.valid_from, consent.signed_at)
    end = consent.valid_until
    deadline = revocation_deadline(consent)
    if deadline is not None and (end is None or deadline < end):
        end = deadline
    return start, end


def ends_by_revocation(consent: ConsentFacts) -> bool:
    """Whether the consent's window closes because it was revoked rather than because it ran out.

    When the takedown deadline and ``validUntil`` coincide the revocation is named: the person acted.
    """
    deadline = revocation_deadline(consent)
    return deadline is not None and (consent.valid_until is None or deadline <= consent.valid_until)


def within(window: Window, moment: datetime) -> bool:
    """Whether an instant lies in a half-open window."""
    start, end = window
    return start <= moment and (end is None or moment < end)


def is_empty(window: Window) -> bool:
    """Whether a window holds no instant at all (it closes at or before it opens)."""
    start, end = window
    return end is not None and end <= start


@dataclass(frozen=True)
class Stretch(Generic[Item]):
    """One connected piece of a union of windows, with the items whose windows make it up."""

    start: datetime
    end: datetime | None
    members: tuple[Item, ...]


def stretch_containing(windows: Iterable[tuple[Window, Item]], moment: datetime) -> Stretch[Item] | None:
    """The connected piece of the union of the windows that contains ``moment`` (None if uncovered).

    Windows that touch (one ends exactly where the next begins) join: there is no instant between them.
    """
    ordered: Sequence[tuple[Window, Item]] = sorted(
        (entry for entry in windows if not is_empty(entry[0])), key=lambda entry: entry[0][0]
    )
    start: datetime | None = None
    end: datetime | None = None
    members: list[Item] = []
    for (window_start, window_end), item in ordered:
        if members and (end is None or window_start <= end):
            members.append(item)
            end = None if end is None or window_end is None else max(end, window_end)
            continue
        if start is not None and within((start, end), moment):
            return Stretch(start, end, tuple(members))
        if window_start > moment:
            return None
        start, end, members = window_start, window_end, [item]
    if start is not None and within((start, end), moment):
        return Stretch(start, end, tuple(members))
    return None
