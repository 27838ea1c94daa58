"""Consent verdicts on an asset: one per rendered twin that no consent permits."""

from __future__ import annotations

from datetime import date, datetime

from rules_factories import SECOND, asset, codes_of, consent, day, parties, twin_world, world

from likeness.rules import AssetWorld, Verdict, verdicts_for_asset

NOW = day(1)


def only(w: AssetWorld, as_of: datetime = NOW) -> Verdict:
    verdicts = verdicts_for_asset(w, as_of)
    assert len(verdicts) == 1, verdicts
    return verdicts[0]


def test_consent_in_scope_permits_the_asset() -> None:
    assert verdicts_for_asset(world(), NOW) == ()


def test_no_consent_blames_publisher_then_campaign_brand() -> None:
    w = world(asset(publisher_id="ST1", campaign_id="C1", campaign_brand_id="B1"), twin_world())
    verdict = only(w)
    assert verdict.code == "NO_CONSENT"
    assert parties(verdict) == [("ST1", "PRIMARY"), ("B1", "SECONDARY")]
    assert verdict.consent_ids == () and verdict.failed_clauses == ()
    assert verdict.evidence == ("A1", "RENDERS", "T1", "REPLICA_OF", "P1")
    assert "no consent from P1 to ST1 covers T1" in verdict.explanation


def test_no_consent_names_campaign_brand_only_when_another_party() -> None:
    w = world(asset(campaign_id="C1", campaign_brand_id="B1"), twin_world())
    assert parties(only(w)) == [("B1", "PRIMARY")]


def test_consent_to_another_brand_is_no_consent() -> None:
    w = world(asset(), twin_world(consents=(consent(grantee_id="B2"),)))
    assert only(w).code == "NO_CONSENT"


def test_no_consent_under_a_sublicence_names_both_possible_grantees() -> None:
    w = world(asset(publisher_id="B2", sublicensed_from_id="B1"), twin_world())
    verdict = only(w)
    assert verdict.code == "NO_CONSENT"
    assert (
        "no consent from P1 to B2 or to B1, from which it was sublicensed, covers T1" in verdict.explanation
    )


def test_consent_covering_another_twin_is_no_consent() -> None:
    w = world(asset(), twin_world(consents=(consent(twin_ids=("T9",)),)))
    assert only(w).code == "NO_CONSENT"


def test_build_consent_does_not_permit_use() -> None:
    w = world(asset(), twin_world(consents=(consent(purpose="BUILD"),)))
    assert only(w).code == "NO_CONSENT"


def test_out_of_scope_names_every_failed_scope_clause() -> None:
    k = consent(
        media_types=frozenset({"IMAGE"}), channels=frozenset({"INSTAGRAM"}), territories=frozenset({"NL"})
    )
    w = world(asset(media_type="VIDEO", territories=frozenset({"NL", "US"})), twin_world(consents=(k,)))
    verdict = only(w)
    assert verdict.code == "OUT_OF_SCOPE"
    assert verdict.failed_clauses == ("mediaType", "territory")
    assert verdict.consent_ids == ("K1",)
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert verdict.evidence == ("A1", "RENDERS", "T1", "REPLICA_OF", "P1", "GRANTED", "K1", "TO", "B1")
    assert "media type VIDEO" in verdict.explanation and "territory US" in verdict.explanation


def test_out_of_scope_channel() -> None:
    k = consent(channels=frozenset({"PRINT"}))
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert (verdict.code, verdict.failed_clauses) == ("OUT_OF_SCOPE", ("channel",))


def test_worldwide_consent_covers_every_territory() -> None:
    k = consent(territories=frozenset({"*"}))
    assert (
        verdicts_for_asset(world(asset(territories=frozenset({"US", "JP"})), twin_world(consents=(k,))), NOW)
        == ()
    )


def test_restriction_breached_by_prohibited_content() -> None:
    k = consent(prohibited_content=frozenset({"lingerie", "political"}))
    verdict = only(world(asset(content_tags=frozenset({"lingerie", "summer"})), twin_world(consents=(k,))))
    assert (verdict.code, verdict.failed_clauses) == ("RESTRICTION_BREACHED", ("content",))
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert "prohibits lingerie content" in verdict.explanation


def test_published_before_window_is_not_yet_valid() -> None:
    k = consent(valid_from=day(5))
    verdict = only(world(asset(), twin_world(consents=(k,))), day(10))
    assert (verdict.code, verdict.failed_clauses) == ("NOT_YET_VALID", ("window",))
    assert parties(verdict) == [("B1", "PRIMARY")]


def test_backdated_consent_opens_only_when_signed() -> None:
    k = consent(valid_from=day(-30), signed_at=day(5))
    w = world(asset(), twin_world(consents=(k,)))
    verdict = only(w, day(10))
    assert verdict.code == "NOT_YET_VALID"
    assert "cannot be backdated" in verdict.explanation


def test_published_after_window_closed_is_expired() -> None:
    k = consent(valid_from=day(-100), signed_at=day(-100), valid_until=day(-1))
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert (verdict.code, verdict.failed_clauses) == ("EXPIRED", ("window",))


def test_published_exactly_at_valid_until_is_expired() -> None:
    k = consent(valid_until=day(0))
    assert only(world(asset(), twin_world(consents=(k,)))).code == "EXPIRED"


def test_published_exactly_at_revocation_is_published_after_revocation() -> None:
    k = consent(revoked_at=day(0))
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert verdict.code == "PUBLISHED_AFTER_REVOCATION"
    assert verdict.failed_clauses == ("revoked",)
    assert parties(verdict) == [("B1", "PRIMARY")]


def test_published_after_revocation_inside_takedown_period_is_still_a_breach() -> None:
    k = consent(revoked_at=day(-2), takedown_days=30)
    assert only(world(asset(), twin_world(consents=(k,)))).code == "PUBLISHED_AFTER_REVOCATION"


def test_published_one_second_before_revocation_is_permitted() -> None:
    k = consent(revoked_at=day(0) + SECOND)
    assert verdicts_for_asset(world(asset(), twin_world(consents=(k,))), NOW) == ()


def test_agency_signature_is_invalid_signatory() -> None:
    k = consent(signed_by_id="AG1", negotiated_by_id="AG1")
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert (verdict.code, verdict.failed_clauses) == ("INVALID_SIGNATORY", ("signatory",))
    assert parties(verdict) == [("AG1", "PRIMARY"), ("B1", "SECONDARY")]
    assert verdict.evidence == (
        "A1",
        "RENDERS",
        "T1",
        "REPLICA_OF",
        "P1",
        "GRANTED",
        "K1",
        "SIGNED_BY",
        "AG1",
    )
    assert "signed by AG1" in verdict.explanation


def test_adult_signed_by_guardian_is_invalid_signatory() -> None:
    k = consent(signed_by_id="G1", guardian_id="G1")
    w = world(asset(), twin_world(consents=(k,), birth_date=date(1990, 5, 1)))
    assert only(w).code == "INVALID_SIGNATORY"


def test_minor_signed_by_recorded_guardian_is_permitted() -> None:
    k = consent(signed_by_id="G1", guardian_id="G1", valid_until=day(300))
    w = world(asset(), twin_world(consents=(k,), birth_date=date(2010, 3, 1)))
    assert verdicts_for_asset(w, NOW) == ()


def test_minor_signing_without_guardian_blames_grantee() -> None:
    w = world(
        asset(publisher_id="B2", sublicensed_from_id="B1"),
        twin_world(consents=(consent(sublicensable=True),), birth_date=date(2010, 3, 1)),
    )
    verdict = only(w)
    assert (verdict.code, verdict.failed_clauses) == ("MINOR_WITHOUT_GUARDIAN", ("guardian",))
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert "under 18" in verdict.explanation


def test_coming_of_age_on_the_signing_day_makes_her_an_adult() -> None:
    w = world(asset(), twin_world(consents=(consent(signed_at=day(-10)),), birth_date=date(2006, 12, 22)))
    assert verdicts_for_asset(w, NOW) == ()


def test_missing_description_is_incomplete_terms_with_agency_secondary() -> None:
    k = consent(description="  ", negotiated_by_id="AG1")
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert (verdict.code, verdict.failed_clauses) == ("INCOMPLETE_TERMS", ("terms",))
    assert parties(verdict) == [("B1", "PRIMARY"), ("AG1", "SECONDARY")]
    assert "no description of the intended uses" in verdict.explanation


def test_open_ended_consent_is_incomplete_terms() -> None:
    verdict = only(world(asset(), twin_world(consents=(consent(valid_until=None),))))
    assert verdict.code == "INCOMPLETE_TERMS"
    assert "no end date" in verdict.explanation


def test_missing_compensation_is_incomplete_terms() -> None:
    verdict = only(world(asset(), twin_world(consents=(consent(compensation=None),))))
    assert verdict.code == "INCOMPLETE_TERMS" and parties(verdict) == [("B1", "PRIMARY")]


def test_ten_year_term_is_allowed_for_an_adult() -> None:
    k = consent(signed_at=day(-10), valid_until=day(-10).replace(year=2034))
    assert verdicts_for_asset(world(asset(), twin_world(consents=(k,))), NOW) == ()


def test_term_one_second_over_ten_years_is_incomplete_terms() -> None:
    k = consent(signed_at=day(-10), valid_until=day(-10).replace(year=2034) + SECOND)
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert verdict.code == "INCOMPLETE_TERMS"
    assert "10-year cap" in verdict.explanation


def test_minor_term_over_five_years_is_incomplete_terms() -> None:
    k = consent(signed_by_id="G1", guardian_id="G1", valid_until=day(-10).replace(year=2029) + SECOND)
    verdict = only(world(asset(), twin_world(consents=(k,), birth_date=date(2010, 3, 1))))
    assert verdict.code == "INCOMPLETE_TERMS"
    assert "5-year cap" in verdict.explanation


def test_minor_term_of_exactly_five_years_is_allowed() -> None:
    k = consent(signed_by_id="G1", guardian_id="G1", valid_until=day(-10).replace(year=2029))
    assert (
        verdicts_for_asset(world(asset(), twin_world(consents=(k,), birth_date=date(2010, 3, 1))), NOW) == ()
    )


def test_sublicensable_consent_permits_the_sublicensee() -> None:
    w = world(
        asset(publisher_id="B2", sublicensed_from_id="B1"),
        twin_world(consents=(consent(sublicensable=True),)),
    )
    assert verdicts_for_asset(w, NOW) == ()


def test_sublicence_of_non_sublicensable_consent_blames_sublicensor() -> None:
    w = world(asset(publisher_id="B2", sublicensed_from_id="B1"), twin_world(consents=(consent(),)))
    verdict = only(w)
    assert (verdict.code, verdict.failed_clauses) == ("SUBLICENSE_NOT_PERMITTED", ("sublicense",))
    assert parties(verdict) == [("B1", "PRIMARY"), ("B2", "SECONDARY")]
    assert verdict.evidence[-3:] == ("K1", "TO", "B1")


def test_own_consent_of_publisher_is_enough_despite_sublicence() -> None:
    w = world(
        asset(publisher_id="B2", sublicensed_from_id="B1"), twin_world(consents=(consent(grantee_id="B2"),))
    )
    assert verdicts_for_asset(w, NOW) == ()


def test_first_failed_clause_in_order_decides_the_code() -> None:
    k = consent(signed_by_id="AG1", valid_from=day(5))
    verdict = only(world(asset(), twin_world(consents=(k,))))
    assert verdict.code == "INVALID_SIGNATORY"
    assert verdict.failed_clauses == ("signatory", "window")


def test_candidate_failing_fewest_clauses_is_named() -> None:
    worse = consent("K1", signed_by_id="AG1", channels=frozenset({"PRINT"}), signed_at=day(-5))
    closer = consent("K2", channels=frozenset({"PRINT"}), signed_at=day(-20))
    verdict = only(world(asset(), twin_world(consents=(worse, closer))))
    assert (verdict.code, verdict.consent_ids) == ("OUT_OF_SCOPE", ("K2",))


def test_tie_goes_to_the_most_recently_signed_candidate() -> None:
    older = consent("K1", channels=frozenset({"PRINT"}), signed_at=day(-20))
    newer = consent("K2", territories=frozenset({"FR"}), signed_at=day(-5))
    verdict = only(world(asset(), twin_world(consents=(older, newer))))
    assert (verdict.consent_ids, verdict.failed_clauses) == (("K2",), ("territory",))


def test_any_permitting_candidate_permits() -> None:
    w = world(asset(), twin_world(consents=(consent("K1", signed_by_id="AG1"), consent("K2"))))
    assert verdicts_for_asset(w, NOW) == ()


def test_two_twins_of_two_people_each_need_a_consent() -> None:
    w = world(
        asset(twin_ids=("T1", "T2")),
        twin_world("T1", consents=(consent("K1"),)),
        twin_world("T2", person_id="P2"),
    )
    verdict = only(w)
    assert verdict.code == "NO_CONSENT"
    assert verdict.evidence == ("A1", "RENDERS", "T2", "REPLICA_OF", "P2")


def test_consent_of_one_person_does_not_cover_the_other_persons_twin() -> None:
    k = consent("K1", twin_ids=("T1", "T2"))
    w = world(
        asset(twin_ids=("T1", "T2")),
        twin_world("T1", consents=(k,)),
        twin_world("T2", person_id="P2", consents=(k,)),
    )
    assert codes_of(verdicts_for_asset(w, NOW)) == ["NO_CONSENT"]


def test_two_twins_failing_differently_give_one_verdict_each() -> None:
    w = world(
        asset(twin_ids=("T1", "T2")),
        twin_world("T1", consents=(consent("K1", channels=frozenset({"PRINT"})),)),
        twin_world("T2", person_id="P2"),
    )
    verdicts = verdicts_for_asset(w, NOW)
    assert codes_of(verdicts) == ["NO_CONSENT", "OUT_OF_SCOPE"]


def test_two_twins_both_without_consent_give_two_verdicts_in_twin_order() -> None:
    w = world(asset(twin_ids=("T1", "T2")), twin_world("T1"), twin_world("T2", person_id="P2"))
    verdicts = verdicts_for_asset(w, NOW)
    assert codes_of(verdicts) == ["NO_CONSENT", "NO_CONSENT"]
    assert [verdict.evidence[2] for verdict in verdicts] == ["T1", "T2"]


def test_rendered_twin_not_built_is_no_consent() -> None:
    w = world(asset(), twin_world(built_at=day(5), consents=(consent(),)))
    verdicts = verdicts_for_asset(w, NOW)
    assert codes_of(verdicts) == ["NO_CONSENT"]
    assert verdicts[0].evidence == ("A1", "RENDERS", "T1")
