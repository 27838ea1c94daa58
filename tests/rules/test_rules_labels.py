"""AI disclosure (EU AI Act art. 50) and twins tainted by their build."""

from __future__ import annotations

from rules_factories import asset, codes_of, consent, day, parties, twin_world, world

from likeness.rules import verdicts_for_asset

NOW = day(1)


def test_missing_ai_label_blames_publisher() -> None:
    [verdict] = verdicts_for_asset(world(asset(ai_label=False)), NOW)
    assert verdict.code == "MISSING_AI_LABEL"
    assert parties(verdict) == [("B1", "PRIMARY")]
    assert verdict.evidence == ("A1", "RENDERS", "T1")
    assert "no visible disclosure" in verdict.explanation


def test_missing_machine_readable_mark_blames_vendor_then_publisher() -> None:
    [verdict] = verdicts_for_asset(world(asset(machine_readable_mark=False)), NOW)
    assert verdict.code == "MISSING_MACHINE_READABLE_MARK"
    assert parties(verdict) == [("V1", "PRIMARY"), ("B1", "SECONDARY")]
    assert verdict.evidence == ("A1", "RENDERS", "T1", "BUILT_BY", "V1")


def test_missing_mark_on_twins_of_two_vendors_blames_both() -> None:
    w = world(
        asset(twin_ids=("T1", "T2"), machine_readable_mark=False),
        twin_world("T1", consents=(consent("K1"),)),
        twin_world(
            "T2", person_id="P2", vendor_id="V2", consents=(consent("K2", person_id="P2", twin_ids=("T2",)),)
        ),
    )
    [verdict] = verdicts_for_asset(w, NOW)
    assert parties(verdict) == [("V1", "PRIMARY"), ("V2", "PRIMARY"), ("B1", "SECONDARY")]


def test_missing_mark_by_a_vendor_publishing_itself_names_it_once() -> None:
    w = world(
        asset(publisher_id="V1", machine_readable_mark=False),
        twin_world(consents=(consent(grantee_id="V1"),)),
    )
    [verdict] = verdicts_for_asset(w, NOW)
    assert parties(verdict) == [("V1", "PRIMARY")]


def test_label_verdicts_stand_beside_consent_verdicts_in_code_order() -> None:
    w = world(asset(ai_label=False, machine_readable_mark=False), twin_world())
    assert codes_of(verdicts_for_asset(w, NOW)) == [
        "MISSING_AI_LABEL",
        "MISSING_MACHINE_READABLE_MARK",
        "NO_CONSENT",
    ]


def test_twin_built_without_consent_taints_the_asset() -> None:
    w = world(asset(), twin_world(consents=(consent(),), with_build_consent=False))
    [verdict] = verdicts_for_asset(w, NOW)
    assert verdict.code == "TAINTED_TWIN"
    assert parties(verdict) == [("V1", "PRIMARY"), ("B1", "SECONDARY")]
    assert verdict.evidence == ("A1", "RENDERS", "T1", "REPLICA_OF", "P1")
    assert "UNCONSENTED_BUILD" in verdict.explanation


def test_twin_trained_on_a_foreign_capture_taints_the_asset() -> None:
    tw = twin_world(consents=(consent(),), capture_depicts={"C1": frozenset({"P1"}), "C2": frozenset({"P7"})})
    [verdict] = verdicts_for_asset(world(asset(), tw), NOW)
    assert verdict.code == "TAINTED_TWIN"
    assert verdict.evidence == ("A1", "RENDERS", "T1", "TRAINED_ON", "C2", "DEPICTS", "P7")


def test_tainted_twin_carries_the_build_consent_and_its_failed_clauses() -> None:
    bad_build = consent(
        "KB9", grantee_id="V1", twin_ids=(), purpose="BUILD", signed_by_id="AG1", signed_at=day(-40)
    )
    tw = twin_world(consents=(consent(), bad_build), with_build_consent=False)
    [verdict] = verdicts_for_asset(world(asset(), tw), NOW)
    assert (verdict.code, verdict.consent_ids, verdict.failed_clauses) == (
        "TAINTED_TWIN",
        ("KB9",),
        ("signatory",),
    )
