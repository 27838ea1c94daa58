"""checkUsage through the public API: what each law in force at the planned instant requires of the use,
per planned territory (laws on assets) and per person's jurisdiction (laws on consents), and which of it
the plan lacks."""

from __future__ import annotations

from typing import Any

from tests.factories import base_world, capture, consent, send, twin

CHECK = """query($territories: [String!]!, $at: DateTime, $label: Boolean, $mark: Boolean,
                  $twins: [ID!]! = ["twin-ada-1"]) {
  checkUsage(twinIds: $twins, publisherId: "brand-nordhem", mediaType: IMAGE, channel: INSTAGRAM,
             territories: $territories, at: $at, aiLabel: $label, machineReadableMark: $mark) {
    permitted code
    territories { territory
      laws { law { id version jurisdiction jurisdictions status inForceFrom } requirements lacking }
      wouldRequire { law { id status } requirements lacking } }
    jurisdictions { jurisdiction personIds
      laws { law { id jurisdiction status } requirements lacking }
      wouldRequire { law { id status } requirements lacking } }
    lacking } }"""

AFTER_ART_50 = "2026-09-01T00:00:00Z"
BEFORE_ART_50 = "2026-07-01T00:00:00Z"
LABEL_AND_MARK = ["VISIBLE_LABEL", "MACHINE_READABLE_MARK"]


async def world_with_a_consent_in_force_in_2026(api: Any) -> None:
    """Ada (US-NY) with a USE consent to Nordhem covering SE, US and CN through 2026."""
    await base_world(api)
    await send(
        api,
        "grantConsent",
        consent(
            "consent-use-2026",
            signedAt="2026-01-10T00:00:00Z",
            validFrom="2026-01-10T00:00:00Z",
            validUntil="2027-01-10T00:00:00Z",
            territories=["SE", "US", "CN", "DK"],
        ),
    )


async def check(api: Any, territories: list[str], at: str, **variables: Any) -> dict[str, Any]:
    return (await api(CHECK, {"territories": territories, "at": at, **variables}))["checkUsage"]


def by_territory(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["territory"]: entry for entry in answer["territories"]}


def laws_of(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {law["law"]["id"]: law for law in entry["laws"]}


async def test_a_plan_in_se_and_us_after_2_august_2026_without_label_lacks_what_eu_ai_act_50_requires(
    api: Any, graph: Any
) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["US", "SE"], AFTER_ART_50)
    assert answer["permitted"] is True
    assert [entry["territory"] for entry in answer["territories"]] == ["SE", "US"]
    se, us = by_territory(answer)["SE"], by_territory(answer)["US"]
    assert se["laws"] == [
        {
            "law": {
                "id": "EU-AI-ACT-50",
                "version": 1,
                "jurisdiction": "EU",
                "jurisdictions": ["EU"],
                "status": "ENACTED",
                "inForceFrom": "2026-08-02",
            },
            "requirements": LABEL_AND_MARK,
            "lacking": LABEL_AND_MARK,
        }
    ]
    # no federal US law on assets: the US entry is listed, and requires nothing
    assert us["laws"] == [] and us["wouldRequire"] == []
    assert answer["lacking"] == LABEL_AND_MARK


async def test_before_2_august_2026_no_eu_law_requires_anything_of_a_plan_in_se(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["SE", "US"], BEFORE_ART_50)
    assert {entry["territory"]: entry["laws"] for entry in answer["territories"]} == {"SE": [], "US": []}
    assert "VISIBLE_LABEL" not in answer["lacking"]
    assert "MACHINE_READABLE_MARK" not in answer["lacking"]


async def test_a_plan_carrying_a_label_and_a_mark_lacks_nothing(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["SE", "US"], AFTER_ART_50, label=True, mark=True)
    se = laws_of(by_territory(answer)["SE"])["EU-AI-ACT-50"]
    assert se["requirements"] == LABEL_AND_MARK and se["lacking"] == []
    assert all(law["lacking"] == [] for place in answer["jurisdictions"] for law in place["laws"])
    assert answer["lacking"] == []


async def test_a_plan_with_only_a_mark_lacks_only_the_label(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["SE"], AFTER_ART_50, label=False, mark=True)
    assert laws_of(by_territory(answer)["SE"])["EU-AI-ACT-50"]["lacking"] == ["VISIBLE_LABEL"]
    assert answer["lacking"] == ["VISIBLE_LABEL"]


async def test_a_plan_in_cn_falls_under_the_chinese_labelling_measures(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["CN"], BEFORE_ART_50, mark=True)
    assert by_territory(answer)["CN"]["laws"] == [
        {
            "law": {
                "id": "CN-AI-LABELLING",
                "version": 1,
                "jurisdiction": "CN",
                "jurisdictions": ["CN"],
                "status": "ENACTED",
                "inForceFrom": "2025-09-01",
            },
            "requirements": LABEL_AND_MARK,
            "lacking": ["VISIBLE_LABEL"],
        }
    ]


async def test_laws_on_consents_apply_through_the_persons_jurisdiction(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True)
    assert [place["jurisdiction"] for place in answer["jurisdictions"]] == ["US-NY"]
    ny = answer["jurisdictions"][0]
    assert ny["personIds"] == ["person-ada"]
    assert laws_of(ny) == {
        "US-NY-FWA": {
            "law": {"id": "US-NY-FWA", "jurisdiction": "US-NY", "status": "ENACTED"},
            "requirements": ["WRITTEN_CONSENT", "CONSENT_TERMS"],
            "lacking": [],
        },
        "US-NY-GOL-5-302": {
            "law": {"id": "US-NY-GOL-5-302", "jurisdiction": "US-NY", "status": "ENACTED"},
            "requirements": ["REPRESENTATION"],
            "lacking": [],
        },
    }
    # the federal NO FAKES Act, proposed, reaches New York: listed apart, lacking nothing
    assert ny["wouldRequire"] == [
        {
            "law": {"id": "US-NO-FAKES", "status": "PROPOSED"},
            "requirements": ["WRITTEN_CONSENT"],
            "lacking": [],
        }
    ]


async def test_a_consent_that_no_longer_covers_the_use_is_lacking_under_the_persons_law(
    api: Any, graph: Any
) -> None:
    # only the base world's consent, which ended on 2026-01-15
    await base_world(api)
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True)
    assert answer["permitted"] is False and answer["code"] == "EXPIRED"
    fwa = laws_of(answer["jurisdictions"][0])["US-NY-FWA"]
    assert fwa["lacking"] == ["WRITTEN_CONSENT"]
    assert answer["lacking"] == ["WRITTEN_CONSENT"]


async def test_a_consent_without_a_description_of_its_uses_lacks_its_terms(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(
        api,
        "grantConsent",
        consent(
            "consent-vague",
            signedAt="2026-01-10T00:00:00Z",
            validFrom="2026-01-10T00:00:00Z",
            validUntil="2027-01-10T00:00:00Z",
            description=None,
        ),
    )
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True)
    assert answer["code"] == "INCOMPLETE_TERMS"
    assert laws_of(answer["jurisdictions"][0])["US-NY-FWA"]["lacking"] == ["CONSENT_TERMS"]
    assert answer["lacking"] == ["CONSENT_TERMS"]


async def test_a_proposed_law_on_assets_is_listed_apart_and_never_lacking(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    answer = await check(api, ["DK"], AFTER_ART_50, label=True, mark=True)
    dk = by_territory(answer)["DK"]
    assert [law["law"]["id"] for law in dk["laws"]] == ["EU-AI-ACT-50"]
    assert dk["wouldRequire"] == [
        {
            "law": {"id": "DK-LIKENESS", "status": "PROPOSED"},
            "requirements": ["WRITTEN_CONSENT"],
            "lacking": [],
        }
    ]
    assert answer["lacking"] == []


async def add_bo_with_a_twin_and_no_use_consent(api: Any, jurisdiction: str | None) -> None:
    """Bo, her capture, her BUILD consent and twin-bo-1, but no USE consent to anyone."""
    bo: dict[str, Any] = {"id": "person-bo", "name": "Bo Lind"}
    if jurisdiction is not None:
        bo["jurisdiction"] = jurisdiction
    await send(api, "registerPerson", bo)
    await send(api, "recordCapture", {**capture("capture-bo", ["person-bo"], n=2)})
    await send(
        api,
        "grantConsent",
        consent(
            "consent-bo-build",
            "BUILD",
            personId="person-bo",
            signedById="person-bo",
            signedAt="2025-01-01T00:00:00Z",
            validFrom="2025-01-01T00:00:00Z",
        ),
    )
    await send(api, "buildTwin", twin("twin-bo-1", "person-bo", ["capture-bo"]))


async def test_a_person_with_no_recorded_jurisdiction_brings_no_law_on_consents(api: Any, graph: Any) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    await add_bo_with_a_twin_and_no_use_consent(api, None)
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True, twins=["twin-ada-1", "twin-bo-1"])
    # Bo has no consent to Nordhem, but no law on consents reaches her: only Ada's New York is listed
    assert answer["permitted"] is False and answer["code"] == "NO_CONSENT"
    assert [place["jurisdiction"] for place in answer["jurisdictions"]] == ["US-NY"]
    assert answer["jurisdictions"][0]["personIds"] == ["person-ada"]
    assert answer["lacking"] == []


async def test_a_twin_with_no_consent_lacks_a_written_consent_under_its_persons_law(
    api: Any, graph: Any
) -> None:
    await world_with_a_consent_in_force_in_2026(api)
    await add_bo_with_a_twin_and_no_use_consent(api, "US-NY")
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True, twins=["twin-ada-1", "twin-bo-1"])
    (ny,) = answer["jurisdictions"]
    assert ny["personIds"] == ["person-ada", "person-bo"]
    assert laws_of(ny)["US-NY-FWA"]["lacking"] == ["WRITTEN_CONSENT"]
    assert answer["lacking"] == ["WRITTEN_CONSENT"]


async def test_a_consent_signed_without_counsel_lacks_representation_under_new_york_law(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    await send(
        api,
        "grantConsent",
        consent(
            "consent-alone",
            signedAt="2026-01-10T00:00:00Z",
            validFrom="2026-01-10T00:00:00Z",
            validUntil="2027-01-10T00:00:00Z",
            representation="NONE",
            replacesInPersonWork=True,
        ),
    )
    answer = await check(api, ["SE"], AFTER_ART_50, label=True, mark=True)
    assert answer["code"] == "CONSENT_UNENFORCEABLE"
    ny = laws_of(answer["jurisdictions"][0])
    assert ny["US-NY-GOL-5-302"]["lacking"] == ["REPRESENTATION"]
    assert ny["US-NY-FWA"]["lacking"] == []
    assert answer["lacking"] == ["REPRESENTATION"]
