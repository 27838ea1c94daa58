"""The catalogue of verdict codes."""

from __future__ import annotations

from likeness.rules import CLAUSE_ORDER, CODES

ASSET_CODES = {
    "NO_CONSENT",
    "OUT_OF_SCOPE",
    "RESTRICTION_BREACHED",
    "NOT_YET_VALID",
    "EXPIRED",
    "PUBLISHED_AFTER_REVOCATION",
    "INVALID_SIGNATORY",
    "MINOR_WITHOUT_GUARDIAN",
    "INCOMPLETE_TERMS",
    "CONSENT_UNENFORCEABLE",
    "SUBLICENSE_NOT_PERMITTED",
    "LIVE_AFTER_EXPIRY",
    "LIVE_AFTER_REVOCATION",
    "MISSING_AI_LABEL",
    "MISSING_MACHINE_READABLE_MARK",
    "TAINTED_TWIN",
    "UNDECLARED_LIKENESS",
}
TWIN_CODES = {"UNCONSENTED_BUILD", "FOREIGN_CAPTURE"}
SIGHTING_CODES = {"UNREGISTERED_USE", "NOTICE_UNANSWERED", "UNREGISTERED_LIKENESS"}


def test_every_design_code_is_catalogued_with_its_subject() -> None:
    assert set(CODES) == ASSET_CODES | TWIN_CODES | SIGHTING_CODES
    assert {code for code, info in CODES.items() if info.subject == "twin"} == TWIN_CODES
    assert {code for code, info in CODES.items() if info.subject == "sighting"} == SIGHTING_CODES


def test_every_code_has_a_one_line_summary_and_a_legal_anchor() -> None:
    for code, info in CODES.items():
        assert info.code == code
        assert info.summary and "\n" not in info.summary
        assert info.anchor


def test_labelling_codes_cite_the_eu_ai_act_articles() -> None:
    assert "art. 50(4)" in CODES["MISSING_AI_LABEL"].anchor
    assert "art. 50(2)" in CODES["MISSING_MACHINE_READABLE_MARK"].anchor


def test_clause_order_is_the_design_order() -> None:
    assert CLAUSE_ORDER == (
        "signatory",
        "guardian",
        "terms",
        "enforceable",
        "sublicense",
        "revoked",
        "content",
        "mediaType",
        "channel",
        "territory",
        "window",
    )
