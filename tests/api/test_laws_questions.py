"""Questions by law through the public API: the audit filtered by the laws grounding its verdicts and by
the places those laws applied through, its counts by law, and `laws` (what is in force, where)."""

from __future__ import annotations

import hashlib
from typing import Any

from likeness.access import keys
from likeness.graph.driver import Graph
from likeness.laws.packs import PACKS_DIR
from tests.factories import asset, capture, consent, org, person, send, twin

AUDIT = """query($filter: AuditFilter, $first: Int!, $after: String) {
  audit(filter: $filter, first: $first, after: $after) {
    totalCount countsByCode { code count } countsByLaw { lawId count }
    edges { node { code subjectId } } pageInfo { hasNextPage endCursor } } }"""
LAWS = """query($asOf: DateTime, $jurisdiction: String) {
  laws(asOf: $asOf, jurisdiction: $jurisdiction) {
    id version title jurisdiction jurisdictions status inForceFrom inForceUntil appliesTo
    grounds { code article } sources unconfirmed sha256 } }"""
EU_AI_ACT = "EU-AI-ACT-50"
LAW_COUNTS_ONLY = """query($filter: AuditFilter) {
  audit(filter: $filter, first: 1) { countsByLaw { lawId count } } }"""


async def eu_world(api: Any) -> None:
    """Sofia (SE) consents to a brand's use of her twin in SE and DE until 2028; the brand publishes four
    images of it, three without an AI label: in SE on 2026-07-01 (before art. 50 applies), in SE and in
    DE on 2026-08-03 (after); the fourth, labelled, in SE on 2026-08-03."""
    await send(api, "registerPerson", person("person-sofia", name="Sofia Lind", jurisdiction="SE"))
    for oid, kind in [
        ("brand-nordhem", "BRAND"),
        ("brand-other", "BRAND"),
        ("vendor-uncut", "VENDOR"),
        ("studio-north", "STUDIO"),
    ]:
        await send(api, "registerOrganization", org(oid, kind))
    await send(api, "recordCapture", capture(persons=["person-sofia"]))
    await send(
        api,
        "grantConsent",
        consent(
            "consent-build",
            "BUILD",
            personId="person-sofia",
            signedById="person-sofia",
            signedAt="2025-01-01T00:00:00Z",
            validFrom="2025-01-01T00:00:00Z",
            validUntil="2028-01-01T00:00:00Z",
        ),
    )
    await send(api, "buildTwin", twin("twin-sofia", pid="person-sofia"))
    await send(
        api,
        "grantConsent",
        consent(
            "consent-use",
            personId="person-sofia",
            signedById="person-sofia",
            twinIds=["twin-sofia"],
            territories=["SE", "DE"],
            validUntil="2028-01-15T00:00:00Z",
        ),
    )
    for aid, n, when, where, labelled in [
        ("asset-july", 101, "2026-07-01T10:00:00Z", "SE", False),
        ("asset-august", 102, "2026-08-03T10:00:00Z", "SE", False),
        ("asset-berlin", 103, "2026-08-03T11:00:00Z", "DE", False),
        ("asset-labelled", 104, "2026-08-03T12:00:00Z", "SE", True),
    ]:
        await send(
            api,
            "publishAsset",
            asset(aid, n, twinIds=["twin-sofia"], publishedAt=when, territories=[where], aiLabel=labelled),
        )


async def audited(api: Any, flt: dict[str, Any] | None, token: str | None = None) -> dict[str, Any]:
    return (await api(AUDIT, {"filter": flt, "first": 100}, token=token))["audit"]


def subjects(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(edge["node"]["code"], edge["node"]["subjectId"]) for edge in report["edges"]}


def law_counts(report: dict[str, Any]) -> dict[str, int]:
    return {row["lawId"]: row["count"] for row in report["countsByLaw"]}


async def test_the_audit_filters_by_law_and_counts_by_law(api: Any) -> None:
    await eu_world(api)
    everything = await audited(api, None)
    # the facts alone: all three unlabelled images hold MISSING_AI_LABEL, whatever the law says
    assert {
        ("MISSING_AI_LABEL", "asset-july"),
        ("MISSING_AI_LABEL", "asset-august"),
        ("MISSING_AI_LABEL", "asset-berlin"),
    } <= subjects(everything)
    # art. 50 applies from 2026-08-02: the July image breaks no EU law, the August ones do
    by_law = await audited(api, {"laws": [EU_AI_ACT]})
    assert subjects(by_law) == {("MISSING_AI_LABEL", "asset-august"), ("MISSING_AI_LABEL", "asset-berlin")}
    assert by_law["totalCount"] == 2
    assert law_counts(by_law) == {EU_AI_ACT: 2}
    assert law_counts(everything)[EU_AI_ACT] == 2
    # the filter composes with the others
    assert subjects(await audited(api, {"laws": [EU_AI_ACT], "territory": "DE"})) == {
        ("MISSING_AI_LABEL", "asset-berlin")
    }
    assert (await audited(api, {"laws": [EU_AI_ACT], "codes": ["NO_CONSENT"]}))["totalCount"] == 0
    # a law grounding nothing here
    nothing = await audited(api, {"laws": ["US-TN-ELVIS"]})
    assert nothing["totalCount"] == 0 and nothing["edges"] == [] and nothing["countsByLaw"] == []


async def test_the_audit_filters_by_the_places_a_law_applied_through(api: Any) -> None:
    await eu_world(api)
    # an EU law applied through an asset in SE is the law of SE and of the EU
    sweden = await audited(api, {"jurisdictions": ["SE"]})
    assert subjects(sweden) == {("MISSING_AI_LABEL", "asset-august")}
    assert law_counts(sweden) == {EU_AI_ACT: 1}
    eu = await audited(api, {"jurisdictions": ["eu"]})
    assert subjects(eu) == {("MISSING_AI_LABEL", "asset-august"), ("MISSING_AI_LABEL", "asset-berlin")}
    both = await audited(api, {"jurisdictions": ["DE", "SE", "SE"]})
    assert subjects(both) == subjects(eu)
    # no law of France, nor of the United States, grounds anything here
    for elsewhere in (["FR"], ["US"], ["US-NY"]):
        assert (await audited(api, {"jurisdictions": elsewhere}))["totalCount"] == 0, elsewhere
    assert subjects(await audited(api, {"jurisdictions": ["SE"], "laws": [EU_AI_ACT]})) == subjects(sweden)


async def test_counts_by_law_agree_with_the_filter_on_every_page(api: Any) -> None:
    await eu_world(api)
    everything = await audited(api, None)
    for law, count in law_counts(everything).items():
        assert (await audited(api, {"laws": [law]}))["totalCount"] == count, law
    # asked alone (no totalCount, no counts by code: the page then reads nothing else), the same counts
    for flt in (None, {"jurisdictions": ["SE"]}):
        alone = (await api(LAW_COUNTS_ONLY, {"filter": flt}))["audit"]
        assert law_counts(alone) == law_counts(await audited(api, flt)), flt
    # pages of one verdict: each counts the same, and together they list exactly the law's verdicts
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        page = (await api(AUDIT, {"filter": {"laws": [EU_AI_ACT]}, "first": 1, "after": after}))["audit"]
        assert law_counts(page) == {EU_AI_ACT: 2} and page["totalCount"] == 2
        seen += [(edge["node"]["code"], edge["node"]["subjectId"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(subjects(await audited(api, {"laws": [EU_AI_ACT]})))


async def test_a_tenant_counts_by_law_only_what_it_sees(api: Any, graph: Graph) -> None:
    await eu_world(api)
    publisher = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    other = (await keys.create(graph, role="BRAND", party_id="brand-other")).secret
    regulator = (await keys.create(graph, role="REGULATOR", party_id=None)).secret
    own = await audited(api, {"laws": [EU_AI_ACT]}, token=publisher)
    assert subjects(own) == {("MISSING_AI_LABEL", "asset-august"), ("MISSING_AI_LABEL", "asset-berlin")}
    assert law_counts(own) == {EU_AI_ACT: 2}
    for flt in ({"laws": [EU_AI_ACT]}, {"jurisdictions": ["EU"]}, None):
        theirs = await audited(api, flt, token=other)
        assert theirs["edges"] == [] and theirs["countsByLaw"] == [] and theirs["totalCount"] == 0, flt
    assert law_counts(await audited(api, {"jurisdictions": ["SE"]}, token=regulator)) == {EU_AI_ACT: 1}


async def test_a_law_or_place_the_audit_does_not_know_is_refused_naming_the_field(api: Any) -> None:
    for flt, field in [
        ({"laws": ["EU-AI-ACT-51"]}, "filter.laws"),
        ({"laws": [EU_AI_ACT, "eu-ai-act-50"]}, "filter.laws"),
        ({"jurisdictions": ["XX"]}, "filter.jurisdictions"),
        ({"jurisdictions": ["SE", "US-XX"]}, "filter.jurisdictions"),
        ({"jurisdictions": ["EUR"]}, "filter.jurisdictions"),
        ({"jurisdictions": ["' OR 1=1 //"]}, "filter.jurisdictions"),
    ]:
        errors = await api.errors(AUDIT, {"filter": flt, "first": 10})
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [("BAD_INPUT", field)]
    errors = await api.errors(AUDIT, {"filter": {"laws": ["NOPE"]}, "first": 10})
    assert EU_AI_ACT in errors[0]["message"] and "US-NY-GOL-5-302" in errors[0]["message"]


def _by_id(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {law["id"]: law for law in found}


async def test_laws_lists_what_is_in_force_where(api: Any) -> None:
    before = _by_id((await api(LAWS, {"asOf": "2026-08-01T23:59:59Z", "jurisdiction": "SE"}))["laws"])
    after = _by_id((await api(LAWS, {"asOf": "2026-08-02T00:00:00Z", "jurisdiction": "SE"}))["laws"])
    assert EU_AI_ACT not in before and EU_AI_ACT in after
    act = after[EU_AI_ACT]
    pack = (PACKS_DIR / f"{EU_AI_ACT}@1.toml").read_bytes()
    assert act["sha256"] == hashlib.sha256(pack).hexdigest()
    assert act["status"] == "ENACTED" and act["inForceFrom"] == "2026-08-02" and act["inForceUntil"] is None
    assert act["jurisdiction"] == "EU" and act["jurisdictions"] == ["EU"] and act["appliesTo"] == ["ASSET"]
    assert {ground["code"] for ground in act["grounds"]} == {
        "MISSING_AI_LABEL",
        "MISSING_MACHINE_READABLE_MARK",
    }
    assert act["sources"] and all(source.startswith("https://") for source in act["sources"])
    # Sweden: the EU's laws, none of another country's
    assert all(law["jurisdiction"] in ("EU", "SE") for law in after.values())
    # New York: its own laws and the United States', not California's
    new_york = _by_id((await api(LAWS, {"asOf": "2026-12-01T00:00:00Z", "jurisdiction": "us-ny"}))["laws"])
    assert {"US-NY-GOL-5-302", "US-NY-FWA", "US-TAKE-IT-DOWN"} <= set(new_york)
    assert not {law for law in new_york if law.startswith(("US-CA", "US-TN", "EU", "CN"))}
    # a PROPOSED law is listed as such, with no date it applies from
    assert new_york["US-NO-FAKES"]["status"] == "PROPOSED"
    assert _by_id((await api(LAWS, {"jurisdiction": "DK"}))["laws"])["DK-LIKENESS"]["status"] == "PROPOSED"
    # everywhere: every law once, by id; each ENACTED one in force that day
    everywhere = (await api(LAWS, {"asOf": "2026-12-01T00:00:00Z"}))["laws"]
    ids = [law["id"] for law in everywhere]
    assert ids == sorted(set(ids)) and set(new_york) | set(after) <= set(ids)
    for law in everywhere:
        if law["status"] == "ENACTED":
            assert law["inForceFrom"] <= "2026-12-01"
            assert law["inForceUntil"] is None or law["inForceUntil"] > "2026-12-01"


async def test_laws_refuses_a_place_it_does_not_know(api: Any) -> None:
    for place in ("XX", "US-XX", "Sweden", ""):
        errors = await api.errors(LAWS, {"jurisdiction": place})
        assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [
            ("BAD_INPUT", "jurisdiction")
        ], place
