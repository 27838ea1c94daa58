"""The rules laws bring, through the API (DESIGN "Law packs"): CONSENT_UNENFORCEABLE for a New York model's
unrepresented consent replacing in-person work, notice clocks by law, and EU DSA art. 16 notices."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import orjson

from likeness.ingest.bulk import export_to, import_lines
from tests.factories import asset, capture, consent, org, person, send, twin

ASSET_VERDICTS = """query($id: ID!, $asOf: DateTime) { provenance(assetId: $id, asOf: $asOf) {
  verdicts { code failedClauses consentIds liable { partyId role } explanation } } }"""
CONSENT = """query($id: ID!) { consent(id: $id) { id representation replacesInPersonWork } }"""
NOTICE = """mutation($input: TakedownNoticeInput!) { sendTakedownNotice(input: $input) {
  id sentAt responseHours responseHoursGiven clockLaw dueAt category ordered exactLocation notifierName
  notifierEmail goodFaith } }"""
STATUS = """query($id: ID!, $asOf: DateTime) { takedownNotice(id: $id) { status(asOf: $asOf) } }"""
SIGHTING_VERDICTS = (
    """query($id: ID!, $asOf: DateTime) { sighting(id: $id) { verdicts(asOf: $asOf) { code } } }"""
)

UNREPRESENTED = {"replacesInPersonWork": True, "representation": "NONE"}
MICRO = timedelta(microseconds=1)


async def consent_world(api: Any, *, jurisdiction: str | None = "US-NY", **terms: Any) -> None:
    """A model of `jurisdiction`, a twin of hers built with her consent, a USE consent signed on 2025-03-01
    (with `terms`) negotiated by her agency, and an asset published under it on 2025-03-02."""
    await send(api, "registerPerson", person(birthDate="1998-04-17", jurisdiction=jurisdiction))
    for oid, kind in [
        ("brand-nordhem", "BRAND"),
        ("vendor-uncut", "VENDOR"),
        ("agency-next", "AGENCY"),
        ("studio-north", "STUDIO"),
    ]:
        await send(api, "registerOrganization", org(oid, kind))
    await send(api, "recordCapture", capture())
    build = consent(
        "consent-build", "BUILD", signedAt="2025-01-01T00:00:00Z", validFrom="2025-01-01T00:00:00Z"
    )
    await send(api, "grantConsent", build)
    await send(api, "buildTwin", twin())
    signed = terms.pop("signedAt", "2025-03-01T00:00:00Z")
    use = consent("consent-use", signedAt=signed, validFrom=signed, negotiatedById="agency-next", **terms)
    await send(api, "grantConsent", use)
    await send(api, "publishAsset", asset(publishedAt="2025-03-02T00:00:00Z"))


async def asset_verdicts(api: Any) -> list[dict[str, Any]]:
    found = await api(ASSET_VERDICTS, {"id": "asset-1", "asOf": "2025-04-01T00:00:00Z"})
    return found["provenance"]["verdicts"]


async def test_a_new_york_models_unrepresented_consent_replacing_in_person_work_is_unenforceable(
    api: Any,
) -> None:
    await consent_world(api, **UNREPRESENTED)
    (verdict,) = await asset_verdicts(api)
    assert verdict["code"] == "CONSENT_UNENFORCEABLE"
    assert verdict["failedClauses"] == ["enforceable"] and verdict["consentIds"] == ["consent-use"]
    assert verdict["liable"] == [
        {"partyId": "brand-nordhem", "role": "PRIMARY"},
        {"partyId": "agency-next", "role": "SECONDARY"},
    ]
    assert "US-NY" in verdict["explanation"]
    shown = (await api(CONSENT, {"id": "consent-use"}))["consent"]
    assert shown == {"id": "consent-use", "representation": "NONE", "replacesInPersonWork": True}


async def test_counsel_keeps_it_enforceable(api: Any) -> None:
    await consent_world(api, replacesInPersonWork=True, representation="COUNSEL")
    assert await asset_verdicts(api) == []


async def test_a_swedish_model_is_under_no_such_law(api: Any) -> None:
    await consent_world(api, jurisdiction="SE", **UNREPRESENTED)
    assert await asset_verdicts(api) == []


async def test_a_consent_signed_before_the_law_was_in_force_stays_enforceable(api: Any) -> None:
    await consent_world(api, signedAt="2024-06-01T00:00:00Z", **UNREPRESENTED)
    assert await asset_verdicts(api) == []


async def test_absent_fields_mean_not_known_and_never_break(api: Any) -> None:
    await consent_world(api)
    assert await asset_verdicts(api) == []
    shown = (await api(CONSENT, {"id": "consent-use"}))["consent"]
    assert shown == {"id": "consent-use", "representation": None, "replacesInPersonWork": None}


async def test_a_twin_built_under_an_unenforceable_build_consent_is_unconsented(api: Any, graph: Any) -> None:
    await send(api, "registerPerson", person(birthDate="1998-04-17"))
    await send(api, "registerOrganization", org("vendor-uncut", "VENDOR"))
    await send(api, "registerOrganization", org("brand-nordhem", "BRAND"))
    await send(api, "registerOrganization", org("studio-north", "STUDIO"))
    await send(api, "recordCapture", capture())
    build = consent(
        "consent-build",
        "BUILD",
        signedAt="2025-01-20T00:00:00Z",
        validFrom="2025-01-20T00:00:00Z",
        **UNREPRESENTED,
    )
    await send(api, "grantConsent", build)
    await send(api, "buildTwin", twin())
    found = await graph.query(
        "MATCH (v:Verdict {subjectId: 'twin-ada-1'}) RETURN v.code AS code, v.failedClauses AS clauses"
    )
    assert found == [{"code": "UNCONSENTED_BUILD", "clauses": ["enforceable"]}]


async def test_check_usage_answers_per_twin_by_the_law(api: Any) -> None:
    await consent_world(api, **UNREPRESENTED)
    query = """{ checkUsage(twinIds: ["twin-ada-1"], publisherId: "brand-nordhem", mediaType: IMAGE,
      channel: INSTAGRAM, territories: ["SE"], at: "2025-06-01T00:00:00Z") {
        permitted code twins { consentId failedClauses code } } }"""
    found = (await api(query))["checkUsage"]
    assert found == {
        "permitted": False,
        "code": "CONSENT_UNENFORCEABLE",
        "twins": [
            {"consentId": "consent-use", "failedClauses": ["enforceable"], "code": "CONSENT_UNENFORCEABLE"}
        ],
    }


# --- notices ------------------------------------------------------------------------------------------


async def notice_world(api: Any, jurisdiction: str | None, observed: str) -> None:
    """Ada, a platform of `jurisdiction` and a sighting on it observed at `observed`."""
    await send(api, "registerPerson", person())
    platform = org("platform-gram", "PLATFORM")
    if jurisdiction is not None:
        platform["jurisdiction"] = jurisdiction
    await send(api, "registerOrganization", platform)
    sighting = {
        "id": "sighting-1",
        "url": "https://gram.example/p/1",
        "observedAt": observed,
        "phash": "00ff00ff00ff00f0",
        "platformId": "platform-gram",
    }
    await send(api, "reportSighting", sighting)


def notice(sent: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "notice-1",
        "sightingId": "sighting-1",
        "platformId": "platform-gram",
        "sentById": "person-ada",
        "sentAt": sent,
        **extra,
    }


def plus(instant: str, hours: float) -> str:
    return (datetime.fromisoformat(instant) + timedelta(hours=hours)).isoformat()


async def status(api: Any, as_of: str) -> str:
    return (await api(STATUS, {"id": "notice-1", "asOf": as_of}))["takedownNotice"]["status"]


async def test_an_intimate_imagery_notice_to_a_us_platform_runs_48_hours_and_is_overdue_after(
    api: Any,
) -> None:
    sent = "2026-06-01T00:00:00+00:00"
    await notice_world(api, "US", sent)
    answer = (await api(NOTICE, {"input": notice(sent, category="INTIMATE")}))["sendTakedownNotice"]
    assert (answer["responseHours"], answer["responseHoursGiven"], answer["clockLaw"]) == (
        48,
        False,
        "US-TAKE-IT-DOWN@1",
    )
    assert answer["dueAt"] == plus(sent, 48) and answer["category"] == "INTIMATE"
    just_before = (datetime.fromisoformat(plus(sent, 48)) - MICRO).isoformat()
    assert await status(api, just_before) == "OPEN"
    assert await status(api, plus(sent, 48)) == "OVERDUE"
    found = await api(SIGHTING_VERDICTS, {"id": "sighting-1", "asOf": plus(sent, 48)})
    assert [v["code"] for v in found["sighting"]["verdicts"]] == ["NOTICE_UNANSWERED"]


async def test_the_same_notice_sent_again_is_unchanged_and_given_hours_are_kept(api: Any) -> None:
    sent = "2026-06-01T00:00:00+00:00"
    await notice_world(api, "US", sent)
    first = await api(NOTICE, {"input": notice(sent, category="INTIMATE")})
    assert await api(NOTICE, {"input": notice(sent, category="INTIMATE")}) == first
    (error,) = await api.errors(NOTICE, {"input": notice(sent, category="INTIMATE", responseHours=48)})
    assert error["extensions"]["code"] == "CONFLICT"
    given = (
        await api(NOTICE, {"input": notice(sent, id="notice-2", category="INTIMATE", responseHours=100)})
    )["sendTakedownNotice"]
    assert (given["responseHours"], given["responseHoursGiven"], given["clockLaw"]) == (100, True, None)


async def test_an_ordered_takedown_on_an_indian_platform_runs_3_hours(api: Any) -> None:
    sent = "2026-03-01T00:00:00+00:00"
    await notice_world(api, "IN", sent)
    answer = (await api(NOTICE, {"input": notice(sent, ordered=True)}))["sendTakedownNotice"]
    assert (answer["responseHours"], answer["clockLaw"], answer["ordered"]) == (3, "IN-IT-RULES-2026@1", True)
    assert answer["dueAt"] == plus(sent, 3)


async def test_before_the_laws_day_or_without_its_conditions_the_clock_is_72_hours(api: Any) -> None:
    sent = "2026-05-18T23:00:00+00:00"  # TAKE IT DOWN's platform duty starts on 2026-05-19
    await notice_world(api, "US", sent)
    early = (await api(NOTICE, {"input": notice(sent, category="INTIMATE")}))["sendTakedownNotice"]
    assert (early["responseHours"], early["responseHoursGiven"], early["clockLaw"]) == (72, False, None)
    later = "2026-06-01T00:00:00+00:00"
    other = (await api(NOTICE, {"input": notice(later, id="notice-2", category="OTHER")}))[
        "sendTakedownNotice"
    ]
    assert (other["responseHours"], other["clockLaw"]) == (72, None)
    unordered = (await api(NOTICE, {"input": notice(later, id="notice-3", ordered=False)}))[
        "sendTakedownNotice"
    ]
    assert unordered["responseHours"] == 72 and unordered["ordered"] is False


DSA = {
    "basis": "A digital replica of Ada published without her consent",
    "exactLocation": "https://gram.example/p/1",
    "notifierName": "Ada Varga",
    "notifierEmail": "ada@example.org",
    "goodFaith": True,
}


async def test_a_notice_to_an_eu_platform_missing_a_dsa_field_is_refused_naming_it(
    api: Any, graph: Any
) -> None:
    sent = "2026-06-01T00:00:00+00:00"
    await notice_world(api, "SE", sent)
    for name in DSA:
        data = notice(sent, **{key: value for key, value in DSA.items() if key != name})
        (error,) = await api.errors(NOTICE, {"input": data})
        assert error["extensions"]["code"] == "DSA_NOTICE_INCOMPLETE", error
        assert error["extensions"]["field"] == name and "art. 16" in error["message"], error
    (error,) = await api.errors(NOTICE, {"input": notice(sent, **{**DSA, "goodFaith": False})})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "DSA_NOTICE_INCOMPLETE",
        "goodFaith",
    )
    (error,) = await api.errors(NOTICE, {"input": notice(sent, **{**DSA, "notifierEmail": "ada at example"})})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "notifierEmail")
    rows = await graph.query("MATCH (n:TakedownNotice) RETURN count(n) AS n")
    assert rows == [{"n": 0}]
    answer = (await api(NOTICE, {"input": notice(sent, **DSA)}))["sendTakedownNotice"]
    assert {key: answer[key] for key in DSA if key != "basis"} == {
        k: v for k, v in DSA.items() if k != "basis"
    }
    assert answer["responseHours"] == 72


async def test_dsa_fields_are_optional_for_a_platform_elsewhere_or_of_no_known_jurisdiction(api: Any) -> None:
    sent = "2026-06-01T00:00:00+00:00"
    await notice_world(api, "US", sent)
    await send(api, "registerOrganization", org("platform-other", "PLATFORM"))
    assert (await api(NOTICE, {"input": notice(sent)}))["sendTakedownNotice"]["goodFaith"] is None
    await send(
        api,
        "reportSighting",
        {"id": "sighting-2", "url": "https://o.example/1", "observedAt": sent, "phash": "00ff00ff00ff00f0"},
    )
    data = notice(sent, id="notice-2", sightingId="sighting-2", platformId="platform-other")
    assert (await api(NOTICE, {"input": data}))["sendTakedownNotice"]["responseHours"] == 72


async def test_an_organizations_jurisdiction_is_checked_stored_and_shown(api: Any) -> None:
    await send(api, "registerOrganization", {**org("platform-gram", "PLATFORM"), "jurisdiction": "se"})
    found = await api('{ organization(id: "platform-gram") { jurisdiction } }')
    assert found["organization"] == {"jurisdiction": "SE"}
    (error,) = await api.errors(
        "mutation($input: OrganizationInput!) { registerOrganization(input: $input) { id } }",
        {"input": {**org("platform-x", "PLATFORM"), "jurisdiction": "XX-YY"}},
    )
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "jurisdiction")


async def test_the_new_fields_and_the_law_clock_survive_export_and_import(api: Any, graph: Any) -> None:
    await consent_world(api, **UNREPRESENTED)
    sent = "2026-06-01T00:00:00+00:00"
    await send(api, "registerOrganization", {**org("platform-gram", "PLATFORM"), "jurisdiction": "US"})
    await send(
        api,
        "reportSighting",
        {
            "id": "sighting-1",
            "url": "https://gram.example/p/1",
            "observedAt": sent,
            "phash": "00ff00ff00ff00f0",
            "platformId": "platform-gram",
        },
    )
    await api(NOTICE, {"input": notice(sent, category="INTIMATE", ordered=False, **DSA)})
    out = io.StringIO()
    await export_to(graph, out)
    first = out.getvalue()
    lines = [orjson.loads(text) for text in first.splitlines()]
    # the notice's input is the client's: the law's clock is the server's, worked out again on import
    (sent_notice,) = [entry["input"] for entry in lines if entry["op"] == "sendTakedownNotice"]
    assert sent_notice["category"] == "INTIMATE" and "responseHours" not in sent_notice
    (use,) = [
        entry["input"]
        for entry in lines
        if entry["op"] == "grantConsent" and entry["input"]["id"] == "consent-use"
    ]
    assert (use["representation"], use["replacesInPersonWork"]) == ("NONE", True)
    (platform,) = [entry["input"] for entry in lines if entry["input"].get("id") == "platform-gram"]
    assert platform["jurisdiction"] == "US"
    verdicts = "MATCH (v:Verdict) RETURN v.subjectId AS s, v.code AS c, v.start AS t ORDER BY s, c, t"
    before = await graph.query(verdicts)
    assert ("asset-1", "CONSENT_UNENFORCEABLE") in {(row["s"], row["c"]) for row in before}
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    summary = await import_lines(graph, first.splitlines())
    assert summary.rejected == []
    again = io.StringIO()
    await export_to(graph, again)
    assert again.getvalue() == first
    assert await graph.query(verdicts) == before
    clock = (
        "MATCH (n:TakedownNotice) RETURN n.responseHours AS h, n.responseHoursGiven AS g, n.clockLaw AS law"
    )
    assert await graph.query(clock) == [{"h": 48, "g": False, "law": "US-TAKE-IT-DOWN@1"}]
    # and a re-import changes nothing
    summary = await import_lines(graph, first.splitlines())
    assert summary.rejected == [] and summary.applied == 0


async def test_a_notice_recorded_with_the_old_default_is_unchanged_when_sent_again_without_hours(
    api: Any,
) -> None:
    sent = "2026-06-01T00:00:00+00:00"
    await notice_world(api, "US", sent)
    # before clocks by law, a notice without hours was recorded with responseHours 72 in its input
    first = await api(NOTICE, {"input": notice(sent, category="INTIMATE", responseHours=72)})
    assert await api(NOTICE, {"input": notice(sent, category="INTIMATE")}) == first
    assert first["sendTakedownNotice"]["responseHours"] == 72
