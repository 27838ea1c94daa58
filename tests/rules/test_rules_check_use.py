"""A brand's pre-flight of a planned use."""

from __future__ import annotations

from rules_factories import consent, day, twin_world

from likeness.rules import TwinUseCheck, UseCheck, UseRequest, check_use


def request(**changes: object) -> UseRequest:
    fields: dict[str, object] = {
        "twin_ids": frozenset({"T1"}),
        "publisher_id": "B1",
        "media_type": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": frozenset({"NL"}),
        "at": day(30),
    }
    fields.update(changes)
    return UseRequest(**fields)  # type: ignore[arg-type]


def test_planned_use_in_scope_is_permitted_by_its_consent() -> None:
    result = check_use(request(), {"T1": twin_world(consents=(consent(),))})
    assert result == UseCheck(
        permitted=True, code=None, twins=(TwinUseCheck("T1", "P1", True, consent_id="K1"),)
    )


def test_planned_use_outside_scope_names_consent_and_clauses() -> None:
    k = consent(channels=frozenset({"PRINT"}), territories=frozenset({"FR"}))
    result = check_use(request(), {"T1": twin_world(consents=(k,))})
    assert not result.permitted and result.code == "OUT_OF_SCOPE"
    assert result.twins == (TwinUseCheck("T1", "P1", False, "K1", ("channel", "territory"), "OUT_OF_SCOPE"),)


def test_planned_use_after_expiry_is_expired() -> None:
    result = check_use(request(at=day(400)), {"T1": twin_world(consents=(consent(),))})
    assert (result.code, result.twins[0].failed_clauses) == ("EXPIRED", ("window",))


def test_planned_use_without_consent_is_no_consent() -> None:
    result = check_use(request(), {"T1": twin_world()})
    assert result.code == "NO_CONSENT"
    assert result.twins == (TwinUseCheck("T1", "P1", False, code="NO_CONSENT"),)


def test_unknown_twin_is_no_consent_without_person() -> None:
    result = check_use(request(), {})
    assert result.twins == (TwinUseCheck("T1", None, False, code="NO_CONSENT"),)


def test_two_twins_report_each_and_the_first_failing_code() -> None:
    twins = {
        "T1": twin_world("T1", consents=(consent("K1"),)),
        "T2": twin_world(
            "T2",
            person_id="P2",
            consents=(consent("K2", person_id="P2", twin_ids=("T2",), signed_by_id="AG1"),),
        ),
    }
    result = check_use(request(twin_ids=frozenset({"T1", "T2"})), twins)
    assert not result.permitted and result.code == "INVALID_SIGNATORY"
    assert [(check.twin_id, check.permitted, check.consent_id) for check in result.twins] == [
        ("T1", True, "K1"),
        ("T2", False, "K2"),
    ]


def test_planned_sublicensed_use_needs_a_sublicensable_consent() -> None:
    twins = {"T1": twin_world(consents=(consent(),))}
    result = check_use(request(publisher_id="B2", sublicensed_from_id="B1"), twins)
    assert (result.code, result.twins[0].failed_clauses) == ("SUBLICENSE_NOT_PERMITTED", ("sublicense",))


def test_planned_use_with_prohibited_content_is_restriction_breached() -> None:
    twins = {"T1": twin_world(consents=(consent(prohibited_content=frozenset({"alcohol"})),))}
    assert check_use(request(content_tags=frozenset({"alcohol"})), twins).code == "RESTRICTION_BREACHED"
