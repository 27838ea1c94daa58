"""Every verdict names the laws in force at its relevant instant whose conditions hold, through every
answer that carries verdicts; PROPOSED laws apart; codes never change."""

from __future__ import annotations

from typing import Any

from likeness.access.principals import OPERATOR
from likeness.events.contract import parse_event
from likeness.graph.driver import Graph
from likeness.ingest.record import record
from likeness.laws.packs import load_packs
from tests.conftest import Api
from tests.factories import asset, capture, consent, org, person, twin

WORLD = [
    ("registerPerson", person("person-ada", jurisdiction="SE")),
    ("registerPerson", person("person-tove", jurisdiction="US-NY")),
    ("registerOrganization", org("brand-nordhem", "BRAND")),
    ("registerOrganization", org("vendor-uncut", "VENDOR")),
    ("registerOrganization", org("studio-north", "STUDIO")),
    ("recordCapture", capture()),
    ("recordCapture", capture("capture-tove", ["person-tove"], n=2)),
    ("buildTwin", twin()),
    ("buildTwin", twin("twin-tove", personId="person-tove", captureIds=["capture-tove"])),
    (
        "grantConsent",
        consent("consent-use", validUntil="2027-12-31T00:00:00Z", territories=["SE", "DK", "US"]),
    ),
    ("publishAsset", asset("asset-july", 101, publishedAt="2026-07-01T12:00:00Z", aiLabel=False)),
    ("publishAsset", asset("asset-august", 102, publishedAt="2026-08-03T12:00:00Z", aiLabel=False)),
    # unmarked in Denmark and the US: art. 50(2) in Denmark (an EU member state), nothing federal
    (
        "publishAsset",
        asset(
            "asset-dk",
            103,
            publishedAt="2026-09-01T12:00:00Z",
            machineReadableMark=False,
            territories=["DK", "US"],
        ),
    ),
    # a New York model's twin used with no consent at all after the Fashion Workers Act (June 2025)
    ("publishAsset", asset("asset-tove", 104, twinIds=["twin-tove"], publishedAt="2026-02-01T12:00:00Z")),
]

# the pack as shipped: what the answer must repeat of it
ARTICLE_50 = next(pack for pack in load_packs().packs if pack.key == "EU-AI-ACT-50@1")
LAWS = "laws { id version title article jurisdiction jurisdictions status inForceFrom inForceUntil }"


async def verdicts(api: Api, asset_id: str) -> dict[str, dict[str, Any]]:
    data = await api(
        f'{{ provenance(assetId: "{asset_id}") {{ verdicts {{ code {LAWS} wouldBreak {{ id status }} }} }} }}'
    )
    return {verdict["code"]: verdict for verdict in data["provenance"]["verdicts"]}


async def test_an_eu_asset_is_grounded_in_article_50_only_once_it_applies(graph: Graph, api: Api) -> None:
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in WORLD], source="world")

    july = await verdicts(api, "asset-july")
    august = await verdicts(api, "asset-august")

    assert july["MISSING_AI_LABEL"]["laws"] == []
    assert august["MISSING_AI_LABEL"]["laws"] == [
        {
            "id": "EU-AI-ACT-50",
            "version": 1,
            "title": ARTICLE_50.title,
            "article": next(g.article for g in ARTICLE_50.grounds if g.code == "MISSING_AI_LABEL"),
            "jurisdiction": "EU",
            "jurisdictions": ["EU"],
            "status": "ENACTED",
            "inForceFrom": "2026-08-02",
            "inForceUntil": None,
        }
    ]
    denmark = await verdicts(api, "asset-dk")
    assert [law["id"] for law in denmark["MISSING_MACHINE_READABLE_MARK"]["laws"]] == ["EU-AI-ACT-50"]
    assert denmark["MISSING_MACHINE_READABLE_MARK"]["laws"][0]["article"].startswith("art. 50(2)")


async def test_consent_laws_follow_the_persons_jurisdiction_and_proposals_ground_nothing(
    graph: Graph, api: Api
) -> None:
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in WORLD], source="world")

    tove = await verdicts(api, "asset-tove")

    assert [law["id"] for law in tove["NO_CONSENT"]["laws"]] == ["US-NY-FWA"]
    # NO FAKES (a US bill) would break; PROPOSED, so listed apart and never among the laws
    assert {"id": "US-NO-FAKES", "status": "PROPOSED"} in tove["NO_CONSENT"]["wouldBreak"]
    # Ada is Swedish: the Fashion Workers Act says nothing of her
    ada = await verdicts(api, "asset-august")
    assert all(law["id"] != "US-NY-FWA" for v in ada.values() for law in v["laws"])


async def test_the_audit_page_and_the_history_carry_the_same_laws(graph: Graph, api: Api) -> None:
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in WORLD], source="world")

    page = await api(
        '{ audit(filter: {codes: ["MISSING_AI_LABEL"]}) { edges { node { subjectId laws { id } } } } }'
    )
    history = await api('{ verdictHistory(assetId: "asset-august") { code laws { id } } }')

    grounded = {edge["node"]["subjectId"]: edge["node"]["laws"] for edge in page["audit"]["edges"]}
    assert grounded == {"asset-july": [], "asset-august": [{"id": "EU-AI-ACT-50"}]}
    assert {"code": "MISSING_AI_LABEL", "laws": [{"id": "EU-AI-ACT-50"}]} in history["verdictHistory"]
