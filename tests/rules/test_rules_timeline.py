"""Timelines: the stored spans must answer exactly what the rules answer at every as-of instant."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_factories import PAY, SECOND, asset, consent, day, sighting, twin_world, world

from likeness.rules import (
    AssetFacts,
    AssetWorld,
    ConsentFacts,
    FaceMatchFacts,
    PersonFacts,
    SightingFacts,
    TwinFacts,
    TwinWorld,
    Verdict,
    VerdictSpan,
    asset_timeline,
    twin_timeline,
    verdicts_at,
    verdicts_for_asset,
    verdicts_for_twin,
)

MICRO = timedelta(microseconds=1)
Value = TypeVar("Value")


def span_of(spans: tuple[VerdictSpan, ...], moment: datetime) -> tuple[Verdict, ...]:
    """The verdicts of the span holding ``moment``, found by a plain scan."""
    for span in spans:
        if span.start <= moment and (span.end is None or moment < span.end):
            return span.verdicts
    return ()


def assert_well_formed(spans: tuple[VerdictSpan, ...]) -> None:
    for span in spans:
        assert span.verdicts
        assert span.end is None or span.start < span.end
    for earlier, later in pairwise(spans):
        assert earlier.end is not None and earlier.end <= later.start
        assert earlier.end < later.start or earlier.verdicts != later.verdicts


# --- scenarios ---------------------------------------------------------------------------------


def test_permitted_asset_revoked_later_has_one_open_span_from_the_deadline() -> None:
    w = world(asset(), twin_world(consents=(consent(revoked_at=day(10)),)))
    [span] = asset_timeline(w)
    assert (span.start, span.end) == (day(40), None)
    assert [v.code for v in span.verdicts] == ["LIVE_AFTER_REVOCATION"]


def test_withdrawal_in_time_leaves_an_empty_timeline() -> None:
    w = world(asset(withdrawn_at=day(40)), twin_world(consents=(consent(revoked_at=day(10)),)))
    assert asset_timeline(w) == ()


def test_late_withdrawal_closes_nothing_the_breach_stays_on_record() -> None:
    w = world(asset(withdrawn_at=day(41)), twin_world(consents=(consent(revoked_at=day(10)),)))
    [span] = asset_timeline(w)
    assert (span.start, span.end) == (day(40), None)


def test_platform_sighting_splits_the_live_after_span() -> None:
    w = world(
        asset(), twin_world(consents=(consent(revoked_at=day(10)),)), sightings=(sighting("S1", day(45)),)
    )
    first, second = asset_timeline(w)
    assert (first.start, first.end, second.start, second.end) == (day(40), day(45), day(45), None)
    assert [p.party_id for p in second.verdicts[0].liable] == ["B1", "PL1"]


def test_unpublished_asset_has_no_span_before_publication() -> None:
    w = world(asset(ai_label=False))
    first, expired = asset_timeline(w)
    assert (first.start, first.end, expired.start) == (day(0), day(365), day(365))
    assert [v.code for v in expired.verdicts] == ["LIVE_AFTER_EXPIRY", "MISSING_AI_LABEL"]
    assert verdicts_for_asset(w, day(0) - MICRO) == ()


def test_consent_signed_after_publication_does_not_cure_no_consent() -> None:
    late = consent(signed_at=day(5))
    w = world(asset(), twin_world(consents=(late,)))
    spans = asset_timeline(w)
    assert [(s.start, s.end, s.verdicts[0].code) for s in spans] == [
        (day(0), day(5), "NO_CONSENT"),
        (day(5), None, "NOT_YET_VALID"),
    ]


def test_twin_timeline_of_an_unconsented_build_starts_at_the_build() -> None:
    [span] = twin_timeline(twin_world(with_build_consent=False))
    assert (span.start, span.end) == (day(-30), None)


def test_stored_timeline_reads_back_through_verdicts_at() -> None:
    w = world(
        asset(), twin_world(consents=(consent(revoked_at=day(10)),)), sightings=(sighting("S1", day(45)),)
    )
    spans = asset_timeline(w)
    for moment in (day(0), day(40) - MICRO, day(40), day(45) - MICRO, day(45), day(90)):
        assert verdicts_at(spans, moment) == verdicts_for_asset(w, moment)


def test_many_irrelevant_consents_and_sightings_stay_cheap() -> None:
    others = tuple(consent(f"KX{n}", grantee_id=f"B{n + 10}", signed_at=day(n % 30)) for n in range(2000))
    seen = tuple(sighting(f"S{n}", day(41) + n * SECOND, "PL1") for n in range(5000))
    w = world(asset(), twin_world(consents=(consent(revoked_at=day(10)),) + others), sightings=seen)
    spans = asset_timeline(w)
    assert len(spans) == 2
    assert verdicts_for_asset(w, day(50)) == span_of(spans, day(50))


# --- the invariant, over random small worlds ----------------------------------------------------

offsets = st.integers(min_value=-12, max_value=40)
instants = st.one_of(
    offsets.map(day), st.tuples(offsets, st.sampled_from([-1, 1])).map(lambda o: day(o[0]) + o[1] * SECOND)
)
early = st.integers(min_value=-12, max_value=-5).map(day)
middle = st.integers(min_value=0, max_value=10).map(day)
BIRTHS = [
    None,
    None,
    None,
    None,
    None,
    None,
    date(1990, 1, 1),
    date(2010, 6, 1),
    date(2006, 12, 25),
    date(2008, 2, 29),
]


JURISDICTIONS = [None, "US-NY", "US-CA", "SE"]


def mostly(usual: Value, *others: Value) -> st.SearchStrategy[Value]:
    """The usual value three times in four, else one of the others."""
    return st.one_of(st.just(usual), st.just(usual), st.just(usual), st.sampled_from(others))


@st.composite
def consents_of(draw: st.DrawFn, person_id: str) -> ConsentFacts:
    """A consent by the person: half the time a clean one, else with flaws drawn clause by clause."""
    clean = draw(st.booleans())

    def pick(usual: Value, *others: Value) -> Value:
        return usual if clean else draw(mostly(usual, *others))

    signed_at = draw(st.one_of(early, early, instants))
    valid_from = draw(st.one_of(st.just(signed_at), st.just(signed_at), instants))
    valid_until = draw(
        st.one_of(
            st.integers(min_value=1, max_value=40).map(lambda days: valid_from + timedelta(days=days)),
            instants,
            st.sampled_from(
                [
                    None,
                    valid_from.replace(year=valid_from.year + 10),
                    valid_from.replace(year=valid_from.year + 6),
                ]
            ),
        )
    )
    return consent(
        "K",
        purpose=pick("USE", "BUILD"),
        person_id=person_id,
        grantee_id=pick("B1", "B2", "V1"),
        twin_ids=pick(("T1", "T2"), ("T1",), ("T2",), ()),
        signed_by_id=pick(person_id, "G1", "AG1"),
        guardian_id=draw(st.sampled_from([None, None, "G1"])),
        negotiated_by_id=draw(st.sampled_from([None, "AG1"])),
        signed_at=signed_at,
        valid_from=valid_from,
        valid_until=valid_until,
        media_types=pick(None, frozenset({"IMAGE"}), frozenset({"VIDEO"})),
        channels=pick(None, frozenset({"INSTAGRAM"}), frozenset({"PRINT"})),
        territories=pick(None, frozenset({"*"}), frozenset({"NL"}), frozenset({"NL", "FR"})),
        prohibited_content=pick(frozenset(), frozenset({"lingerie"})),
        description=pick("spring campaign", None, " "),
        compensation=pick(PAY, None),
        sublicensable=draw(st.booleans()),
        takedown_days=draw(st.integers(min_value=0, max_value=4)),
        revoked_at=draw(st.one_of(st.none(), st.none(), instants)),
        # the facts of the enforceable clause: unknown, or known either way, under a law or not
        representation=draw(st.sampled_from([None, None, "NONE", "COUNSEL", "UNION"])),
        replaces_in_person_work=draw(st.sampled_from([None, True, True, False])),
        representation_required=draw(st.booleans()),
    )


def unique_ids(consents: list[ConsentFacts], person_id: str) -> tuple[ConsentFacts, ...]:
    from dataclasses import replace

    return tuple(replace(k, id=f"{person_id}-{k.id}-{n}") for n, k in enumerate(consents))


@st.composite
def asset_worlds(draw: st.DrawFn) -> AssetWorld:
    persons = {
        pid: PersonFacts(pid, draw(st.sampled_from(BIRTHS)), draw(st.sampled_from(JURISDICTIONS)))
        for pid in ("P1", "P2")
    }
    consents = {
        pid: unique_ids(draw(st.lists(consents_of(pid), min_size=1, max_size=4)), pid) for pid in persons
    }
    # Most twins also get a valid build consent of their own, so asset verdicts are not all TAINTED_TWIN.
    twins: dict[str, TwinWorld] = {}
    for twin_id in ("T1", "T2"):
        person_id = draw(st.sampled_from(["P1", "P2"]))
        vendor_id = draw(st.sampled_from(["V1", "V2"]))
        built_at = draw(st.one_of(early, early, instants))
        valid_build = (
            consent(
                f"KB-{twin_id}",
                purpose="BUILD",
                person_id=person_id,
                grantee_id=vendor_id,
                twin_ids=(),
                signed_at=built_at - timedelta(days=2),
                valid_until=built_at + timedelta(days=60),
            ),
        )
        depicts = {
            "C1": frozenset({person_id}),
            "C2": draw(st.sampled_from([frozenset({person_id}), frozenset({"P9"})])),
        }
        twins[twin_id] = TwinWorld(
            twin=TwinFacts(
                id=twin_id,
                person_id=person_id,
                vendor_id=vendor_id,
                built_at=built_at,
                capture_ids=frozenset(depicts),
                capture_depicts=depicts,
                commissioned_by_id=draw(st.sampled_from([None, "B1"])),
            ),
            person=persons[person_id],
            consents=consents[person_id] + draw(mostly(valid_build, ())),
        )
    the_asset = AssetFacts(
        id="A1",
        publisher_id=draw(mostly("B1", "B2")),
        twin_ids=frozenset(draw(mostly(("T1",), ("T1", "T2"), ("T2",), ("T1", "T3"), ()))),
        media_type=draw(st.sampled_from(["IMAGE", "VIDEO"])),
        channel=draw(st.sampled_from(["INSTAGRAM", "PRINT"])),
        territories=draw(st.sampled_from([frozenset({"NL"}), frozenset({"NL", "FR"}), frozenset({"US"})])),
        published_at=draw(st.one_of(middle, instants)),
        ai_label=draw(st.booleans()),
        machine_readable_mark=draw(st.booleans()),
        content_tags=draw(st.sampled_from([frozenset(), frozenset({"lingerie"})])),
        sublicensed_from_id=draw(mostly(None, "B1", "B2")),
        campaign_brand_id=draw(st.sampled_from([None, "B1", "B3"])),
        withdrawn_at=draw(st.one_of(st.none(), st.none(), instants)),
    )
    sightings = tuple(
        SightingFacts(f"S{n}", observed_at, platform)
        for n, (observed_at, platform) in enumerate(
            draw(st.lists(st.tuples(instants, st.sampled_from([None, "PL1", "PL2"])), max_size=4))
        )
    )
    # the enrolled persons its file shows: of its twins' persons, or of someone none of them is
    shown = draw(st.lists(st.sampled_from(["P1", "P2", "P3"]), max_size=2, unique=True))
    faces = tuple(
        FaceMatchFacts(p, f"C-{p}", 0.4, 0.6, "dlib-resnet-v1", (1, 2, 30, 40)) for p in sorted(shown)
    )
    return AssetWorld(asset=the_asset, twins=twins, sightings=sightings, faces=faces)


def world_instants(w: AssetWorld) -> set[datetime]:
    """Every instant written in the world, and every takedown deadline, computed independently of the
    rules."""
    found: set[datetime | None] = {w.asset.published_at, w.asset.withdrawn_at}
    for tw in w.twins.values():
        found.add(tw.twin.built_at)
        for k in tw.consents:
            found.update({k.signed_at, k.valid_from, k.valid_until, k.revoked_at})
            if k.revoked_at is not None:
                found.add(k.revoked_at + timedelta(days=k.takedown_days))
    found.update(s.observed_at for s in w.sightings)
    return {moment for moment in found if moment is not None}


def probes(moments: set[datetime]) -> list[datetime]:
    """Each instant, and just before and after it, plus far before and far after everything."""
    near = {m + delta for m in moments for delta in (timedelta(0), -MICRO, MICRO, -SECOND, SECOND)}
    return sorted(near | {day(-400), day(400)})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asset_worlds())
def test_asset_timeline_answers_like_the_rules_at_every_instant(w: AssetWorld) -> None:
    spans = asset_timeline(w)
    assert_well_formed(spans)
    for moment in probes(world_instants(w)):
        assert verdicts_for_asset(w, moment) == span_of(spans, moment), moment


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asset_worlds())
def test_twin_timeline_answers_like_the_rules_at_every_instant(w: AssetWorld) -> None:
    for tw in w.twins.values():
        spans = twin_timeline(tw)
        assert_well_formed(spans)
        moments = {tw.twin.built_at} | {
            m
            for k in tw.consents
            for m in (k.signed_at, k.valid_from, k.valid_until, k.revoked_at)
            if m is not None
        }
        for moment in probes(moments):
            assert verdicts_for_twin(tw, moment) == span_of(spans, moment), moment
