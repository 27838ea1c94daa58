"""The issue's promises on the demo world: art. 50 only from 2 August 2026, a New York consent void
without counsel, an intimate-imagery notice overdue after 48 hours, the audit counted by law."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api


async def codes_and_laws(api: Api, asset_id: str) -> list[tuple[str, list[str]]]:
    data = await api(f'{{ provenance(assetId: "{asset_id}") {{ verdicts {{ code laws {{ id }} }} }} }}')
    return [(v["code"], [law["id"] for law in v["laws"]]) for v in data["provenance"]["verdicts"]]


async def test_an_unlabelled_eu_asset_breaks_article_50_only_once_it_applies(api: Api, demo: Any) -> None:
    assert await codes_and_laws(api, "asset-ss26-liv-july-unlabelled") == [("MISSING_AI_LABEL", [])]
    assert await codes_and_laws(api, "asset-ss26-liv-august-unlabelled") == [
        ("MISSING_AI_LABEL", ["EU-AI-ACT-50"])
    ]


async def test_a_new_york_consent_without_counsel_replacing_in_person_work_is_unenforceable(
    api: Api, demo: Any
) -> None:
    assert await codes_and_laws(api, "asset-ss26-ava-nyc") == [("CONSENT_UNENFORCEABLE", ["US-NY-GOL-5-302"])]


async def test_an_intimate_imagery_notice_is_overdue_after_48_hours(api: Api, demo: Any) -> None:
    query = """{ takedownNotice(id: "notice-maja-clipstream") {
        responseHours clockLaw dueAt
        before: status(asOf: "2026-09-12T07:59:59Z") at: status(asOf: "2026-09-12T08:00:00Z") }
      sighting(id: "sighting-clipstream-maja") {
        before: verdicts(asOf: "2026-09-12T07:59:59Z") { code }
        at: verdicts(asOf: "2026-09-12T08:00:00Z") { code laws { id } } } }"""
    data = await api(query)
    notice, sighting = data["takedownNotice"], data["sighting"]
    assert (notice["responseHours"], notice["clockLaw"]) == (48, "US-TAKE-IT-DOWN@1")
    assert notice["dueAt"].startswith("2026-09-12T08:00:00")
    assert (notice["before"], notice["at"]) == ("OPEN", "OVERDUE")
    assert sighting["before"] == []
    assert sighting["at"] == [{"code": "NOTICE_UNANSWERED", "laws": [{"id": "US-TAKE-IT-DOWN"}]}]


async def test_each_notice_runs_on_its_laws_clock(api: Api, demo: Any) -> None:
    query = """{ a: takedownNotice(id: "notice-ines-reelbharat") { responseHours clockLaw }
                 b: takedownNotice(id: "notice-elin-vidnord") { responseHours clockLaw }
                 c: takedownNotice(id: "notice-ines-pictagram") { responseHours clockLaw } }"""
    data = await api(query)
    assert data["a"] == {"responseHours": 3, "clockLaw": "IN-IT-RULES-2026@1"}
    assert data["b"] == {"responseHours": 72, "clockLaw": None}
    assert data["c"] == {"responseHours": 72, "clockLaw": None}  # its hours were given


async def test_the_audit_counts_by_law(api: Api, demo: Any) -> None:
    data = await api('{ audit(asOf: "2026-10-05T00:00:00Z", first: 1) { countsByLaw { lawId count } } }')
    assert data["audit"]["countsByLaw"] == [
        {"lawId": "EU-AI-ACT-50", "count": 1},
        {"lawId": "EU-DSA-16", "count": 1},
        {"lawId": "US-NY-GOL-5-302", "count": 1},
        {"lawId": "US-TAKE-IT-DOWN", "count": 1},
    ]
