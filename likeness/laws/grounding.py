"""Which laws ground a verdict: the ENACTED packs in force at the verdict's relevant instant whose
conditions hold (DESIGN.md, "Law packs").

A law applies through the facts its pack's ``appliesTo`` names, each at its own instant:

- ``ASSET``: the asset's territories, on the day it was published;
- ``CONSENT``: the person's jurisdiction, on the day the consent was signed (the subject's own instant
  when no consent is examined, as for ``NO_CONSENT``);
- ``NOTICE``: the platform's jurisdiction, on the day the notice was sent, and only for notices of the
  grounding's ``category`` and ``ordered`` when it names them.

A PROPOSED law whose conditions hold is listed apart (``would_break``) and grounds nothing. Nothing here
decides a verdict's code or span: the rules do, from the facts alone; the laws only say which statutes
the same facts also break. The one place a law changes an answer is the notice clock (``clock``) and
whether a consent needs representation (``representation_required``), both as DESIGN says.

Pure: no I/O, no clock. Instants are timezone-aware; a law's days are UTC days.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from likeness.laws.packs import ASSET, CONSENT, ENACTED, EU, NOTICE, Grounding, LawBook, LawPack

EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip

# a notice's clock when no law in force sets one and the notice gives none
DEFAULT_RESPONSE_HOURS = 72
CONSENT_UNENFORCEABLE = "CONSENT_UNENFORCEABLE"


def covers(law_place: str, place: str) -> bool:
    """Whether a law of `law_place` reaches `place`: the same place; ``EU`` reaches each member state;
    a country reaches its ISO 3166-2 subdivisions (``US`` reaches ``US-NY``)."""
    if law_place == place:
        return True
    if law_place == EU:
        return place in EU_MEMBER_STATES or place.split("-", 1)[0] in EU_MEMBER_STATES
    return "-" not in law_place and place.startswith(law_place + "-")


def country_of(place: str) -> str:
    """``US`` for ``US-NY``; a country or ``EU`` for itself."""
    return place.split("-", 1)[0]


@dataclass(frozen=True)
class AssetOccasion:
    """An asset's territories, at publication."""

    territories: frozenset[str]
    at: datetime


@dataclass(frozen=True)
class ConsentOccasion:
    """The jurisdictions of the persons a verdict concerns, at the consent's signing (or the subject's
    own instant when no consent is examined)."""

    jurisdictions: frozenset[str]
    at: datetime


@dataclass(frozen=True)
class NoticeOccasion:
    """A takedown notice: the platform's jurisdiction, when it was sent, and what kind of notice."""

    jurisdictions: frozenset[str]
    at: datetime
    category: str | None = None
    ordered: bool = False


@dataclass(frozen=True)
class LawRef:
    """A law (one version) as a verdict or a question names it, with the places it applied through."""

    id: str
    version: int
    title: str
    article: str
    jurisdictions: tuple[str, ...]
    status: str
    in_force_from: date | None
    in_force_until: date | None
    places: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def jurisdiction(self) -> str:
        """The law's first (almost always only) jurisdiction."""
        return self.jurisdictions[0]


@dataclass(frozen=True)
class Grounded:
    """The ENACTED laws a verdict breaks (``laws``) and the PROPOSED ones it would (``would_break``)."""

    laws: tuple[LawRef, ...] = ()
    would_break: tuple[LawRef, ...] = ()


@dataclass(frozen=True)
class Clock:
    """A notice's response window in hours, and the law that sets it (None: the default)."""

    hours: int
    law: LawRef | None = None


def day_of(instant: datetime) -> date:
    return instant.astimezone(UTC).date()


def reference(pack: LawPack, grounding: Grounding, places: Iterable[str] = ()) -> LawRef:
    return LawRef(
        id=pack.id,
        version=pack.version,
        title=pack.title,
        article=grounding.article,
        jurisdictions=pack.jurisdictions,
        status=pack.status,
        in_force_from=pack.in_force_from,
        in_force_until=pack.in_force_until,
        places=tuple(sorted(set(places))),
    )


def _reached(pack: LawPack, places: Iterable[str]) -> list[str]:
    return [place for place in places if any(covers(law, place) for law in pack.jurisdictions)]


def _fits(grounding: Grounding, category: str | None, ordered: bool) -> bool:
    """Whether a grounding limited to a notice category or to ordered takedowns speaks of this notice."""
    if grounding.category is not None and grounding.category != category:
        return False
    return grounding.ordered is None or grounding.ordered == ordered


# an occasion as grounding reads it: where, on which UTC day, and (notices) category and ordered
_Where = tuple[str, frozenset[str], date, str | None, bool]


def _pack_for(book: LawBook, law_id: str, day: date) -> LawPack | None:
    """The version of `law_id` that speaks on `day`: the ENACTED one in force, else the latest PROPOSED
    one while none is (LawBook.enacted_at / proposed)."""
    enacted = book.enacted_at(law_id, day)
    if enacted is not None:
        return enacted
    proposals = [pack for pack in book.versions(law_id) if pack.status != ENACTED]
    return proposals[-1] if proposals else None


def ground(
    book: LawBook,
    code: str,
    *,
    asset: AssetOccasion | None = None,
    consent: ConsentOccasion | None = None,
    notices: Sequence[NoticeOccasion] = (),
) -> Grounded:
    """The laws whose packs ground `code` and apply through one of the given occasions, each judged at
    its occasion's day: ENACTED ones in force that day in ``laws``, PROPOSED ones in ``would_break``."""
    occasions: list[_Where] = []
    if asset is not None:
        occasions.append((ASSET, asset.territories, day_of(asset.at), None, False))
    if consent is not None:
        occasions.append((CONSENT, consent.jurisdictions, day_of(consent.at), None, False))
    for notice in notices:
        occasions.append((NOTICE, notice.jurisdictions, day_of(notice.at), notice.category, notice.ordered))
    return _ground(book, code, tuple(occasions))


# a store of thousands of verdicts asks the same few (code, places, day) questions again and again
@functools.lru_cache(maxsize=65536)
def _ground(book: LawBook, code: str, occasions: tuple[_Where, ...]) -> Grounded:
    laws: dict[str, LawRef] = {}
    would: dict[str, LawRef] = {}
    for law_id in book.ids:
        for applies, places, day, category, ordered in occasions:
            pack = _pack_for(book, law_id, day)
            if pack is None or applies not in pack.applies_to:
                continue
            grounding = next((g for g in pack.grounds if g.code == code), None)
            if grounding is None or (applies == NOTICE and not _fits(grounding, category, ordered)):
                continue
            reached = _reached(pack, places)
            if not reached:
                continue
            found = laws if pack.status == ENACTED else would
            known = found.get(pack.key)
            merged = reached + list(known.places if known is not None else ())
            found[pack.key] = reference(pack, grounding, merged)
    return Grounded(
        laws=tuple(laws[key] for key in sorted(laws)), would_break=tuple(would[key] for key in sorted(would))
    )


def named(book: LawBook, keys: Iterable[str], code: str) -> tuple[LawRef, ...]:
    """The laws a stored verdict names by ``ID@version`` (its ``laws`` or ``would_break``), each with
    the article grounding `code`; a key the book does not hold is left out."""
    packs = {pack.key: pack for pack in book.packs}
    found: list[LawRef] = []
    for key in keys:
        pack = packs.get(key)
        grounding = None if pack is None else next((g for g in pack.grounds if g.code == code), None)
        if pack is not None and grounding is not None:
            found.append(reference(pack, grounding))
    return tuple(found)


def places_of(laws: Iterable[LawRef]) -> list[str]:
    """Where the grounding laws speak, for the audit's jurisdiction filter: each law's jurisdictions, the
    places it applied through, and the country of each subdivision among them."""
    found: set[str] = set()
    for law in laws:
        for place in (*law.jurisdictions, *law.places):
            found.add(place)
            found.add(country_of(place))
    return sorted(found)


def clock(book: LawBook, notice: NoticeOccasion) -> Clock:
    """The response window of a notice that gives none: the shortest a law in force on its day sets for
    such a notice on a platform of its jurisdiction, else 72 hours."""
    day = day_of(notice.at)
    best: Clock | None = None
    for pack in book.in_force(day):
        if NOTICE not in pack.applies_to or not _reached(pack, notice.jurisdictions):
            continue
        for grounding in pack.grounds:
            if grounding.response_hours is None or not _fits(grounding, notice.category, notice.ordered):
                continue
            if best is None or grounding.response_hours < best.hours:
                best = Clock(
                    grounding.response_hours, reference(pack, grounding, _reached(pack, notice.jurisdictions))
                )
    return best or Clock(DEFAULT_RESPONSE_HOURS)


def representation_required(book: LawBook, jurisdiction: str | None, at: datetime) -> LawRef | None:
    """The ENACTED law in force on `at`'s day, reaching the person's `jurisdiction`, under which a
    digital-replica consent replacing in-person work needs counsel or a union agreement
    (``CONSENT_UNENFORCEABLE``); None when none does or the jurisdiction is not known."""
    if jurisdiction is None:
        return None
    for pack in book.in_force(day_of(at)):
        if CONSENT not in pack.applies_to or not _reached(pack, (jurisdiction,)):
            continue
        for grounding in pack.grounds:
            if grounding.code == CONSENT_UNENFORCEABLE:
                return reference(pack, grounding, (jurisdiction,))
    return None
