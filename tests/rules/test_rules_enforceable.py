"""CONSENT_UNENFORCEABLE: a consent replacing in-person work, signed with no lawyer or union where the law
requires one (NY GOL s. 5-302, Cal. Lab. Code s. 927), fails the `enforceable` clause, right after terms."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rules_factories import build_consent, consent, day, parties, twin_world, world

from likeness.rules import (
    CLAUSE_ORDER,
    CODES,
    ConsentFacts,
    UseRequest,
    Verdict,
    check_use,
    verdicts_for_asset,
    verdicts_for_twin,
)

NOW = day(30)
# what the graph sets from the law packs for a person whose law requires representation on the signing day
BOUND = {"representation_required": True, "replaces_in_person_work": True, "representation": "NONE"}


def only_verdict(*consents_: ConsentFacts, person_jurisdiction: str | None = "US-NY") -> Verdict:
    tw = twin_world(consents=consents_)
    tw = replace(tw, person=replace(tw.person, jurisdiction=person_jurisdiction))
    [verdict] = verdicts_for_asset(world(None, tw), NOW)
    return verdict


def test_the_code_is_catalogued_with_both_statutes() -> None:
    info = CODES["CONSENT_UNENFORCEABLE"]
    assert info.subject == "asset"
    assert "5-302" in info.anchor and "927" in info.anchor


def test_the_clause_comes_right_after_terms() -> None:
    assert CLAUSE_ORDER.index("enforceable") == CLAUSE_ORDER.index("terms") + 1


def test_unrepresented_consent_replacing_in_person_work_is_unenforceable() -> None:
    k = consent(negotiated_by_id="AG1", **BOUND)
    verdict = only_verdict(k)
    assert (verdict.code, verdict.failed_clauses) == ("CONSENT_UNENFORCEABLE", ("enforceable",))
    assert parties(verdict) == [("B1", "PRIMARY"), ("AG1", "SECONDARY")]
    assert "US-NY" in verdict.explanation and "lawyer" in verdict.explanation


@pytest.mark.parametrize(
    "change",
    [
        {"representation": "COUNSEL"},
        {"representation": "UNION"},
        {"representation": None},
        {"replaces_in_person_work": False},
        {"replaces_in_person_work": None},
        {"representation_required": False},
    ],
)
def test_representation_a_use_that_replaces_no_work_unknown_facts_or_no_such_law_keep_it_enforceable(
    change: dict[str, object],
) -> None:
    k = consent(**{**BOUND, **change})
    tw = twin_world(consents=(k,))
    assert verdicts_for_asset(world(None, tw), NOW) == ()


def test_incomplete_terms_come_first_and_both_clauses_are_listed() -> None:
    k = consent(compensation=None, **BOUND)
    verdict = only_verdict(k)
    assert (verdict.code, verdict.failed_clauses) == ("INCOMPLETE_TERMS", ("terms", "enforceable"))


def test_it_comes_before_scope_and_window() -> None:
    k = consent(channels=frozenset({"PRINT"}), valid_from=day(5), **BOUND)
    verdict = only_verdict(k)
    assert verdict.code == "CONSENT_UNENFORCEABLE"
    assert verdict.failed_clauses == ("enforceable", "channel", "window")


def test_a_represented_consent_is_chosen_over_an_unenforceable_one() -> None:
    tw = twin_world(
        consents=(consent("K1", **BOUND), consent("K2", **{**BOUND, "representation": "COUNSEL"}))
    )
    assert verdicts_for_asset(world(None, tw), NOW) == ()


def test_a_twin_built_under_an_unenforceable_build_consent_is_unconsented() -> None:
    tw = twin_world(with_build_consent=False, consents=(build_consent(**BOUND),))
    [verdict] = verdicts_for_twin(tw, NOW)
    assert (verdict.code, verdict.failed_clauses) == ("UNCONSENTED_BUILD", ("enforceable",))
    # and the assets rendering it inherit the build violation
    codes = {
        v.code for v in verdicts_for_asset(world(None, replace(tw, consents=(*tw.consents, consent()))), NOW)
    }
    assert codes == {"TAINTED_TWIN"}


def test_check_usage_answers_it_per_twin() -> None:
    request = UseRequest(
        twin_ids=frozenset({"T1"}),
        publisher_id="B1",
        media_type="IMAGE",
        channel="INSTAGRAM",
        territories=frozenset({"NL"}),
        at=NOW,
    )
    result = check_use(request, {"T1": twin_world(consents=(consent(**BOUND),))})
    assert not result.permitted and result.code == "CONSENT_UNENFORCEABLE"
    assert result.twins[0].failed_clauses == ("enforceable",)


# --- an oracle: the clause and its place in the order, recomputed apart from the rules ------------------

ORDER = ("signatory", "terms", "enforceable", "channel", "window")
CODE_OF = {
    "signatory": "INVALID_SIGNATORY",
    "terms": "INCOMPLETE_TERMS",
    "enforceable": "CONSENT_UNENFORCEABLE",
    "channel": "OUT_OF_SCOPE",
}


@given(
    representation=st.sampled_from([None, "NONE", "COUNSEL", "UNION"]),
    replaces=st.sampled_from([None, True, False]),
    required=st.booleans(),
    by_agency=st.booleans(),
    unpaid=st.booleans(),
    print_only=st.booleans(),
    late=st.booleans(),
    purpose=st.sampled_from(["USE", "BUILD"]),
)
def test_the_code_follows_the_first_failed_clause_as_an_oracle_says(
    representation: str | None,
    replaces: bool | None,
    required: bool,
    by_agency: bool,
    unpaid: bool,
    print_only: bool,
    late: bool,
    purpose: str,
) -> None:
    """One consent, flawed clause by clause; the failed clauses and the code, worked out here from the
    flaws alone, are the rules' (for a use: the asset's verdict; for a build: the twin's)."""
    flaws: dict[str, object] = {
        "representation": representation,
        "replaces_in_person_work": replaces,
        "representation_required": required,
    }
    if by_agency:
        flaws["signed_by_id"] = "AG1"
    if unpaid:
        flaws["compensation"] = None
    if print_only:
        flaws["channels"] = frozenset({"PRINT"})
    if late:
        flaws["valid_from"] = day(45)
    failing = {
        "signatory": by_agency,
        "terms": unpaid,
        "enforceable": required and replaces is True and representation == "NONE",
        # scope does not apply to a build
        "channel": print_only and purpose == "USE",
        "window": late,
    }
    expected = tuple(clause for clause in ORDER if failing[clause])
    if purpose == "USE":
        tw = twin_world(consents=(consent(**flaws),))  # type: ignore[arg-type]
        found = [v for v in verdicts_for_asset(world(None, tw), NOW) if v.consent_ids == ("K1",)]
        if not expected:
            assert found == []
            return
        [verdict] = found
        first = expected[0]
        code = CODE_OF.get(first) or ("NOT_YET_VALID" if late else "EXPIRED")
    else:
        tw = twin_world(with_build_consent=False, consents=(build_consent("K1", **flaws),))  # type: ignore[arg-type]
        found = list(verdicts_for_twin(tw, NOW))
        if not expected:
            assert found == []
            return
        [verdict] = found
        code = "UNCONSENTED_BUILD"
    assert (verdict.code, verdict.failed_clauses) == (code, expected)
