"""The sighting rules: UNREGISTERED_USE and NOTICE_UNANSWERED at their boundary instants, where a notice
stands, and the timeline the graph stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from likeness.rules import (
    CODES,
    FaceMatchFacts,
    MatchFacts,
    NoticeFacts,
    NoticeResponseFacts,
    ResemblanceFacts,
    SightingFacts,
    SightingWorld,
    notice_status,
    notice_unanswered,
    sighting_timeline,
    verdicts_at,
    verdicts_for_sighting,
)

T0 = datetime(2026, 1, 10, 12, tzinfo=UTC)
SENT = T0 + timedelta(days=1)
DUE = SENT + timedelta(hours=72)
MICRO = timedelta(microseconds=1)
CAPTURE = ResemblanceFacts("capture-1", frozenset({"person-ada"}), T0 - timedelta(days=300), 3)


def notice(*responses: tuple[datetime, str], hours: int = 72, platform: str = "platform-gram") -> NoticeFacts:
    return NoticeFacts(
        id="notice-1",
        platform_id=platform,
        sent_by_id="person-ada",
        sent_at=SENT,
        response_hours=hours,
        responses=tuple(NoticeResponseFacts(at, outcome) for at, outcome in responses),
    )


def world(
    *notices: NoticeFacts, resembles=(CAPTURE,), matches=(), platform="platform-gram", faces=()
) -> SightingWorld:
    return SightingWorld(
        sighting=SightingFacts("sighting-1", T0, platform),
        url="https://gram.example/p/1",
        resembles=tuple(resembles),
        matches=tuple(matches),
        notices=notices,
        faces=tuple(faces),
    )


def codes(found: SightingWorld, at: datetime) -> list[str]:
    return [verdict.code for verdict in verdicts_for_sighting(found, at)]


def test_the_sighting_codes_are_catalogued_with_an_anchor() -> None:
    assert CODES["UNREGISTERED_USE"].subject == "sighting"
    assert CODES["NOTICE_UNANSWERED"].subject == "sighting"
    assert "Digital Services Act (Regulation 2022/2065) art. 16" in CODES["NOTICE_UNANSWERED"].anchor
    assert "NO FAKES" in CODES["NOTICE_UNANSWERED"].anchor


def test_unregistered_use_holds_from_the_observation_and_names_the_persons_not_a_liable_party() -> None:
    found = world()
    assert codes(found, T0 - MICRO) == []
    (verdict,) = verdicts_for_sighting(found, T0)
    assert verdict.code == "UNREGISTERED_USE" and verdict.liable == ()
    assert verdict.evidence == ("sighting-1", "RESEMBLES", "capture-1", "DEPICTS", "person-ada")
    assert "person-ada" in verdict.explanation


def test_a_capture_made_after_the_sighting_counts_from_its_own_instant() -> None:
    later = ResemblanceFacts("capture-2", frozenset({"person-bo"}), T0 + timedelta(days=5), 0)
    found = world(resembles=(later,))
    assert codes(found, later.captured_at - MICRO) == []
    assert codes(found, later.captured_at) == ["UNREGISTERED_USE"]


def test_a_matching_asset_ends_the_unregistered_use_at_its_publication() -> None:
    published = T0 + timedelta(days=20)
    found = world(matches=(MatchFacts("asset-1", published, 2),))
    assert codes(found, published - MICRO) == ["UNREGISTERED_USE"]
    assert codes(found, published) == []


def test_no_resembling_capture_no_unregistered_use() -> None:
    assert codes(world(resembles=()), T0 + timedelta(days=400)) == []


def test_notice_unanswered_starts_exactly_at_sent_plus_response_hours() -> None:
    found = world(notice())
    assert codes(found, DUE - MICRO) == ["UNREGISTERED_USE"]
    assert codes(found, DUE) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    unanswered, unregistered = verdicts_for_sighting(found, DUE)
    assert [(p.party_id, p.role) for p in unanswered.liable] == [("platform-gram", "PRIMARY")]
    assert [(p.party_id, p.role) for p in unregistered.liable] == [("platform-gram", "SECONDARY")]
    assert [(p.party_id, p.role) for p in verdicts_for_sighting(found, DUE - MICRO)[0].liable] == []


def test_notice_unanswered_ends_exactly_at_the_first_removal() -> None:
    removed = DUE + timedelta(days=3)
    found = world(notice((removed, "REMOVED"), (removed + timedelta(days=1), "REMOVED")))
    assert notice_unanswered(found.notices[0], removed - MICRO)
    assert not notice_unanswered(found.notices[0], removed)
    assert codes(found, removed - MICRO) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    assert codes(found, removed) == ["UNREGISTERED_USE"]
    # the platform stays secondarily liable for the use it hosted past the window
    (unregistered,) = verdicts_for_sighting(found, removed + timedelta(days=30))
    assert [(p.party_id, p.role) for p in unregistered.liable] == [("platform-gram", "SECONDARY")]


def test_a_removal_at_the_deadline_is_in_time() -> None:
    found = world(notice((DUE, "REMOVED")))
    for moment in (DUE - MICRO, DUE, DUE + timedelta(days=300)):
        (verdict,) = verdicts_for_sighting(found, moment)
        assert verdict.code == "UNREGISTERED_USE" and verdict.liable == ()


def test_refused_and_counter_notice_answers_do_not_end_it() -> None:
    found = world(notice((SENT + timedelta(hours=1), "REFUSED"), (DUE + timedelta(days=1), "COUNTER_NOTICE")))
    assert codes(found, DUE) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    assert codes(found, DUE + timedelta(days=400)) == ["NOTICE_UNANSWERED", "UNREGISTERED_USE"]
    late = verdicts_for_sighting(found, DUE + timedelta(days=2))[0]
    assert "REFUSED" in late.explanation and "COUNTER_NOTICE" in late.explanation


def test_notice_unanswered_holds_for_a_sighting_of_a_registered_asset_too() -> None:
    found = world(notice(), resembles=(), matches=(MatchFacts("asset-1", T0 - timedelta(days=9), 0),))
    assert codes(found, DUE) == ["NOTICE_UNANSWERED"]


def test_a_notice_about_a_sighting_without_platform_names_the_platform_it_went_to() -> None:
    found = world(notice(platform="platform-other"), platform=None)
    unanswered, unregistered = verdicts_for_sighting(found, DUE)
    assert [p.party_id for p in unanswered.liable] == ["platform-other"]
    assert [p.party_id for p in unregistered.liable] == ["platform-other"]


def test_where_a_notice_stands() -> None:
    plain = notice()
    assert notice_status(plain, SENT - MICRO) is None
    assert notice_status(plain, SENT) == "OPEN"
    assert notice_status(plain, DUE - MICRO) == "OPEN"
    assert notice_status(plain, DUE) == "OVERDUE"
    refused = notice((SENT + timedelta(hours=2), "REFUSED"))
    assert notice_status(refused, SENT + timedelta(hours=2)) == "ANSWERED"
    assert notice_status(refused, DUE) == "OVERDUE"
    removed = notice((DUE + timedelta(hours=5), "REMOVED"))
    assert notice_status(removed, DUE + timedelta(hours=5) - MICRO) == "OVERDUE"
    assert notice_status(removed, DUE + timedelta(hours=5)) == "REMOVED"


instants = st.integers(0, 24 * 30).map(lambda hours: T0 + timedelta(hours=hours))
responses = st.lists(
    st.tuples(instants, st.sampled_from(["REMOVED", "REFUSED", "COUNTER_NOTICE"])), max_size=3
)
notices = st.builds(
    lambda index, sent, hours, answers, platform: NoticeFacts(
        id=f"notice-{index}",
        platform_id=platform,
        sent_by_id="person-ada",
        sent_at=sent,
        response_hours=hours,
        responses=tuple(
            sorted(
                (NoticeResponseFacts(max(at, sent), outcome) for at, outcome in answers),
                key=lambda r: r.responded_at,
            )
        ),
    ),
    st.integers(0, 3),
    instants,
    st.integers(1, 200),
    responses,
    st.sampled_from(["platform-gram", "platform-other"]),
)
resemblances = st.builds(
    lambda index, at, distance: ResemblanceFacts(
        f"capture-{index}", frozenset({f"person-{index}"}), at, distance
    ),
    st.integers(0, 2),
    st.integers(-200, 24 * 30).map(lambda hours: T0 + timedelta(hours=hours)),
    st.integers(0, 8),
)
matches = st.builds(
    lambda index, at: MatchFacts(f"asset-{index}", at, 0),
    st.integers(0, 2),
    st.integers(-200, 24 * 30).map(lambda hours: T0 + timedelta(hours=hours)),
)


@given(
    found_notices=st.lists(notices, max_size=3, unique_by=lambda n: n.id),
    found_resemblances=st.lists(resemblances, max_size=3, unique_by=lambda r: r.capture_id),
    found_matches=st.lists(matches, max_size=2, unique_by=lambda m: m.asset_id),
    probes=st.lists(st.integers(-10, 24 * 40 * 60), min_size=1, max_size=8),
    shown=st.lists(st.sampled_from(["person-0", "person-1", "person-2"]), max_size=2, unique=True),
)
def test_the_stored_timeline_answers_like_the_rules_at_every_instant(
    found_notices: list[NoticeFacts],
    found_resemblances: list[ResemblanceFacts],
    found_matches: list[MatchFacts],
    probes: list[int],
    shown: list[str],
) -> None:
    faces = [
        FaceMatchFacts(p, f"capture-{p}", 0.4, 0.6, "dlib-resnet-v1", (1, 2, 30, 40)) for p in sorted(shown)
    ]
    found = world(*found_notices, resembles=found_resemblances, matches=found_matches, faces=faces)
    spans = sighting_timeline(found)
    boundaries = [edge for span in spans for edge in (span.start, span.end) if edge is not None]
    moments = [T0 + timedelta(minutes=m) for m in probes]
    moments += [edge + delta for edge in boundaries for delta in (-MICRO, timedelta(), MICRO)]
    for moment in moments:
        assert verdicts_at(spans, moment) == verdicts_for_sighting(found, moment), moment
