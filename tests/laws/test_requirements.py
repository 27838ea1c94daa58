"""What a law requires of a planned use, from the verdict codes it grounds, and which of it a plan lacks.
Pure: no Neo4j."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from likeness.laws import load_packs
from likeness.laws.requirements import (
    CONSENT_REQUIREMENTS,
    REQUIREMENT_BY_CODE,
    REQUIREMENTS,
    PlannedPerson,
    PlannedUse,
    PlanRequirements,
    plan_requirements,
    requirement_of,
    requirements_of,
)
from likeness.rules.codes import CODES

# the code DESIGN's "Law packs" adds (laws-rules' rule); the mapping already names it
VERDICT_CODES = set(CODES) | {"CONSENT_UNENFORCEABLE"}

# issue 23's table: a code -> what a law grounding it requires; every other code requires nothing
EXPECTED = {
    "MISSING_AI_LABEL": "VISIBLE_LABEL",
    "MISSING_MACHINE_READABLE_MARK": "MACHINE_READABLE_MARK",
    "NO_CONSENT": "WRITTEN_CONSENT",
    "OUT_OF_SCOPE": "WRITTEN_CONSENT",
    "RESTRICTION_BREACHED": "WRITTEN_CONSENT",
    "NOT_YET_VALID": "WRITTEN_CONSENT",
    "EXPIRED": "WRITTEN_CONSENT",
    "PUBLISHED_AFTER_REVOCATION": "WRITTEN_CONSENT",
    "INVALID_SIGNATORY": "WRITTEN_CONSENT",
    "UNCONSENTED_BUILD": "WRITTEN_CONSENT",
    "INCOMPLETE_TERMS": "CONSENT_TERMS",
    "CONSENT_UNENFORCEABLE": "REPRESENTATION",
}

AFTER_ART_50 = datetime(2026, 9, 1, tzinfo=UTC)
BEFORE_ART_50 = datetime(2026, 7, 1, tzinfo=UTC)
SHIPPED = load_packs()


@pytest.mark.parametrize("code", sorted(VERDICT_CODES))
def test_every_verdict_code_maps_to_what_issue_23_says(code: str) -> None:
    assert requirement_of(code) == EXPECTED.get(code)


def test_the_mapping_names_only_verdict_codes_and_requirements() -> None:
    assert set(REQUIREMENT_BY_CODE) <= VERDICT_CODES
    assert set(REQUIREMENT_BY_CODE.values()) == set(REQUIREMENTS)
    assert CONSENT_REQUIREMENTS == {"WRITTEN_CONSENT", "CONSENT_TERMS", "REPRESENTATION"}


def test_requirements_of_codes_are_each_given_once_in_the_fixed_order() -> None:
    codes = ["INCOMPLETE_TERMS", "EXPIRED", "NO_CONSENT", "MISSING_AI_LABEL", "NOTICE_UNANSWERED"]
    assert requirements_of(codes) == ("VISIBLE_LABEL", "WRITTEN_CONSENT", "CONSENT_TERMS")
    assert requirements_of(["UNDECLARED_LIKENESS", "TAINTED_TWIN"]) == ()
    assert requirements_of([]) == ()


def test_the_schema_enum_names_the_same_requirements() -> None:
    from likeness.schema.requirements import Requirement

    assert tuple(member.value for member in Requirement) == REQUIREMENTS


def places(
    answer: PlanRequirements, kind: str
) -> dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]]:
    """place -> law id -> (requirements, lacking), for the ENACTED laws of `kind` (territories or
    jurisdictions)."""
    return {
        place.place: {law.law.id: (law.requirements, law.lacking) for law in place.laws}
        for place in getattr(answer, kind)
    }


def test_the_eu_act_reaches_a_member_state_from_2_august_2026_only() -> None:
    plan = PlannedUse(territories=frozenset({"SE", "US"}), at=AFTER_ART_50)
    answer = plan_requirements(SHIPPED, plan)
    label_and_mark = ("VISIBLE_LABEL", "MACHINE_READABLE_MARK")
    assert places(answer, "territories") == {
        "SE": {"EU-AI-ACT-50": (label_and_mark, label_and_mark)},
        "US": {},
    }
    assert answer.territories[0].laws[0].jurisdiction == "EU"
    assert answer.lacking == label_and_mark

    before = plan_requirements(SHIPPED, PlannedUse(territories=frozenset({"SE"}), at=BEFORE_ART_50))
    assert places(before, "territories") == {"SE": {}}
    assert before.lacking == ()


def test_a_law_day_is_the_utc_day_of_the_planned_instant() -> None:
    # 2026-08-02 01:00 in Stockholm is still 1 August in UTC
    from datetime import timedelta, timezone

    stockholm_summer = timezone(timedelta(hours=2))
    eve = PlannedUse(territories=frozenset({"SE"}), at=datetime(2026, 8, 2, 1, 0, tzinfo=stockholm_summer))
    day = PlannedUse(territories=frozenset({"SE"}), at=datetime(2026, 8, 2, 0, 0, tzinfo=UTC))
    assert places(plan_requirements(SHIPPED, eve), "territories") == {"SE": {}}
    assert "EU-AI-ACT-50" in places(plan_requirements(SHIPPED, day), "territories")["SE"]


def test_what_the_plan_carries_is_not_lacking() -> None:
    plan = PlannedUse(territories=frozenset({"CN"}), at=AFTER_ART_50, ai_label=True)
    answer = plan_requirements(SHIPPED, plan)
    assert places(answer, "territories")["CN"]["CN-AI-LABELLING"][1] == ("MACHINE_READABLE_MARK",)
    full = PlannedUse(
        territories=frozenset({"CN"}), at=AFTER_ART_50, ai_label=True, machine_readable_mark=True
    )
    assert plan_requirements(SHIPPED, full).lacking == ()


def test_laws_on_consents_apply_through_each_persons_jurisdiction_and_lack_what_her_checks_fail() -> None:
    plan = PlannedUse(
        territories=frozenset({"SE"}),
        at=AFTER_ART_50,
        ai_label=True,
        machine_readable_mark=True,
        persons=(
            PlannedPerson("person-ny", "US-NY", frozenset({"WRITTEN_CONSENT"})),
            PlannedPerson("person-ca", "US-CA", frozenset({"REPRESENTATION"})),
            PlannedPerson("person-se", "SE", frozenset({"WRITTEN_CONSENT"})),
            PlannedPerson("person-unknown", None, frozenset({"WRITTEN_CONSENT"})),
        ),
    )
    answer = plan_requirements(SHIPPED, plan)
    assert places(answer, "jurisdictions") == {
        "SE": {},
        "US-CA": {"US-CA-LAB-927": (("REPRESENTATION",), ("REPRESENTATION",))},
        "US-NY": {
            "US-NY-FWA": (("WRITTEN_CONSENT", "CONSENT_TERMS"), ("WRITTEN_CONSENT",)),
            "US-NY-GOL-5-302": (("REPRESENTATION",), ()),
        },
    }
    assert [place.person_ids for place in answer.jurisdictions] == [
        ("person-se",),
        ("person-ca",),
        ("person-ny",),
    ]
    # a law on assets that asks for a consent (California's digital-replica publicity right) is not reached
    # through SE; the persons' consent failures count under their own laws only
    assert answer.lacking == ("WRITTEN_CONSENT", "REPRESENTATION")


def test_a_law_on_assets_asking_for_consent_lacks_what_any_twins_check_fails(tmp_path: Path) -> None:
    (tmp_path / "XX-PUBLICITY@1.toml").write_text(
        """\
id = "XX-PUBLICITY"
version = 1
title = "A publicity right of tests"
jurisdiction = ["SE"]
status = "ENACTED"
inForceFrom = 2025-01-01
appliesTo = ["ASSET"]
source = ["https://example.org/law"]

[[grounds]]
code = "NO_CONSENT"
article = "s. 1"
""",
        encoding="utf-8",
    )
    book = load_packs(tmp_path)
    plan = PlannedUse(
        territories=frozenset({"SE"}),
        at=AFTER_ART_50,
        persons=(PlannedPerson("person-a", None, frozenset({"WRITTEN_CONSENT"})),),
    )
    assert places(plan_requirements(book, plan), "territories") == {
        "SE": {"XX-PUBLICITY": (("WRITTEN_CONSENT",), ("WRITTEN_CONSENT",))}
    }
    consented = PlannedUse(
        territories=frozenset({"SE"}), at=AFTER_ART_50, persons=(PlannedPerson("p", None),)
    )
    assert places(plan_requirements(book, consented), "territories")["SE"]["XX-PUBLICITY"][1] == ()


def test_proposed_laws_are_listed_apart_and_never_lacking() -> None:
    plan = PlannedUse(
        territories=frozenset({"DK"}),
        at=AFTER_ART_50,
        persons=(PlannedPerson("person-ny", "US-NY", frozenset({"WRITTEN_CONSENT"})),),
    )
    answer = plan_requirements(SHIPPED, plan)
    (dk,) = answer.territories
    assert [(law.law.id, law.law.status, law.requirements, law.lacking) for law in dk.would_require] == [
        ("DK-LIKENESS", "PROPOSED", ("WRITTEN_CONSENT",), ())
    ]
    (ny,) = answer.jurisdictions
    assert [(law.law.id, law.jurisdiction, law.lacking) for law in ny.would_require] == [
        ("US-NO-FAKES", "US", ())
    ]
    # lacking counts ENACTED laws only: EU-AI-ACT-50 in DK (label, mark) and the FWA in New York
    assert answer.lacking == ("VISIBLE_LABEL", "MACHINE_READABLE_MARK", "WRITTEN_CONSENT")


def test_laws_on_notices_require_nothing_of_a_planned_use() -> None:
    # IN-IT-RULES-2026 applies to assets and notices: listed for its labels only; EU-DSA-16 (notices) never
    plan = PlannedUse(territories=frozenset({"IN", "DE"}), at=AFTER_ART_50)
    listed = {law.law.id for place in plan_requirements(SHIPPED, plan).territories for law in place.laws}
    assert listed == {"IN-IT-RULES-2026", "EU-AI-ACT-50"}
