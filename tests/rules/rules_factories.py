"""Small factories for rule facts: a valid, permitted world unless a test says otherwise."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from likeness.rules import (
    AssetFacts,
    AssetWorld,
    CompensationFacts,
    ConsentFacts,
    PersonFacts,
    SightingFacts,
    TwinFacts,
    TwinWorld,
    Verdict,
)

T0 = datetime(2025, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)
END_OF_YEAR = T0 + timedelta(days=365)
PAY = CompensationFacts(amount=Decimal(5000), currency="EUR", basis="FLAT")


def day(offset: float) -> datetime:
    """The instant ``offset`` days after 2025-01-01 00:00 UTC."""
    return T0 + timedelta(days=offset)


def consent(
    id: str = "K1",
    *,
    person_id: str = "P1",
    grantee_id: str = "B1",
    twin_ids: tuple[str, ...] = ("T1",),
    signed_by_id: str | None = None,
    signed_at: datetime | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = END_OF_YEAR,
    **changes: Any,
) -> ConsentFacts:
    """A USE consent by P1 to B1 for T1, signed by her on day -10, valid for the year 2025."""
    signed = signed_at if signed_at is not None else day(-10)
    fields: dict[str, Any] = {
        "purpose": "USE",
        "description": "Instagram and e-commerce images of the spring collection",
        "compensation": PAY,
    }
    fields.update(changes)
    return ConsentFacts(
        id=id,
        person_id=person_id,
        grantee_id=grantee_id,
        signed_by_id=signed_by_id if signed_by_id is not None else person_id,
        signed_at=signed,
        valid_from=valid_from if valid_from is not None else signed,
        valid_until=valid_until,
        twin_ids=frozenset(twin_ids),
        **fields,
    )


def build_consent(
    id: str = "KB1", *, person_id: str = "P1", vendor_id: str = "V1", **changes: Any
) -> ConsentFacts:
    """A BUILD consent by the person to the vendor, signed on day -40, valid through 2025."""
    changes.setdefault("signed_at", day(-40))
    return consent(id, person_id=person_id, grantee_id=vendor_id, twin_ids=(), purpose="BUILD", **changes)


def twin_world(
    twin_id: str = "T1",
    *,
    person_id: str = "P1",
    vendor_id: str = "V1",
    built_at: datetime | None = None,
    consents: tuple[ConsentFacts, ...] = (),
    birth_date: date | None = None,
    with_build_consent: bool = True,
    capture_depicts: dict[str, frozenset[str]] | None = None,
    commissioned_by_id: str | None = None,
) -> TwinWorld:
    """A twin of the person, built by the vendor on day -30 from her own capture, with a valid build consent.

    For a minor the build consent is signed by her guardian G1.
    """
    depicts = capture_depicts if capture_depicts is not None else {f"C-{twin_id}": frozenset({person_id})}
    build: tuple[ConsentFacts, ...] = ()
    if with_build_consent:
        build = (build_consent(f"KB-{twin_id}", person_id=person_id, vendor_id=vendor_id),)
        if (
            birth_date is not None
            and birth_date.replace(year=birth_date.year + 18) > build[0].signed_at.date()
        ):
            build = (replace(build[0], signed_by_id="G1", guardian_id="G1"),)
    return TwinWorld(
        twin=TwinFacts(
            id=twin_id,
            person_id=person_id,
            vendor_id=vendor_id,
            built_at=built_at if built_at is not None else day(-30),
            capture_ids=frozenset(depicts),
            capture_depicts=depicts,
            commissioned_by_id=commissioned_by_id,
        ),
        person=PersonFacts(id=person_id, birth_date=birth_date),
        consents=build + consents,
    )


def asset(id: str = "A1", *, twin_ids: tuple[str, ...] = ("T1",), **changes: Any) -> AssetFacts:
    """An Instagram image by B1 in NL, published on day 0, labelled and marked."""
    fields: dict[str, Any] = {
        "publisher_id": "B1",
        "media_type": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": frozenset({"NL"}),
        "published_at": day(0),
        "ai_label": True,
        "machine_readable_mark": True,
    }
    fields.update(changes)
    return AssetFacts(id=id, twin_ids=frozenset(twin_ids), **fields)


def world(
    the_asset: AssetFacts | None = None,
    *twins: TwinWorld,
    sightings: tuple[SightingFacts, ...] = (),
) -> AssetWorld:
    """The asset with its twins' worlds (default: T1 with consent K1)."""
    twin_worlds = twins or (twin_world(consents=(consent(),)),)
    return AssetWorld(
        asset=the_asset if the_asset is not None else asset(),
        twins={tw.twin.id: tw for tw in twin_worlds},
        sightings=sightings,
    )


def sighting(id: str, observed_at: datetime, platform_id: str | None = "PL1") -> SightingFacts:
    return SightingFacts(id=id, observed_at=observed_at, platform_id=platform_id)


def parties(verdict: Verdict) -> list[tuple[str, str]]:
    """A verdict's liable parties as (party, role) pairs, in order."""
    return [(party.party_id, party.role) for party in verdict.liable]


def codes_of(verdicts: Iterable[Verdict]) -> list[str]:
    return [verdict.code for verdict in verdicts]
