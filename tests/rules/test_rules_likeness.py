"""The face-matching rules: UNREGISTERED_LIKENESS on a sighting and UNDECLARED_LIKENESS on an asset, at their
boundary instants, with who is liable, the face evidence, and the timelines the graph stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from likeness.rules import (
    CODES,
    FaceMatchFacts,
    MatchFacts,
    NoticeFacts,
    NoticeResponseFacts,
    SightingFacts,
    SightingWorld,
    asset_timeline,
    sighting_timeline,
    verdicts_at,
    verdicts_for_asset,
    verdicts_for_sighting,
)
from tests.rules.rules_factories import asset, consent, day, parties, twin_world, world

T0 = datetime(2026, 1, 10, 12, tzinfo=UTC)
SENT = T0 + timedelta(days=1)
DUE = SENT + timedelta(hours=72)
MICRO = timedelta(microseconds=1)


def face(person_id: str = "person-ada", **changes: object) -> FaceMatchFacts:
    fields: dict[str, object] = {
        "capture_id": f"capture-{person_id}",
        "distance": 0.412,
        "threshold": 0.6,
        "model": "dlib-resnet-v1",
        "box": (120, 80, 260, 220),
        "frame_time": 0.0,
    }
    fields.update(changes)
    return FaceMatchFacts(person_id=person_id, **fields)  # type: ignore[arg-type]


def notice(*responses: tuple[datetime, str], platform: str = "platform-gram") -> NoticeFacts:
    return NoticeFacts(
        id="notice-1",
        platform_id=platform,
        sent_by_id="person-ada",
        sent_at=SENT,
        response_hours=72,
        responses=tuple(NoticeResponseFacts(at, outcome) for at, outcome in responses),
    )


def seen(*notices: NoticeFacts, faces=(face(),), matches=()) -> SightingWorld:
    return SightingWorld(
        sighting=SightingFacts("sighting-1", T0, "platform-gram"),
        url="https://gram.example/p/1",
        matches=tuple(matches),
        notices=notices,
        faces=tuple(faces),
    )


def likeness(found: SightingWorld, at: datetime) -> list:
    return [v for v in verdicts_for_sighting(found, at) if v.code == "UNREGISTERED_LIKENESS"]


def test_both_codes_are_catalogued_with_their_subject_and_anchor() -> None:
    assert CODES["UNREGISTERED_LIKENESS"].subject == "sighting"
    assert CODES["UNDECLARED_LIKENESS"].subject == "asset"
    for code in ("UNREGISTERED_LIKENESS", "UNDECLARED_LIKENESS"):
        assert "GDPR art. 9(2)(a)" in CODES[code].anchor
        assert "NO FAKES" in CODES[code].anchor
    assert "art. 50(4)" in CODES["UNDECLARED_LIKENESS"].anchor
    assert "Digital Services Act" in CODES["UNREGISTERED_LIKENESS"].anchor


def test_unregistered_likeness_holds_from_the_observation_names_the_person_and_no_liable_party() -> None:
    found = seen()
    assert likeness(found, T0 - MICRO) == []
    (verdict,) = likeness(found, T0)
    assert verdict.liable == ()
    assert verdict.evidence == ("sighting-1", "SHOWS_FACE_OF", "person-ada")
    # the face evidence: box, distance, threshold, model and the nearest enrolled capture
    for shown in (
        "person-ada",
        "[120, 80, 260, 220]",
        "0.412",
        "threshold 0.6",
        "dlib-resnet-v1",
        "capture-person-ada",
    ):
        assert shown in verdict.explanation, shown


def test_no_face_match_no_unregistered_likeness() -> None:
    assert likeness(seen(faces=()), T0 + timedelta(days=3)) == []


def test_one_verdict_per_person_shown_and_a_video_frame_is_named() -> None:
    found = seen(faces=(face("person-bo", frame_time=12.5), face()))
    verdicts = likeness(found, T0)
    assert [v.evidence[-1] for v in verdicts] == ["person-ada", "person-bo"]
    assert "at 12.5 s" in verdicts[1].explanation


def test_a_registered_asset_ends_it_at_its_publication() -> None:
    published = T0 + timedelta(days=2)
    found = seen(matches=(MatchFacts("asset-1", published, 0),))
    assert len(likeness(found, published - MICRO)) == 1
    assert likeness(found, published) == []


def test_the_platform_is_secondarily_liable_from_the_unanswered_instant_on() -> None:
    found = seen(notice())
    (before,) = likeness(found, DUE - MICRO)
    assert before.liable == ()
    (after,) = likeness(found, DUE)
    assert parties(after) == [("platform-gram", "SECONDARY")]
    assert "did not remove it" in after.explanation


def test_a_removed_answer_ends_it_a_refusal_does_not() -> None:
    removed = DUE + timedelta(hours=5)
    found = seen(notice((SENT + timedelta(hours=1), "REFUSED"), (removed, "REMOVED")))
    assert len(likeness(found, removed - MICRO)) == 1
    assert likeness(found, removed) == []
    in_time = seen(notice((SENT + timedelta(hours=2), "REMOVED")))
    assert len(likeness(in_time, SENT + timedelta(hours=2) - MICRO)) == 1
    assert likeness(in_time, SENT + timedelta(hours=2)) == []


def test_the_sighting_timeline_holds_what_the_rules_say_at_every_instant() -> None:
    removed = DUE + timedelta(hours=5)
    found = seen(notice((removed, "REMOVED")), faces=(face(), face("person-bo")))
    spans = sighting_timeline(found)
    for at in (T0 - MICRO, T0, DUE - MICRO, DUE, removed - MICRO, removed, removed + timedelta(days=90)):
        assert verdicts_at(spans, at) == verdicts_for_sighting(found, at), at


# UNDECLARED_LIKENESS: the default asset world is A1 by B1 on day 0 rendering T1 (of P1, built by V1),
# permitted


def shown(*faces: FaceMatchFacts, **asset_changes: object):
    base = world(asset(**asset_changes))  # type: ignore[arg-type]
    return replace(base, faces=faces)


def undeclared(found, at: datetime) -> list:
    return [v for v in verdicts_for_asset(found, at) if v.code == "UNDECLARED_LIKENESS"]


def test_an_asset_showing_a_person_its_twins_are_not_of_holds_undeclared_likeness_from_publication() -> None:
    found = shown(face("P2"))
    assert undeclared(found, day(0) - MICRO) == []
    (verdict,) = undeclared(found, day(0))
    # primary: the publisher; secondary: the vendor of each rendered twin
    assert parties(verdict) == [("B1", "PRIMARY"), ("V1", "SECONDARY")]
    assert verdict.evidence == ("A1", "SHOWS_FACE_OF", "P2")
    assert "T1 of P1" in verdict.explanation and "capture-P2" in verdict.explanation
    # only the face: its consent verdicts are untouched (T1 is permitted)
    assert [v.code for v in verdicts_for_asset(found, day(0))] == ["UNDECLARED_LIKENESS"]


def test_an_asset_rendering_her_own_twin_does_not() -> None:
    assert undeclared(shown(face("P1")), day(1)) == []


def test_only_the_undeclared_person_of_several_shown() -> None:
    verdicts = undeclared(shown(face("P1"), face("P2"), face("P3")), day(1))
    assert [v.evidence[-1] for v in verdicts] == ["P2", "P3"]


def test_withdrawal_ends_it() -> None:
    found = shown(face("P2"), withdrawn_at=day(5))
    assert len(undeclared(found, day(5) - MICRO)) == 1
    assert undeclared(found, day(5)) == []


def test_every_vendor_of_the_rendered_twins_is_secondary() -> None:
    base = world(
        asset(twin_ids=("T1", "T2")),
        twin_world(consents=(consent(),)),
        twin_world("T2", person_id="P1", vendor_id="V2", consents=(consent("K2", twin_ids=("T2",)),)),
    )
    (verdict,) = undeclared(replace(base, faces=(face("P2"),)), day(1))
    assert parties(verdict) == [("B1", "PRIMARY"), ("V1", "SECONDARY"), ("V2", "SECONDARY")]


def test_the_asset_timeline_holds_what_the_rules_say_at_every_instant() -> None:
    found = shown(face("P2"), withdrawn_at=day(40))
    spans = asset_timeline(found)
    for at in (day(-1), day(0) - MICRO, day(0), day(39), day(40) - MICRO, day(40), day(400)):
        assert verdicts_at(spans, at) == verdicts_for_asset(found, at), at
