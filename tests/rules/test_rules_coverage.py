"""Coverage over time and the verdicts for assets left live after it ended."""

from __future__ import annotations

from datetime import datetime

from rules_factories import SECOND, asset, codes_of, consent, day, parties, sighting, twin_world, world

from likeness.rules import AssetWorld, Coverage, Verdict, coverage, verdicts_for_asset

# K1 is revoked on day 10 with the default 30-day takedown: coverage ends on day 40.
REVOKED = consent(revoked_at=day(10))
DEADLINE = day(40)


def live_after(w: AssetWorld, as_of: datetime) -> list[Verdict]:
    return [verdict for verdict in verdicts_for_asset(w, as_of) if verdict.code.startswith("LIVE_AFTER")]


def test_asset_rendering_no_twin_needs_no_consent_and_never_uncovers() -> None:
    w = world(asset(twin_ids=(), ai_label=False, machine_readable_mark=False), twin_world())
    assert coverage(w, day(1)) == Coverage(permitted=True)
    assert verdicts_for_asset(w, day(1)) == ()


def test_coverage_ends_at_valid_until_by_expiry() -> None:
    cov = coverage(world(), day(1))
    assert cov == Coverage(permitted=True, consent_ids=("K1",), uncovered_from=day(365), cause="EXPIRED")


def test_coverage_ends_at_revocation_plus_takedown() -> None:
    w = world(asset(), twin_world(consents=(REVOKED,)))
    assert coverage(w, day(50)) == Coverage(True, ("K1",), DEADLINE, "REVOKED")


def test_revocation_dated_after_as_of_does_not_count() -> None:
    w = world(asset(), twin_world(consents=(REVOKED,)))
    assert coverage(w, day(5)).uncovered_from == day(365)
    assert live_after(w, day(5)) == []


def test_coverage_of_an_asset_never_permitted_fails_at_publication() -> None:
    w = world(asset(), twin_world())
    assert coverage(w, day(1)) == Coverage(permitted=False, uncovered_from=day(0))


def test_coverage_before_publication_is_nothing() -> None:
    assert coverage(world(), day(-1)) == Coverage(permitted=False)


def test_overlapping_renewal_keeps_the_asset_covered() -> None:
    first = consent("K1", valid_until=day(100))
    renewal = consent("K2", signed_at=day(90), valid_until=day(400))
    w = world(asset(), twin_world(consents=(first, renewal)))
    assert coverage(w, day(200)) == Coverage(True, ("K1",), day(400), "EXPIRED")
    assert live_after(w, day(200)) == []


def test_renewal_starting_exactly_at_the_old_end_keeps_the_asset_covered() -> None:
    first = consent("K1", valid_until=day(100))
    renewal = consent("K2", signed_at=day(90), valid_from=day(100), valid_until=day(400))
    w = world(asset(), twin_world(consents=(first, renewal)))
    assert coverage(w, day(200)).uncovered_from == day(400)
    assert live_after(w, day(200)) == []


def test_renewal_leaving_a_gap_is_live_after_expiry() -> None:
    first = consent("K1", valid_until=day(100))
    renewal = consent("K2", signed_at=day(90), valid_from=day(101), valid_until=day(400))
    w = world(asset(), twin_world(consents=(first, renewal)))
    assert coverage(w, day(200)).uncovered_from == day(100)
    [verdict] = live_after(w, day(200))
    assert verdict.code == "LIVE_AFTER_EXPIRY"
    assert verdict.consent_ids == ("K1",)
    assert verdict.failed_clauses == ("window",)
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert verdict.evidence == ("A1", "RENDERS", "T1", "REPLICA_OF", "P1", "GRANTED", "K1", "TO", "B1")
    assert "ended on 2025-04-11" in verdict.explanation


def test_renewal_out_of_scope_does_not_extend_coverage() -> None:
    first = consent("K1", valid_until=day(100))
    renewal = consent("K2", signed_at=day(90), valid_until=day(400), channels=frozenset({"PRINT"}))
    w = world(asset(), twin_world(consents=(first, renewal)))
    assert codes_of(live_after(w, day(200))) == ["LIVE_AFTER_EXPIRY"]


def test_live_after_revocation_names_publisher() -> None:
    w = world(asset(), twin_world(consents=(REVOKED,)))
    [verdict] = live_after(w, day(50))
    assert verdict.code == "LIVE_AFTER_REVOCATION"
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert "P1 revoked K1 on 2025-01-11 and its 30-day takedown period ran out" in verdict.explanation


def test_as_of_exactly_at_the_takedown_deadline_is_already_live_after() -> None:
    w = world(asset(), twin_world(consents=(REVOKED,)))
    assert codes_of(live_after(w, DEADLINE)) == ["LIVE_AFTER_REVOCATION"]
    assert live_after(w, DEADLINE - SECOND) == []


def test_withdrawn_exactly_at_the_takedown_deadline_is_in_time() -> None:
    w = world(asset(withdrawn_at=DEADLINE), twin_world(consents=(REVOKED,)))
    assert live_after(w, day(60)) == []


def test_withdrawn_one_second_after_the_takedown_deadline_is_live_after_revocation() -> None:
    w = world(asset(withdrawn_at=DEADLINE + SECOND), twin_world(consents=(REVOKED,)))
    assert codes_of(live_after(w, day(60))) == ["LIVE_AFTER_REVOCATION"]


def test_revocation_deadline_later_than_valid_until_is_expiry() -> None:
    k = consent(valid_until=day(20), revoked_at=day(10))
    assert codes_of(live_after(world(asset(), twin_world(consents=(k,))), day(60))) == ["LIVE_AFTER_EXPIRY"]


def test_platform_seen_hosting_after_the_deadline_is_secondary() -> None:
    sightings = (
        sighting("S1", DEADLINE - SECOND, "PL0"),  # before coverage ended: not a breach yet
        sighting("S2", DEADLINE, "PL1"),
        sighting("S3", day(45), None),  # no platform recorded
        sighting("S4", day(70), "PL2"),  # after the as-of instant
        sighting("S5", day(46), "PL1"),
    )
    w = world(asset(), twin_world(consents=(REVOKED,)), sightings=sightings)
    [verdict] = live_after(w, day(60))
    assert parties(verdict) == [("B1", "PRIMARY"), ("PL1", "SECONDARY")]
    assert "seen live on PL1" in verdict.explanation


def test_asset_not_permitted_at_publication_is_never_live_after() -> None:
    k = consent(channels=frozenset({"PRINT"}), valid_until=day(20))
    assert codes_of(verdicts_for_asset(world(asset(), twin_world(consents=(k,))), day(60))) == [
        "OUT_OF_SCOPE"
    ]


def test_two_twins_uncover_at_the_earliest_end() -> None:
    w = world(
        asset(twin_ids=("T1", "T2")),
        twin_world("T1", consents=(consent("K1", valid_until=day(200)),)),
        twin_world(
            "T2",
            person_id="P2",
            consents=(consent("K2", person_id="P2", twin_ids=("T2",), revoked_at=day(10)),),
        ),
    )
    assert coverage(w, day(60)) == Coverage(True, ("K1", "K2"), DEADLINE, "REVOKED")
    [verdict] = live_after(w, day(60))
    assert verdict.code == "LIVE_AFTER_REVOCATION"
    assert verdict.evidence[2] == "T2"


def test_coverage_lists_every_permitting_consent() -> None:
    w = world(asset(), twin_world(consents=(consent("K1"), consent("K2", valid_until=day(30)))))
    assert coverage(w, day(1)).consent_ids == ("K1", "K2")
