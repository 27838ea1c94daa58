"""Build verdicts on a twin: UNCONSENTED_BUILD and FOREIGN_CAPTURE."""

from __future__ import annotations

from datetime import date

from rules_factories import SECOND, build_consent, day, parties, twin_world

from likeness.rules import verdicts_for_twin

NOW = day(1)


def test_twin_built_under_valid_consent_has_no_verdict() -> None:
    assert verdicts_for_twin(twin_world(), NOW) == ()


def test_twin_built_without_any_consent_blames_vendor_then_commissioning_brand() -> None:
    [verdict] = verdicts_for_twin(twin_world(with_build_consent=False, commissioned_by_id="B1"), NOW)
    assert verdict.code == "UNCONSENTED_BUILD"
    assert verdict.subject_id == "T1"
    assert parties(verdict) == [("V1", "PRIMARY"), ("B1", "SECONDARY")]
    assert (verdict.consent_ids, verdict.failed_clauses) == ((), ())
    assert verdict.evidence == ("T1", "REPLICA_OF", "P1")
    assert "never granted V1 a consent to build it" in verdict.explanation


def test_build_consent_to_another_vendor_does_not_count() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(vendor_id="V2"),))
    [verdict] = verdicts_for_twin(tw, NOW)
    assert (verdict.code, verdict.consent_ids) == ("UNCONSENTED_BUILD", ())


def test_build_consent_signed_by_agency_names_the_signatory_clause() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(signed_by_id="AG1"),))
    [verdict] = verdicts_for_twin(tw, NOW)
    assert (verdict.consent_ids, verdict.failed_clauses) == (("KB1",), ("signatory",))
    assert verdict.evidence == ("T1", "REPLICA_OF", "P1", "GRANTED", "KB1", "TO", "V1")


def test_build_at_the_revocation_instant_is_unconsented() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(revoked_at=day(-30)),))
    [verdict] = verdicts_for_twin(tw, NOW)
    assert verdict.failed_clauses == ("revoked",)


def test_build_one_second_before_revocation_is_consented() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(revoked_at=day(-30) + SECOND),))
    assert verdicts_for_twin(tw, NOW) == ()


def test_build_before_the_build_consent_was_signed_is_unconsented() -> None:
    tw = twin_world(
        with_build_consent=False, consents=(build_consent(signed_at=day(-20), valid_from=day(-60)),)
    )
    [verdict] = verdicts_for_twin(tw, NOW)
    assert verdict.failed_clauses == ("window",)
    assert "cannot be backdated" in verdict.explanation


def test_build_consent_of_a_minor_without_guardian_is_unconsented() -> None:
    tw = twin_world(with_build_consent=False, birth_date=date(2012, 1, 1), consents=(build_consent(),))
    [verdict] = verdicts_for_twin(tw, NOW)
    assert verdict.failed_clauses == ("guardian",)


def test_build_scope_restrictions_do_not_apply() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(channels=frozenset({"PRINT"})),))
    assert verdicts_for_twin(tw, NOW) == ()


def test_capture_of_someone_else_is_foreign_capture_of_the_vendor() -> None:
    tw = twin_world(capture_depicts={"C1": frozenset({"P1"}), "C2": frozenset({"P2", "P3"})})
    [verdict] = verdicts_for_twin(tw, NOW)
    assert verdict.code == "FOREIGN_CAPTURE"
    assert parties(verdict) == [("V1", "PRIMARY")]
    assert verdict.evidence == ("T1", "TRAINED_ON", "C2", "DEPICTS", "P2")
    assert "depicts P2 and P3, not P1" in verdict.explanation


def test_group_capture_including_her_is_not_foreign() -> None:
    tw = twin_world(capture_depicts={"C1": frozenset({"P1", "P2"})})
    assert verdicts_for_twin(tw, NOW) == ()


def test_capture_with_no_recorded_depiction_is_foreign() -> None:
    tw = twin_world(capture_depicts={"C1": frozenset({"P1"}), "C2": frozenset()})
    [verdict] = verdicts_for_twin(tw, NOW)
    assert verdict.evidence == ("T1", "TRAINED_ON", "C2")


def test_twin_not_yet_built_has_no_verdict() -> None:
    assert verdicts_for_twin(twin_world(with_build_consent=False, built_at=day(5)), NOW) == ()
