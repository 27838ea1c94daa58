"""Synthetic worlds for benchmarks: the JSON Lines import format, at any size, from a seed
(``python -m bench seed`` writes one to a file; ``python -m bench run`` generates its own).

``generate_world(assets=N, seed=s, violation_share=v)`` streams the events of a plausible world of
twins: per 1,000 assets about 30 models (a few of them minors, signing through a registered
parent), 3 agencies, 2 vendors, 2 studios, 5 brands running 4 half-year campaigns each, ~90
captures, ~40 twins (some superseding an older version), a BUILD consent per model and ~2.5 USE
consents per grant: renewals that overlap, renewals that leave a gap, grants that end, grants that
are revoked. Assets are spread over 2025-2026; some are withdrawn, some sighted on platforms, and
payments are recorded under the consents. Three "stars" each appear in 0.5% of the assets (5,000
uses in a million-asset world), for likenessUsage.

Exactly ``floor(N * v)`` assets are *planted* violations, spread evenly over every asset verdict
code, and a few twins are planted build violations (``UNCONSENTED_BUILD``, ``FOREIGN_CAPTURE``).
A planted subject's id ends in ``--`` and its code in kebab case (``asset-00000042--no-consent``);
``planted_code`` reads it back. As of ``PLANTED_AS_OF`` each planted asset carries exactly its
code and every other asset none, so an audit can be checked against what was planted.

The generator streams: it holds the persons, twins, consents and campaigns (per 1,000 assets about
30 models and 160 consents; 140 MB of memory for a million assets), never the assets: a withdrawal
or sighting follows its asset directly, and revocations and payments come after all assets.
"""

from __future__ import annotations

import calendar
import random
import time
from bisect import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import orjson

from likeness.events.vocabulary import (
    CaptureKind,
    Channel,
    CompensationBasis,
    MediaType,
    OrganizationKind,
    words,
)

Event = dict[str, Any]
T = TypeVar("T")


def _day(year: int, month: int, day: int) -> int:
    """Midnight UTC of a calendar day, in epoch seconds."""
    return calendar.timegm((year, month, day, 0, 0, 0))


def _weighted(
    vocabulary: type[StrEnum], weights: Mapping[str, int]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A vocabulary's words with how often the world uses each, for ``rng.choices(*pair)``.

    A word given no weight weighs nothing: a word added to the vocabulary leaves every seed's world
    as it was (``choices`` draws one number per pick whatever the population).
    """
    return words(vocabulary), tuple(weights.get(member, 0) for member in vocabulary)


# fmt: off
ASSET_CODES: tuple[str, ...] = (
    "NO_CONSENT", "OUT_OF_SCOPE", "RESTRICTION_BREACHED", "NOT_YET_VALID",
    "EXPIRED", "PUBLISHED_AFTER_REVOCATION", "INVALID_SIGNATORY", "MINOR_WITHOUT_GUARDIAN",
    "INCOMPLETE_TERMS", "SUBLICENSE_NOT_PERMITTED", "LIVE_AFTER_EXPIRY", "LIVE_AFTER_REVOCATION",
    "MISSING_AI_LABEL", "MISSING_MACHINE_READABLE_MARK", "TAINTED_TWIN",
)
TWIN_CODES: tuple[str, ...] = ("UNCONSENTED_BUILD", "FOREIGN_CAPTURE")
PLANTED_MARK = "--"

DAY = 86_400
PLANTED_AS_OF = datetime(2027, 1, 1, tzinfo=UTC)
WORLD_START = _day(2025, 1, 1)
WORLD_END = calendar.timegm(PLANTED_AS_OF.timetuple())
HORIZON = _day(2028, 1, 1)  # ongoing grants run at least this long
HALF_YEARS = [_day(2025, 1, 1), _day(2025, 7, 1), _day(2026, 1, 1), _day(2026, 7, 1)]
STAR_SHARE = 0.005

CHANNELS = words(Channel)
MEDIA_TYPES = words(MediaType)  # in the order grants add them: images, then video, then audio
MEDIA_TYPES_PER_GRANT = ((1, 2, 3), (30, 60, 10))  # how many of them a grant covers
CAPTURE_KINDS = _weighted(
    CaptureKind, {CaptureKind.PHOTO: 50, CaptureKind.VIDEO: 30, CaptureKind.SCAN_3D: 15, CaptureKind.VOICE: 5}
)
COMPENSATION_BASES = _weighted(
    CompensationBasis,
    {CompensationBasis.FLAT: 70, CompensationBasis.PER_USE: 20, CompensationBasis.ROYALTY: 10},
)
PLATFORMS = {
    "INSTAGRAM": ("platform-pictagram", "Pictagram", "https://pictagram.example/p/"),
    "TIKTOK": ("platform-clipstream", "Clipstream", "https://clipstream.example/v/"),
    "YOUTUBE": ("platform-tubeway", "Tubeway", "https://tubeway.example/watch?v="),
}
TERRITORIES = (
    "SE", "NO", "DK", "FI", "DE", "NL", "BE", "FR", "ES", "IT", "PT", "GB", "IE", "PL", "AT",
    "CH", "US", "CA", "MX", "BR", "JP", "KR", "AU", "AE", "IN", "ZA", "NG", "TR", "SG",
)
JURISDICTIONS = ("US", "US", "SE", "SE", "GB", "FR", "IT", "DE", "NL", "ES", "DK", "BR", "JP", "KR", "NG")
CURRENCIES = ("EUR", "EUR", "SEK", "USD", "USD", "GBP")
PROHIBITED = ("lingerie", "swimwear", "nudity", "alcohol", "tobacco", "gambling", "political", "weapons")
TAGS = ("denim", "outerwear", "knitwear", "tailoring", "sportswear", "footwear", "accessories", "eveningwear")
SENSITIVE_TAGS = ("swimwear", "lingerie", "alcohol")
FIRST_NAMES = (
    "Liv", "Maja", "Elin", "Noor", "Ines", "Camille", "Saga", "Ebba", "Alva", "Tilde", "Amara", "Zofia",
    "Leonie", "Marta", "Yuna", "Adaeze", "Priya", "Selin", "Carmen", "Freja", "Hana", "Lucia", "Wren",
    "Ottilie", "Nadia", "Vera", "Greta", "Isla", "Juno",
)
LAST_NAMES = (
    "Åberg", "Lindqvist", "Strand", "Haddad", "Okafor", "Roux", "Berglund", "Nyström", "Falk", "Moreau",
    "Kowalczyk", "Ferreira", "Tanaka", "Adeyemi", "Varga", "Hollis", "Marchetti", "Sandoval", "Kaya",
    "Brennan", "Dahl", "Ekdahl", "Vidal", "Osei", "Park", "Quist",
)
STEMS = (
    "Nord", "Vest", "Lind", "Ask", "Fjell", "Sol", "Mar", "Vale", "Brio", "Corra", "Lume", "Orra",
    "Kaia", "Runa", "Silva", "Aur", "Bel", "Cal", "Dun", "Ember",
)
BRAND_ENDS = ("hem", "by", "strand", "ia", "ora", " & Co.", " Atelier", "wear", "vik", "lund")
VENDOR_ENDS = ("cut", "frame", "mesh", "form", "fold", "lens")
# fmt: on


def planted_code(subject_id: str) -> str | None:
    """The verdict code planted on an asset or twin id, or None for a subject meant to be clean."""
    _, mark, code = subject_id.partition(PLANTED_MARK)
    return code.upper().replace("-", "_") if mark else None


def _mark(code: str) -> str:
    return PLANTED_MARK + code.lower().replace("_", "-")


_DAYS: dict[int, str] = {}


def _instant(ts: int) -> str:
    """An epoch second as an ISO-8601 UTC instant; days are formatted once and remembered."""
    day, second = divmod(ts, DAY)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * DAY))
    hour, second = divmod(second, 3600)
    minute, second = divmod(second, 60)
    return f"{text}T{hour:02d}:{minute:02d}:{second:02d}Z"


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass(slots=True)
class _Consent:
    id: str
    signed_at: int
    valid_from: int
    valid_until: int | None
    compensation: tuple[int, str, str] | None  # cents, currency, basis


@dataclass(slots=True)
class _Person:
    id: str
    name: str
    birth: tuple[int, int, int] | None
    guardian_id: str | None
    agency_id: str | None  # the agency representing her from before the first grant on, if any
    vendor_id: str
    weight: float
    capture_ids: list[str] = field(default_factory=list)
    twin_ids: list[str] = field(default_factory=list)  # her clean twins, oldest first
    tainted_twin_id: str | None = None
    grants: list[_Grant] = field(default_factory=list)
    build_consent: _Consent | None = None

    def minor_at(self, ts: int) -> bool:
        if self.birth is None:
            return False
        day = time.gmtime(ts)
        return (day.tm_year, day.tm_mon, day.tm_mday) < (self.birth[0] + 18, self.birth[1], self.birth[2])

    def grantee_ids(self) -> set[str]:
        return {grant.brand_id for grant in self.grants}


@dataclass(slots=True)
class _Grant:
    """One person's run of USE consents to one brand, all with the same scope."""

    person: _Person
    brand_id: str
    shape: str  # ongoing | gap | ended | revoked | agency-signed | no-guardian | incomplete
    media_types: tuple[str, ...]
    channels: tuple[str, ...]
    territories: tuple[str, ...]  # ("*",) is worldwide
    prohibited: tuple[str, ...]
    allowed_tags: tuple[str, ...]
    sublicensable: bool = False
    takedown_days: int = 30
    consents: list[_Consent] = field(default_factory=list)
    opens: int = 0  # when the first consent takes effect
    closes: int = 0  # ended: when the last consent ends; revoked: the takedown deadline
    gap: tuple[int, int] = (0, 0)  # gap: the uncovered stretch between the two consents
    revoked_at: int = 0
    defect: str = ""  # incomplete: which term is missing or excessive


class _World:
    def __init__(self, assets: int, seed: int, violation_share: float) -> None:
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.assets = assets
        self.share = violation_share
        scale = assets / 1000
        self.brands = [self._brand(i) for i in range(max(6, round(5 * scale)))]
        self.vendors = [
            (f"vendor-{i:05d}", self._name(VENDOR_ENDS) + " Labs") for i in range(max(3, round(2 * scale)))
        ]
        self.agencies = [
            (f"agency-{i:05d}", f"{self.rng.choice(LAST_NAMES)} Models")
            for i in range(max(3, round(3 * scale)))
        ]
        self.studios = [
            (f"studio-{i:05d}", f"{self._name(('',))} Studio") for i in range(max(2, round(2 * scale)))
        ]
        self.persons = [self._person(i) for i in range(max(24, round(30 * scale)))]
        self.by_shape: dict[str, list[_Grant]] = {shape: [] for shape in SHAPES}
        self.tainted: list[_Grant] = []  # grants covering a planted tainted twin
        self._plan_grants()

    def _name(self, ends: tuple[str, ...]) -> str:
        return self.rng.choice(STEMS) + self.rng.choice(ends)

    def _brand(self, i: int) -> tuple[str, str, str]:
        return f"brand-{i:05d}", self._name(BRAND_ENDS), self.rng.choice(CURRENCIES)

    def _person(self, i: int) -> _Person:
        rng = self.rng
        minor = i in (3, 4) or (i >= 9 and rng.random() < 0.06)
        birth: tuple[int, int, int] | None = None
        if minor:
            birth = (rng.randint(2008, 2011), rng.randint(1, 12), rng.randint(1, 28))
        elif rng.random() < 0.6:
            birth = (rng.randint(1982, 2004), rng.randint(1, 12), rng.randint(1, 28))
        represented = i < 3 or i == 8 or rng.random() < 0.75
        return _Person(
            id=f"person-{i:06d}",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            birth=birth,
            guardian_id=f"person-{i:06d}-guardian" if minor else None,
            agency_id=rng.choice(self.agencies)[0] if represented else None,
            vendor_id=rng.choice(self.vendors)[0],
            weight=rng.lognormvariate(0, 0.75),
        )

    # ---- parties, captures, twins ------------------------------------------------------------

    def parties(self) -> Iterator[Event]:
        rng = self.rng
        for platform_id, name, _ in PLATFORMS.values():
            yield _event(
                "registerOrganization", id=platform_id, name=name, kind=OrganizationKind.PLATFORM.value
            )
        for kind, orgs in (
            (OrganizationKind.BRAND, [b[:2] for b in self.brands]),
            (OrganizationKind.VENDOR, self.vendors),
            (OrganizationKind.AGENCY, self.agencies),
            (OrganizationKind.STUDIO, self.studios),
        ):
            for org_id, name in orgs:
                yield _event("registerOrganization", id=org_id, name=name, kind=kind.value)
        for person in self.persons:
            jurisdiction = rng.choice(JURISDICTIONS)
            if person.guardian_id is not None:
                surname = person.name.rsplit(" ", 1)[1]
                yield _event(
                    "registerPerson",
                    id=person.guardian_id,
                    name=f"{rng.choice(FIRST_NAMES)} {surname}",
                    jurisdiction=jurisdiction,
                )
            yield _event(
                "registerPerson",
                id=person.id,
                name=person.name,
                birthDate="{:04d}-{:02d}-{:02d}".format(*person.birth) if person.birth else None,
                jurisdiction=jurisdiction,
            )
        for person in self.persons:
            if person.agency_id is not None:
                since = rng.randint(_day(2015, 1, 1), _day(2024, 6, 1))
                yield _event(
                    "recordRepresentation",
                    agencyId=person.agency_id,
                    personId=person.id,
                    since=_instant(since)[:10],
                )
            elif rng.random() < 0.2:  # a representation that ended before any of this began
                yield _event(
                    "recordRepresentation",
                    agencyId=rng.choice(self.agencies)[0],
                    personId=person.id,
                    since="2016-03-01",
                    until="2023-12-31",
                )

    def captures(self) -> Iterator[Event]:
        rng = self.rng
        start, end = _day(2023, 9, 1), _day(2024, 2, 28)
        for index, person in enumerate(self.persons):
            group_with = self.persons[index - 1].id if index and rng.random() < 0.05 else None
            for k in range(rng.randint(2, 4) + (group_with is not None)):
                capture_id = f"capture-{person.id[7:]}-{k}"
                person.capture_ids.append(capture_id)
                depicted = [person.id] if k or group_with is None else [person.id, group_with]
                studio = rng.random() < 0.6
                yield _event(
                    "recordCapture",
                    id=capture_id,
                    personIds=depicted,
                    kind=rng.choices(*CAPTURE_KINDS)[0],
                    sha256=f"{rng.getrandbits(256):064x}",
                    capturedAt=_instant(rng.randint(start, end)),
                    capturedById=rng.choice(self.studios)[0] if studio else person.vendor_id,
                )

    def twins(self) -> Iterator[Event]:
        rng = self.rng
        for person in self.persons:
            stem = f"twin-{person.id[7:]}"
            built = rng.randint(_day(2024, 3, 1), _day(2024, 8, 31))
            patron = rng.choice(self.brands)[0] if rng.random() < 0.7 else None
            person.twin_ids.append(f"{stem}-v1")
            yield _event(
                "buildTwin",
                id=f"{stem}-v1",
                personId=person.id,
                vendorId=person.vendor_id,
                captureIds=person.capture_ids,
                builtAt=_instant(built),
                version=1,
                commissionedById=patron,
            )
            if rng.random() < 0.25:
                person.twin_ids.append(f"{stem}-v2")
                yield _event(
                    "buildTwin",
                    id=f"{stem}-v2",
                    personId=person.id,
                    vendorId=person.vendor_id,
                    captureIds=person.capture_ids,
                    builtAt=_instant(built + rng.randint(20, 40) * DAY),
                    version=2,
                    supersedesId=f"{stem}-v1",
                    commissionedById=patron,
                )
        # planted build violations, for models whose twins an ongoing grant covers
        hosts = [p for p in self.persons[6:] if p.grants and p.grants[0].shape == "ongoing"]
        count = max(1, round(len(self.persons) * 0.015))
        for n, person in enumerate(rng.sample(hosts, min(len(hosts), 2 * count))):
            code = TWIN_CODES[n % 2]
            twin_id = f"twin-{person.id[7:]}-x{_mark(code)}"
            captures = list(person.capture_ids)
            vendor = person.vendor_id
            if code == "UNCONSENTED_BUILD":  # by a vendor she gave no BUILD consent
                while vendor == person.vendor_id:
                    vendor = rng.choice(self.vendors)[0]
            else:
                other = person
                while other is person:
                    other = rng.choice(self.persons)
                captures.append(other.capture_ids[-1])  # never a group capture: it depicts only the other
            person.tainted_twin_id = twin_id
            self.tainted.append(person.grants[0])
            yield _event(
                "buildTwin",
                id=twin_id,
                personId=person.id,
                vendorId=vendor,
                captureIds=captures,
                builtAt=_instant(rng.randint(_day(2024, 4, 1), _day(2024, 9, 30))),
                commissionedById=person.grants[0].brand_id,
            )

    # ---- consents ----------------------------------------------------------------------------

    def _plan_grants(self) -> None:
        """Who grants which brand what, and how each run of consents unfolds over the two years."""
        rng = self.rng
        brand_ids = [brand[0] for brand in self.brands]
        forced = {5: "gap", 6: "ended", 7: "revoked"}  # every shape exists even in a tiny world
        for i, person in enumerate(self.persons):
            count = 3 if i < 3 else rng.choices((1, 2, 3), (60, 30, 10))[0]
            for n, brand_id in enumerate(rng.sample(brand_ids, count)):
                if i < 3:
                    shape = "ongoing"
                elif n == 0 and i in forced:
                    shape = forced[i]
                else:
                    shape = rng.choices(CLEAN_SHAPES, (70, 10, 10, 10))[0]
                self._add_grant(person, brand_id, shape)
        adults = [p for p in self.persons[8:] if p.guardian_id is None and p.agency_id is not None]
        minors = [p for p in self.persons if p.guardian_id is not None]
        count = max(1, round(len(self.persons) * 0.03))
        signed_by_agency = rng.sample(adults, min(len(adults), count))
        incomplete = rng.sample([p for p in self.persons[8:] if p.guardian_id is None], count)
        unguarded = rng.sample(minors, max(1, round(len(minors) * 0.3)))
        for shape, persons in (
            ("agency-signed", signed_by_agency),
            ("incomplete", incomplete),
            ("no-guardian", unguarded),
        ):
            for person in persons:
                stranger = self._stranger(person)
                self._add_grant(person, stranger, shape)
        for n, grant in enumerate(self.by_shape["incomplete"]):
            grant.defect = DEFECTS[n % len(DEFECTS)]
        self.exclusive = [g for g in self.by_shape["ongoing"] if not g.sublicensable]
        self.ongoing_by_brand: dict[str, list[_Grant]] = {}
        for grant in self.by_shape["ongoing"]:
            self.ongoing_by_brand.setdefault(grant.brand_id, []).append(grant)

    def _stranger(self, person: _Person) -> str:
        """A brand the person never granted anything."""
        granted = person.grantee_ids()
        while True:
            brand_id = self.rng.choice(self.brands)[0]
            if brand_id not in granted:
                return brand_id

    def _add_grant(self, person: _Person, brand_id: str, shape: str) -> None:
        rng = self.rng
        prohibited = tuple(sorted(rng.sample(PROHIBITED, rng.randint(1, 3))))
        worldwide = rng.random() < 0.2
        grant = _Grant(
            person=person,
            brand_id=brand_id,
            shape=shape,
            media_types=MEDIA_TYPES[: rng.choices(*MEDIA_TYPES_PER_GRANT)[0]],
            channels=tuple(sorted(rng.sample(CHANNELS, rng.randint(3, 6)), key=CHANNELS.index)),
            territories=("*",) if worldwide else tuple(sorted(rng.sample(TERRITORIES, rng.randint(2, 8)))),
            prohibited=prohibited,
            allowed_tags=TAGS + tuple(tag for tag in SENSITIVE_TAGS if tag not in prohibited),
            sublicensable=shape == "ongoing" and rng.random() < 0.3,
            takedown_days=rng.choice((7, 14, 30, 30, 30, 60)),
        )
        start = rng.randint(_day(2024, 11, 1), _day(2024, 12, 20))
        if shape == "ongoing":  # renewals that overlap, running past the horizon
            valid_from = start
            while True:
                valid_until = valid_from + rng.randint(300, 540) * DAY
                self._add_consent(grant, valid_from - rng.randint(1, 20) * DAY, valid_from, valid_until)
                if valid_until >= HORIZON:
                    break
                valid_from = valid_until - rng.randint(10, 60) * DAY
        elif shape == "gap":  # the renewal is signed in time but opens weeks after the first one ends
            first_end = rng.randint(_day(2025, 5, 1), _day(2026, 1, 31))
            second_start = first_end + rng.randint(30, 90) * DAY
            self._add_consent(grant, start - rng.randint(1, 20) * DAY, start, first_end)
            self._add_consent(
                grant, first_end - rng.randint(5, 25) * DAY, second_start, HORIZON + rng.randint(0, 120) * DAY
            )
            grant.gap = (first_end, second_start)
        elif shape == "ended":  # one consent, or one overlapping renewal, and then nothing
            end = rng.randint(_day(2025, 6, 1), _day(2026, 9, 30))
            signed = start - rng.randint(1, 20) * DAY
            if end - start > 330 * DAY and rng.random() < 0.6:
                middle = start + (end - start) // 2
                self._add_consent(grant, signed, start, middle + 30 * DAY)
                self._add_consent(grant, middle - rng.randint(5, 30) * DAY, middle, end)
            else:
                self._add_consent(grant, signed, start, end)
            grant.closes = end
        elif shape == "revoked":
            self._add_consent(
                grant, start - rng.randint(1, 20) * DAY, start, HORIZON + rng.randint(0, 200) * DAY
            )
            grant.revoked_at = rng.randint(_day(2025, 4, 1), _day(2026, 9, 30))
            grant.closes = grant.revoked_at + grant.takedown_days * DAY
        else:  # a defective grant: one consent, open through the horizon, flawed in how it was made
            valid_from = rng.randint(_day(2024, 11, 1), _day(2025, 2, 28))
            self._add_consent(
                grant, valid_from - rng.randint(1, 20) * DAY, valid_from, HORIZON + rng.randint(0, 200) * DAY
            )
        grant.opens = grant.consents[0].valid_from
        person.grants.append(grant)
        self.by_shape[shape].append(grant)

    def _add_consent(self, grant: _Grant, signed_at: int, valid_from: int, valid_until: int) -> None:
        grant.consents.append(
            _Consent(
                id=f"consent-{grant.person.id[7:]}-{grant.brand_id[6:]}-{len(grant.consents) + 1}",
                signed_at=signed_at,
                valid_from=valid_from,
                valid_until=valid_until,
                compensation=self._compensation(self.brands[int(grant.brand_id[6:])][2]),
            )
        )

    def _compensation(self, currency: str) -> tuple[int, str, str]:
        rng = self.rng
        basis = rng.choices(*COMPENSATION_BASES)[0]
        if basis == CompensationBasis.FLAT:
            cents = rng.randint(20, 900) * 10_000
        elif basis == CompensationBasis.PER_USE:
            cents = rng.randint(15, 250) * 1_000
        else:  # a royalty rate, in percent
            cents = rng.randint(20, 80) * 10
        return cents, currency, basis

    def build_consents(self) -> Iterator[Event]:
        rng = self.rng
        for person in self.persons:
            signed = rng.randint(_day(2023, 12, 1), _day(2024, 2, 28))
            until = signed + 4 * 365 * DAY
            consent = _Consent(
                f"consent-{person.id[7:]}-build",
                signed,
                signed,
                until,
                self._compensation(rng.choice(CURRENCIES)),
            )
            person.build_consent = consent
            signer = person.guardian_id if person.minor_at(signed) else person.id
            yield _event(
                "grantConsent",
                id=consent.id,
                purpose="BUILD",
                personId=person.id,
                granteeId=person.vendor_id,
                signedById=signer,
                guardianId=None if signer == person.id else signer,
                negotiatedById=person.agency_id,
                signedAt=_instant(signed),
                validFrom=_instant(signed),
                validUntil=_instant(until),
                description=f"Capture sessions and the training of {person.name}'s digital twin",
                compensation=_compensation_input(consent.compensation),
                documentSha256=f"{rng.getrandbits(256):064x}",
            )

    def use_consents(self) -> Iterator[Event]:
        rng = self.rng
        for person in self.persons:
            twin_ids = person.twin_ids + ([person.tainted_twin_id] if person.tainted_twin_id else [])
            for grant in person.grants:
                brand_name = self.brands[int(grant.brand_id[6:])][1]
                reach = "worldwide" if grant.territories == ("*",) else "in " + ", ".join(grant.territories)
                description = (
                    f"{brand_name} may show {person.name}'s digital twin in "
                    f"{', '.join(c.lower() for c in grant.channels)} content {reach}"
                )
                for consent in grant.consents:
                    signer, guardian = person.id, None
                    if (
                        person.guardian_id
                        and person.minor_at(consent.signed_at)
                        and grant.shape != "no-guardian"
                    ):
                        signer = guardian = person.guardian_id
                    if grant.shape == "agency-signed" and person.agency_id:
                        signer = person.agency_id
                    valid_until: int | None = consent.valid_until
                    if grant.defect == "compensation":
                        consent.compensation = None
                    elif grant.defect == "validUntil":
                        valid_until = consent.valid_until = None
                    elif grant.defect == "term":
                        valid_until = consent.valid_until = consent.valid_from + 12 * 366 * DAY
                    yield _event(
                        "grantConsent",
                        id=consent.id,
                        purpose="USE",
                        personId=person.id,
                        granteeId=grant.brand_id,
                        twinIds=twin_ids,
                        signedById=signer,
                        guardianId=guardian,
                        negotiatedById=person.agency_id,
                        signedAt=_instant(consent.signed_at),
                        validFrom=_instant(consent.valid_from),
                        validUntil=None if valid_until is None else _instant(valid_until),
                        mediaTypes=list(grant.media_types),
                        channels=list(grant.channels),
                        territories=list(grant.territories),
                        prohibitedContent=list(grant.prohibited),
                        description=None if grant.defect == "description" else description,
                        compensation=_compensation_input(consent.compensation),
                        sublicensable=grant.sublicensable or None,
                        takedownDays=None if grant.takedown_days == 30 else grant.takedown_days,
                        documentSha256=f"{rng.getrandbits(256):064x}",
                    )

    def campaigns(self) -> Iterator[Event]:
        for brand_id, name, _ in self.brands:
            for half, starts in enumerate(HALF_YEARS):
                ends = HALF_YEARS[half + 1] if half < 3 else WORLD_END
                season = "Spring/Summer" if half % 2 == 0 else "Autumn/Winter"
                yield _event(
                    "createCampaign",
                    id=f"campaign-{brand_id[6:]}-{half}",
                    brandId=brand_id,
                    name=f"{name} {season} {2025 + half // 2}",
                    startsAt=_instant(starts),
                    endsAt=_instant(ends - 1),
                )

    # ---- assets ------------------------------------------------------------------------------

    def assets_with_aftermath(self) -> Iterator[Event]:
        """Every asset, each followed by its withdrawal and sightings, if any."""
        rng = self.rng
        clean = [g for p in self.persons[3:] for g in p.grants if g.shape in CLEAN_SHAPES]
        cumulative: list[float] = []
        total = 0.0
        for grant in clean:
            # a licence that lapses or is revoked sees less use than one that runs on
            total += (
                grant.person.weight / len(grant.person.grants) * (1.0 if grant.shape == "ongoing" else 0.3)
            )
            cumulative.append(total)
        star_grants = [grant for star in self.persons[:3] for grant in star.grants]
        star_chance = min(1.0, 3 * STAR_SHARE / max(1e-9, 1 - self.share))
        offset = rng.randrange(len(ASSET_CODES))
        share, random, pick = self.share, self._random, self._pick
        for i in range(self.assets):
            planted_before = int(i * share)
            if int((i + 1) * share) > planted_before:
                yield from self._planted(i, ASSET_CODES[(planted_before + offset) % len(ASSET_CODES)])
            elif random() < star_chance:
                yield from self._clean(i, pick(star_grants))
            else:
                yield from self._clean(i, clean[bisect(cumulative, random() * total)])

    def _between(self, low: int, high: int) -> int:
        """A uniform integer in ``[low, high]``: ``randint`` without its argument checks, which cost."""
        return low + int(self._random() * (high - low + 1))

    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def _some(self, items: Sequence[str], count: int) -> list[str]:
        """``count`` distinct items (all of them if there are fewer), sorted."""
        if count >= len(items):
            return sorted(items)
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(self._pick(items))
        return sorted(chosen)

    def _clean(self, i: int, grant: _Grant) -> list[Event]:
        random, between = self._random, self._between
        withdrawn: int | None = None
        if grant.shape == "ongoing":
            published = between(WORLD_START, WORLD_END - 1)
            if random() < 0.08:
                withdrawn = published + between(3, 400) * DAY
        elif grant.shape == "gap":  # published while one of the two consents runs; gone before the gap
            first_end, second_start = grant.gap
            before, after = first_end - 2 * DAY - WORLD_START, WORLD_END - second_start
            if random() * (before + after) < before:
                published = between(WORLD_START, first_end - 2 * DAY)
                withdrawn = between(published + 3600, first_end - 3600)
            else:
                published = between(second_start, WORLD_END - 1)
        else:  # ended or revoked: published while covered, taken down in time
            published = between(WORLD_START, (grant.revoked_at or grant.closes) - 2 * DAY)
            withdrawn = between(published + 3600, grant.closes - 3600)
        media, channel, territories, tags = self._use(grant)
        twin_ids = [self._twin(grant.person)]
        publisher, sublicensor = grant.brand_id, None
        if grant.sublicensable and random() < 0.1:
            while publisher == grant.brand_id:
                publisher = self._pick(self.brands)[0]
            sublicensor = grant.brand_id
        elif grant.shape == "ongoing" and random() < 0.04:
            partner = self._pick(self.ongoing_by_brand[grant.brand_id])
            if (
                partner.person is not grant.person
                and media in partner.media_types
                and channel in partner.channels
                and (partner.territories == ("*",) or set(territories) <= set(partner.territories))
                and not set(tags) & set(partner.prohibited)
            ):
                twin_ids.append(self._twin(partner.person))
        if withdrawn is not None and withdrawn >= WORLD_END:
            withdrawn = None
        return self._publish(
            f"asset-{i:08d}",
            publisher,
            twin_ids,
            published,
            media,
            channel,
            territories,
            tags,
            withdrawn=withdrawn,
            sublicensor=sublicensor,
            sighting_chance=0.02,
        )

    def _planted(self, i: int, code: str) -> list[Event]:
        pick, between = self._pick, self._between
        by_shape = self.by_shape
        published = between(WORLD_START, WORLD_END - 1)
        withdrawn: int | None = None
        sighted_after: int | None = None
        if code == "NOT_YET_VALID":
            grant = pick(by_shape["gap"])
            published = between(grant.gap[0], grant.gap[1] - 1)
        elif code in ("EXPIRED", "LIVE_AFTER_EXPIRY"):
            grant = pick(by_shape["ended"])
            if code == "EXPIRED":
                published = between(grant.closes, WORLD_END - 1)
            else:
                published, sighted_after = between(WORLD_START, grant.closes - DAY), grant.closes
        elif code in ("PUBLISHED_AFTER_REVOCATION", "LIVE_AFTER_REVOCATION"):
            grant = pick(by_shape["revoked"])
            if code == "PUBLISHED_AFTER_REVOCATION":  # and taken down in time, so only the publication counts
                published = between(grant.revoked_at, grant.closes - 7200)
                withdrawn = between(published + 600, grant.closes - 600)
            else:
                published, sighted_after = between(WORLD_START, grant.revoked_at - DAY), grant.closes
        elif code in DEFECTIVE_SHAPES:
            grant = pick(by_shape[DEFECTIVE_SHAPES[code]])
            published = between(max(grant.opens, WORLD_START), WORLD_END - 1)
        elif code == "TAINTED_TWIN":
            grant = pick(self.tainted)
        elif code == "SUBLICENSE_NOT_PERMITTED":
            grant = pick(self.exclusive)
        else:
            grant = pick(by_shape["ongoing"])
        media, channel, territories, tags = self._use(grant)
        twin_ids = [self._twin(grant.person)]
        publisher, sublicensor = grant.brand_id, None
        if code == "TAINTED_TWIN":
            twin_ids = [grant.person.tainted_twin_id or ""]
        elif code == "NO_CONSENT":
            publisher = self._stranger(grant.person)
        elif code == "SUBLICENSE_NOT_PERMITTED":
            publisher, sublicensor = self._stranger(grant.person), grant.brand_id
        elif code == "OUT_OF_SCOPE":
            media, channel, territories = self._out_of_scope(grant, media, channel, territories)
        elif code == "RESTRICTION_BREACHED":
            tags = sorted({*tags, pick(grant.prohibited)})
        return self._publish(
            f"asset-{i:08d}{_mark(code)}",
            publisher,
            twin_ids,
            published,
            media,
            channel,
            territories,
            tags,
            withdrawn=withdrawn,
            sublicensor=sublicensor,
            labelled=code != "MISSING_AI_LABEL",
            marked=code != "MISSING_MACHINE_READABLE_MARK",
            sighting_chance=0.5 if sighted_after else 0.02,
            sighted_after=sighted_after,
        )

    def _out_of_scope(
        self, grant: _Grant, media: str, channel: str, territories: list[str]
    ) -> tuple[str, str, list[str]]:
        """The same use, pushed outside the grant along one scope clause."""
        rng = self.rng
        clause = rng.choice(("mediaType", "channel", "territory"))
        if clause == "mediaType" and len(grant.media_types) < len(MEDIA_TYPES):
            return MEDIA_TYPES[len(grant.media_types)], channel, territories
        if clause == "territory" and grant.territories != ("*",):
            foreign = rng.choice([t for t in TERRITORIES if t not in grant.territories])
            return media, channel, sorted({*territories, foreign})
        return media, rng.choice([c for c in CHANNELS if c not in grant.channels]), territories

    def _use(self, grant: _Grant) -> tuple[str, str, list[str], list[str]]:
        """A use inside the grant's scope: media type, channel, territories, content tags."""
        random, pick = self._random, self._pick
        media = grant.media_types[0] if random() < 0.6 else pick(grant.media_types)
        pool = TERRITORIES if grant.territories == ("*",) else grant.territories
        territories = self._some(pool, 1 + int(random() * 3))
        tags = self._some(grant.allowed_tags, pick((0, 1, 1, 2)))
        return media, pick(grant.channels), territories, tags

    def _twin(self, person: _Person) -> str:
        """Mostly her latest twin; now and then a superseded version still in use."""
        twins = person.twin_ids
        return twins[-1] if len(twins) == 1 or self._random() < 0.85 else twins[0]

    def _publish(
        self,
        asset_id: str,
        publisher: str,
        twin_ids: list[str],
        published: int,
        media: str,
        channel: str,
        territories: list[str],
        tags: list[str],
        *,
        withdrawn: int | None,
        sublicensor: str | None,
        sighting_chance: float,
        labelled: bool = True,
        marked: bool = True,
        sighted_after: int | None = None,
    ) -> list[Event]:
        """The asset's events: its publication, then its withdrawal and sightings, if any."""
        rng, random = self.rng, self._random
        sha256 = f"{rng.getrandbits(256):064x}"
        phash = rng.getrandbits(64)
        asset: Event = {
            "id": asset_id,
            "publisherId": publisher,
            "twinIds": twin_ids,
            "sha256": sha256,
            "phash": f"{phash:016x}",
            "mediaType": media,
            "channel": channel,
            "territories": territories,
            "publishedAt": _instant(published),
            "aiLabel": labelled,
            "machineReadableMark": marked,
        }
        if random() < 0.9:
            asset["campaignId"] = f"campaign-{publisher[6:]}-{bisect(HALF_YEARS, published) - 1}"
        if tags:
            asset["contentTags"] = tags
        if sublicensor is not None:
            asset["sublicensedFromId"] = sublicensor
        events: list[Event] = [{"op": "publishAsset", "input": asset}]
        if withdrawn is not None:
            events.append(
                {"op": "withdrawAsset", "input": {"assetId": asset_id, "withdrawnAt": _instant(withdrawn)}}
            )
        if random() < sighting_chance:
            seen_from = (sighted_after or published) + 3600
            seen_until = min(withdrawn or WORLD_END, WORLD_END) - 1
            for k in range(1 if random() < 0.8 else 2):
                if seen_from < seen_until:
                    events.append(
                        self._sighting(
                            f"sighting-{asset_id[6:14]}-{k}",
                            channel,
                            self._between(seen_from, seen_until),
                            sha256,
                            phash,
                        )
                    )
        return events

    def _sighting(
        self, sighting_id: str, channel: str, observed: int, sha256: str | None, phash: int
    ) -> Event:
        """A copy found in the wild: the very file, or a re-encoded one within 8 bits of its phash."""
        rng = self.rng
        platform = PLATFORMS.get(channel)
        sighting: Event = {"id": sighting_id, "observedAt": _instant(observed)}
        if platform is not None:
            sighting["url"] = f"{platform[2]}{rng.getrandbits(40):010x}"
            sighting["platformId"] = platform[0]
        else:
            sighting["url"] = (
                f"https://{rng.choice(('modefynd', 'outlet-deals', 'lookbook-archive'))}.example/"
                f"{rng.getrandbits(32):08x}"
            )
        if sha256 is not None and rng.random() < 0.5:
            sighting["sha256"] = sha256
        else:
            for bit in rng.sample(range(64), rng.randint(0, 8)):
                phash ^= 1 << bit
        sighting["phash"] = f"{phash:016x}"
        return {"op": "reportSighting", "input": sighting}

    # ---- what follows the assets -------------------------------------------------------------

    def revocations(self) -> Iterator[Event]:
        for grant in self.by_shape["revoked"]:
            yield _event(
                "revokeConsent",
                consentId=grant.consents[0].id,
                revokedAt=_instant(grant.revoked_at),
                reason=self.rng.choice(REVOCATION_REASONS),
            )

    def stray_sightings(self) -> Iterator[Event]:
        """Sightings that match nothing registered: an investigator's dead ends."""
        rng = self.rng
        for k in range(max(1, self.assets // 2000)):
            yield self._sighting(
                f"sighting-stray-{k:06d}",
                rng.choice(CHANNELS),
                rng.randint(WORLD_START, WORLD_END - 1),
                None,
                rng.getrandbits(64),
            )

    def payments(self) -> Iterator[Event]:
        for person in self.persons:
            if person.build_consent is not None:
                yield from self._payments(person.build_consent, None)
            for grant in person.grants:
                for consent in grant.consents:
                    yield from self._payments(consent, grant.revoked_at or None)

    def _payments(self, consent: _Consent, revoked_at: int | None) -> Iterator[Event]:
        rng = self.rng
        if consent.compensation is None:
            return
        cents, currency, basis = consent.compensation
        start = max(consent.valid_from, consent.signed_at)
        end = min(consent.valid_until or WORLD_END, WORLD_END, revoked_at or WORLD_END)
        if end - start < DAY:
            return
        if basis == CompensationBasis.FLAT:
            parts = rng.choice((1, 1, 2))
            amounts = [cents // parts] * parts
        elif basis == CompensationBasis.PER_USE:
            amounts = [cents * rng.randint(1, 6) for _ in range(rng.randint(1, 4))]
        else:
            amounts = [rng.randint(50, 2_000) * 1_000 for _ in range(rng.randint(1, 4))]
        for k, amount in enumerate(amounts):
            yield _event(
                "recordPayment",
                id=f"payment-{consent.id[8:]}-{k + 1}",
                consentId=consent.id,
                amount=_money(amount),
                currency=currency,
                paidAt=_instant(rng.randint(start, end - 1)),
            )

    def events(self) -> Iterator[Event]:
        yield from self.parties()
        yield from self.captures()
        yield from self.twins()
        yield from self.build_consents()
        yield from self.use_consents()
        yield from self.campaigns()
        yield from self.assets_with_aftermath()
        yield from self.revocations()
        yield from self.stray_sightings()
        yield from self.payments()


CLEAN_SHAPES = ("ongoing", "gap", "ended", "revoked")
SHAPES = (*CLEAN_SHAPES, "agency-signed", "no-guardian", "incomplete")
DEFECTIVE_SHAPES = {
    "INVALID_SIGNATORY": "agency-signed",
    "MINOR_WITHOUT_GUARDIAN": "no-guardian",
    "INCOMPLETE_TERMS": "incomplete",
}
DEFECTS = ("description", "compensation", "validUntil", "term")
REVOCATION_REASONS = (
    "She no longer wants her twin used by this brand",
    "The brand used her twin next to content she objected to",
    "She signed with a competing brand",
    "Her agency renegotiated her digital-likeness terms",
)


def _event(op: str, **fields: Any) -> Event:
    return {"op": op, "input": {name: value for name, value in fields.items() if value is not None}}


def _compensation_input(terms: tuple[int, str, str] | None) -> dict[str, str] | None:
    if terms is None:
        return None
    cents, currency, basis = terms
    return {"amount": _money(cents), "currency": currency, "basis": basis}


def generate_world(*, assets: int, seed: int = 0, violation_share: float = 0.1) -> Iterator[Event]:
    """The events of a synthetic world of ``assets`` assets in import order; the same seed, the same world."""
    if assets < 0:
        raise ValueError(f"assets must be zero or more, got {assets}")
    if not 0.0 <= violation_share <= 1.0:
        raise ValueError(f"violation_share must lie between 0 and 1, got {violation_share}")
    return _World(assets, seed, violation_share).events()


def write_world(path: Path | str, *, assets: int, seed: int = 0, violation_share: float = 0.1) -> int:
    """Writes a synthetic world to a JSON Lines file; returns how many events it holds."""
    count = 0
    dumps = orjson.dumps
    with open(path, "wb", buffering=1 << 20) as out:
        for event in generate_world(assets=assets, seed=seed, violation_share=violation_share):
            out.write(dumps(event) + b"\n")
            count += 1
    return count
