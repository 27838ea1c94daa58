"""Grounding, pure: which packs speak of a verdict, where and on which day (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from likeness.laws.grounding import (
    DEFAULT_RESPONSE_HOURS,
    AssetOccasion,
    ConsentOccasion,
    NoticeOccasion,
    covers,
    ground,
    places_of,
    representation_required,
)
from likeness.laws.grounding import clock as law_clock
from likeness.laws.packs import LawBook, load_packs

BOOK: LawBook = load_packs()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("law", "place", "reached"),
    [
        ("EU", "SE", True),
        ("EU", "GB", False),
        ("EU", "EU", True),
        ("US", "US-NY", True),
        ("US-NY", "US", False),
        ("US-NY", "US-CA", False),
        ("SE", "SE", True),
        ("FR", "FR-75", True),
    ],
)
def test_where_a_law_reaches(law: str, place: str, reached: bool) -> None:
    assert covers(law, place) is reached


def test_an_asset_law_speaks_from_its_first_day_and_through_its_territories() -> None:
    def ids(day: str, territories: set[str]) -> list[str]:
        grounded = ground(BOOK, "MISSING_AI_LABEL", asset=AssetOccasion(frozenset(territories), at(day)))
        return [law.id for law in grounded.laws]

    assert ids("2026-08-01T23:59:59", {"SE"}) == []
    assert ids("2026-08-02T00:00:00", {"SE"}) == ["EU-AI-ACT-50"]
    assert ids("2026-09-01T00:00:00", {"GB", "US"}) == []
    assert ids("2026-09-01T00:00:00", {"SE", "CN", "KR"}) == [
        "CN-AI-LABELLING",
        "EU-AI-ACT-50",
        "KR-AI-BASIC-ACT",
    ]
    grounded = ground(
        BOOK, "MISSING_AI_LABEL", asset=AssetOccasion(frozenset({"SE", "DE", "US"}), at("2026-09-01"))
    )
    assert grounded.laws[0].places == ("DE", "SE")
    assert places_of(grounded.laws) == ["DE", "EU", "SE"]


def test_a_code_the_law_does_not_ground_is_not_grounded() -> None:
    grounded = ground(BOOK, "OUT_OF_SCOPE", asset=AssetOccasion(frozenset({"SE"}), at("2026-09-01")))
    assert grounded.laws == () and grounded.would_break == ()


def test_consent_laws_follow_the_persons_jurisdiction_at_signing() -> None:
    def ids(jurisdiction: str, day: str) -> list[str]:
        consent = ConsentOccasion(frozenset({jurisdiction}), at(day))
        return [law.id for law in ground(BOOK, "NO_CONSENT", consent=consent).laws]

    assert ids("US-NY", "2025-06-18T12:00:00") == []
    assert ids("US-NY", "2025-06-19T00:00:00") == ["US-NY-FWA"]
    assert ids("US-TN", "2025-01-01T00:00:00") == ["US-TN-ELVIS"]
    assert ids("US", "2026-01-01T00:00:00") == []  # a state's law does not reach the whole country


def test_proposals_are_apart_and_ground_nothing() -> None:
    grounded = ground(BOOK, "NO_CONSENT", consent=ConsentOccasion(frozenset({"US-CA"}), at("2026-01-01")))
    assert [law.id for law in grounded.would_break] == ["US-NO-FAKES"]
    assert all(law.status == "PROPOSED" for law in grounded.would_break)
    assert all(law.status == "ENACTED" for law in grounded.laws)


def test_notice_groundings_keep_to_their_category_and_orders() -> None:
    def ids(notice: NoticeOccasion) -> list[str]:
        return [law.id for law in ground(BOOK, "NOTICE_UNANSWERED", notices=[notice]).laws]

    us = frozenset({"US"})
    assert ids(NoticeOccasion(us, at("2026-06-01"), "INTIMATE")) == ["US-TAKE-IT-DOWN"]
    assert ids(NoticeOccasion(us, at("2026-06-01"), "OTHER")) == []
    assert ids(NoticeOccasion(us, at("2026-05-18"), "INTIMATE")) == []
    assert ids(NoticeOccasion(frozenset({"IN"}), at("2026-03-01"), None, True)) == ["IN-IT-RULES-2026"]
    assert ids(NoticeOccasion(frozenset({"IN"}), at("2026-03-01"), None, False)) == []
    assert ids(NoticeOccasion(frozenset({"SE"}), at("2026-03-01"))) == ["EU-DSA-16"]


def test_notice_clocks_by_law() -> None:
    intimate = law_clock(BOOK, NoticeOccasion(frozenset({"US"}), at("2026-06-01"), "INTIMATE"))
    assert (intimate.hours, intimate.law and intimate.law.id) == (48, "US-TAKE-IT-DOWN")
    ordered = law_clock(BOOK, NoticeOccasion(frozenset({"IN"}), at("2026-03-01"), None, True))
    assert (ordered.hours, ordered.law and ordered.law.id) == (3, "IN-IT-RULES-2026")
    for notice in (
        NoticeOccasion(frozenset({"US"}), at("2026-05-18"), "INTIMATE"),  # the day before the duty
        NoticeOccasion(frozenset({"IN"}), at("2026-02-19"), None, True),
        NoticeOccasion(frozenset({"SE"}), at("2026-06-01"), "INTIMATE"),
        NoticeOccasion(frozenset(), at("2026-06-01"), "INTIMATE"),  # platform of no known jurisdiction
    ):
        assert law_clock(BOOK, notice).hours == DEFAULT_RESPONSE_HOURS
        assert law_clock(BOOK, notice).law is None


def test_representation_is_required_where_and_when_a_law_says() -> None:
    assert representation_required(BOOK, "US-NY", at("2025-01-01")) is not None
    assert representation_required(BOOK, "US-CA", at("2025-03-01")) is not None
    assert representation_required(BOOK, "US-NY", at("2024-12-31T23:00:00")) is None
    assert representation_required(BOOK, "SE", at("2026-01-01")) is None
    assert representation_required(BOOK, None, at("2026-01-01")) is None
