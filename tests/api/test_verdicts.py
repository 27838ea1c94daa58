"""Verdicts through the public API: every code with its parties, as-of answers, and the edges."""

from __future__ import annotations

from typing import Any

from tests.factories import asset, base_world, consent, org, send

AS_OF = "2026-07-01T00:00:00Z"
AUDIT = """query($asOf: DateTime, $filter: AuditFilter, $first: Int!, $after: String) {
  audit(asOf: $asOf, filter: $filter, first: $first, after: $after) {
    totalCount countsByCode { code count }
    edges { node { code subjectId liable { partyId role } failedClauses consentIds evidence explanation } }
    pageInfo { hasNextPage endCursor } } }"""

# (code, subject) -> (primary, secondary) as the DESIGN's liability table assigns them in the demo world
EXPECTED = {
    ("FOREIGN_CAPTURE", "twin-camille-v1"): (["vendor-rawedge"], []),
    ("UNCONSENTED_BUILD", "twin-liv-deepfold"): (["vendor-deepfold"], ["brand-maren"]),
    ("LIVE_AFTER_EXPIRY", "asset-ss25-noor-web"): (["brand-nordhem"], []),
    ("LIVE_AFTER_REVOCATION", "asset-ss25-elin-reel"): (["brand-nordhem"], ["platform-pictagram"]),
    ("TAINTED_TWIN", "asset-ss25-camille-feed"): (["vendor-rawedge"], ["brand-nordhem"]),
    ("TAINTED_TWIN", "asset-maren-liv-knockoff"): (["vendor-deepfold"], ["brand-maren"]),
    ("MISSING_MACHINE_READABLE_MARK", "asset-ss25-liv-unmarked"): (["vendor-rawedge"], ["brand-nordhem"]),
    ("MISSING_AI_LABEL", "asset-ss26-liv-unlabelled"): (["brand-nordhem"], []),
    ("INVALID_SIGNATORY", "asset-ss25-ines-feed"): (["agency-hudson-lane"], ["brand-nordhem"]),
    ("NO_CONSENT", "asset-maren-liv-knockoff"): (["brand-maren"], []),
    ("NO_CONSENT", "asset-maren-maja-direct"): (["brand-maren"], []),
    ("MINOR_WITHOUT_GUARDIAN", "asset-maren-noor-feed"): (["brand-maren"], []),
    ("INCOMPLETE_TERMS", "asset-maren-elin-lookbook"): (["brand-maren"], []),
    ("NOT_YET_VALID", "asset-aw25-maja-gap"): (["brand-nordhem"], []),
    ("SUBLICENSE_NOT_PERMITTED", "asset-maren-liv-sublicensed"): (["brand-nordhem"], ["brand-maren"]),
    ("EXPIRED", "asset-aw25-noor-late"): (["brand-nordhem"], []),
    ("PUBLISHED_AFTER_REVOCATION", "asset-ss26-elin-after"): (["brand-nordhem"], []),
    ("OUT_OF_SCOPE", "asset-ss26-liv-tokyo"): (["brand-nordhem"], []),
    ("RESTRICTION_BREACHED", "asset-ss26-liv-lingerie"): (["brand-nordhem"], []),
    ("UNREGISTERED_USE", "sighting-pictagram-ines"): ([], ["platform-pictagram"]),
    # likeness matching: a new image showing Hedda's enrolled face (no notice sent: no party liable yet),
    # and Nordhem's ad showing her face on Liv's twin
    ("UNREGISTERED_LIKENESS", "sighting-pictagram-hedda"): ([], []),
    ("UNDECLARED_LIKENESS", "asset-ss26-liv-hedda-face"): (["brand-nordhem"], ["vendor-rawedge"]),
    # law packs: Ava's USE consent, signed in New York without counsel (grantee primary, agency secondary)
    ("CONSENT_UNENFORCEABLE", "asset-ss26-ava-nyc"): (["brand-nordhem"], ["agency-hudson-lane"]),
}


def parties(verdict: dict[str, Any]) -> tuple[list[str], list[str]]:
    by_role = {
        role: [p["partyId"] for p in verdict["liable"] if p["role"] == role]
        for role in ("PRIMARY", "SECONDARY")
    }
    return by_role["PRIMARY"], by_role["SECONDARY"]


async def test_every_code_of_the_design_is_produced_with_its_parties(api: Any, demo: Any) -> None:
    data = (await api(AUDIT, {"asOf": AS_OF, "first": 100}))["audit"]
    found = {(v["node"]["code"], v["node"]["subjectId"]): parties(v["node"]) for v in data["edges"]}
    assert found == EXPECTED
    counts = {c["code"]: c["count"] for c in data["countsByCode"]}
    assert sum(counts.values()) == data["totalCount"] == len(EXPECTED)
    assert all(v["node"]["explanation"] and v["node"]["evidence"] for v in data["edges"])


async def test_the_demo_notice_went_unanswered_until_pictagram_removed_the_copy(api: Any, demo: Any) -> None:
    query = """query($asOf: DateTime) { sighting(id: "sighting-pictagram-ines") {
      captures { nodes { id } } notices { nodes { id status(asOf: $asOf) responses { outcome } } }
      verdicts(asOf: $asOf) { code liable { partyId role } } } }"""
    during = (await api(query, {"asOf": "2026-04-10T00:00:00Z"}))["sighting"]
    assert during["captures"]["nodes"] == [{"id": "capture-ines-editorial-01"}]
    assert during["notices"]["nodes"] == [
        {
            "id": "notice-ines-pictagram",
            "status": "OVERDUE",
            "responses": [{"outcome": "REFUSED"}, {"outcome": "REMOVED"}],
        }
    ]
    assert [(v["code"], parties(v)) for v in during["verdicts"]] == [
        ("NOTICE_UNANSWERED", (["platform-pictagram"], [])),
        ("UNREGISTERED_USE", ([], ["platform-pictagram"])),
    ]
    after = (await api(query, {"asOf": "2026-04-20T11:00:00Z"}))["sighting"]
    assert after["notices"]["nodes"][0]["status"] == "REMOVED"
    assert [v["code"] for v in after["verdicts"]] == ["UNREGISTERED_USE"]


async def test_audit_filters_by_party_code_and_territory_and_pages(api: Any, demo: Any) -> None:
    maren = (await api(AUDIT, {"asOf": AS_OF, "first": 100, "filter": {"partyId": "brand-maren"}}))["audit"]
    assert {e["node"]["subjectId"] for e in maren["edges"]} == {
        subject
        for (code, subject), (primary, secondary) in EXPECTED.items()
        if "brand-maren" in primary + secondary
    }
    tainted = (await api(AUDIT, {"asOf": AS_OF, "first": 100, "filter": {"codes": ["TAINTED_TWIN"]}}))[
        "audit"
    ]
    assert tainted["totalCount"] == 2 and tainted["countsByCode"] == [{"code": "TAINTED_TWIN", "count": 2}]
    japan = (await api(AUDIT, {"asOf": AS_OF, "first": 100, "filter": {"territory": "JP"}}))["audit"]
    assert [e["node"]["subjectId"] for e in japan["edges"]] == ["asset-ss26-liv-tokyo"]
    seen, after = [], None
    while True:
        page = (await api(AUDIT, {"asOf": AS_OF, "first": 4, "after": after}))["audit"]
        seen += [(e["node"]["code"], e["node"]["subjectId"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(EXPECTED)


async def test_invalid_as_of_and_filters_get_clear_errors(api: Any, demo: Any) -> None:
    cases = [
        ({"asOf": "2026-07-01T00:00:00", "first": 10}, "asOf"),
        ({"asOf": AS_OF, "first": 10, "filter": {"codes": ["SHOPLIFTING"]}}, "filter.codes"),
        ({"asOf": AS_OF, "first": 10, "filter": {"territory": "Narnia"}}, "filter.territory"),
        ({"asOf": AS_OF, "first": 0}, "first"),
        ({"asOf": AS_OF, "first": 10, "after": "bogus"}, "after"),
        (
            {
                "asOf": AS_OF,
                "first": 10,
                "filter": {"from": "2026-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"},
            },
            "to",
        ),
    ]
    for variables, field in cases:
        errors = await api.errors(AUDIT, variables)
        assert errors[0]["message"].startswith(field), (field, errors)
        assert errors[0]["extensions"] == {"code": "BAD_INPUT", "field": field}, errors


async def test_a_revocation_dated_later_does_not_change_an_earlier_answer(api: Any, demo: Any) -> None:
    query = """query($asOf: DateTime) { provenance(assetId: "asset-ss25-elin-reel", asOf: $asOf) {
               verdicts { code } } }"""
    before = await api(query, {"asOf": "2026-02-15T00:00:00Z"})
    after = await api(query, {"asOf": AS_OF})
    assert before["provenance"]["verdicts"] == []
    assert after["provenance"]["verdicts"] == [{"code": "LIVE_AFTER_REVOCATION"}]
    stored = await api(
        AUDIT, {"asOf": "2026-02-15T00:00:00Z", "first": 100, "filter": {"codes": ["LIVE_AFTER_REVOCATION"]}}
    )
    assert stored["audit"]["totalCount"] == 0


async def test_the_takedown_deadline_is_exact(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(api, "publishAsset", asset("asset-on-time", 1))
    await send(api, "publishAsset", asset("asset-late", 2))
    await send(api, "revokeConsent", {"consentId": "consent-use", "revokedAt": "2025-04-01T00:00:00Z"})
    deadline = "2025-05-01T00:00:00Z"  # revokedAt + 30 days
    await send(api, "withdrawAsset", {"assetId": "asset-on-time", "withdrawnAt": deadline})
    await send(api, "withdrawAsset", {"assetId": "asset-late", "withdrawnAt": "2025-05-01T00:00:01Z"})
    query = (
        """query($asOf: DateTime) { audit(asOf: $asOf, first: 10) { edges { node { code subjectId } } } }"""
    )
    just_before = await api(query, {"asOf": "2025-04-30T23:59:59Z"})
    at_deadline = await api(query, {"asOf": deadline})
    assert just_before["audit"]["edges"] == []
    assert [e["node"] for e in at_deadline["audit"]["edges"]] == [
        {"code": "LIVE_AFTER_REVOCATION", "subjectId": "asset-late"}
    ]


async def test_overlapping_renewal_keeps_coverage_and_a_gap_does_not(api: Any, graph: Any) -> None:
    await base_world(api)
    # consent-use runs 2025-01-15 .. 2026-01-15
    await send(
        api,
        "grantConsent",
        consent(
            "consent-renewal",
            signedAt="2026-01-01T00:00:00Z",
            validFrom="2026-01-01T00:00:00Z",
            validUntil="2027-01-01T00:00:00Z",
        ),
    )
    await send(api, "publishAsset", asset("asset-covered", 1))
    query = """{ liability(assetId: "asset-covered", asOf: "2026-06-01T00:00:00Z") { code } }"""
    assert (await api(query))["liability"] == []
    await send(api, "registerPerson", {"id": "person-bo", "name": "Bo Lind"})
    await send(
        api,
        "recordCapture",
        {
            "id": "capture-bo",
            "personIds": ["person-bo"],
            "kind": "PHOTO",
            "sha256": "b" * 64,
            "capturedAt": "2025-01-10T10:00:00Z",
        },
    )
    await send(
        api,
        "grantConsent",
        consent("consent-bo-build", "BUILD", personId="person-bo", signedById="person-bo"),
    )
    await send(
        api,
        "buildTwin",
        {
            "id": "twin-bo",
            "personId": "person-bo",
            "vendorId": "vendor-uncut",
            "captureIds": ["capture-bo"],
            "builtAt": "2025-02-01T00:00:00Z",
        },
    )
    await send(
        api,
        "grantConsent",
        consent("consent-bo-1", personId="person-bo", signedById="person-bo", twinIds=["twin-bo"]),
    )
    await send(
        api,
        "grantConsent",
        consent(
            "consent-bo-2",
            personId="person-bo",
            signedById="person-bo",
            twinIds=["twin-bo"],
            signedAt="2026-02-01T00:00:00Z",
            validFrom="2026-02-01T00:00:00Z",
            validUntil="2027-01-01T00:00:00Z",
        ),
    )
    await send(api, "publishAsset", asset("asset-gap", 2, twinIds=["twin-bo"]))
    gap = await api(
        """{ liability(assetId: "asset-gap", asOf: "2026-01-20T00:00:00Z") { partyId role code } }"""
    )
    assert gap["liability"] == [{"partyId": "brand-nordhem", "role": "PRIMARY", "code": "LIVE_AFTER_EXPIRY"}]


async def test_no_consent_names_the_campaign_brand_and_incomplete_terms_the_agency(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    await send(api, "registerOrganization", org("brand-other", "BRAND"))
    await send(api, "createCampaign", {"id": "campaign-nordhem", "brandId": "brand-nordhem", "name": "N"})
    await send(
        api,
        "publishAsset",
        asset("asset-by-other", 1, publisherId="brand-other", campaignId="campaign-nordhem"),
    )
    await send(
        api,
        "grantConsent",
        consent(
            "consent-vague",
            granteeId="brand-other",
            description="",
            negotiatedById="agency-next",
            signedAt="2025-04-01T00:00:00Z",
            validFrom="2025-04-01T00:00:00Z",
        ),
    )
    await send(
        api,
        "publishAsset",
        asset("asset-vague", 2, publisherId="brand-other", publishedAt="2025-05-01T00:00:00Z"),
    )
    query = (
        """query($a: ID!) { liability(assetId: $a, asOf: "2025-06-01T00:00:00Z") { partyId role code } }"""
    )
    vague = (await api(query, {"a": "asset-vague"}))["liability"]
    assert vague == [
        {"partyId": "brand-other", "role": "PRIMARY", "code": "INCOMPLETE_TERMS"},
        {"partyId": "agency-next", "role": "SECONDARY", "code": "INCOMPLETE_TERMS"},
    ]
    # the later grant to brand-other now covers asset-by-other's twin but was signed after publication
    other = (await api(query, {"a": "asset-by-other"}))["liability"]
    assert {(p["partyId"], p["role"]) for p in other} >= {("brand-other", "PRIMARY")}
    early = (
        await api("""{ liability(assetId: "asset-by-other", asOf: "2025-03-02T00:00:00Z") {
                           partyId role code } }""")
    )["liability"]
    assert early == [
        {"partyId": "brand-other", "role": "PRIMARY", "code": "NO_CONSENT"},
        {"partyId": "brand-nordhem", "role": "SECONDARY", "code": "NO_CONSENT"},
    ]


async def test_check_usage_names_the_permitting_consent_or_the_failed_clauses(api: Any, graph: Any) -> None:
    await base_world(api)
    query = """query($territories: [String!]!, $tags: [String!]) { checkUsage(twinIds: ["twin-ada-1"],
      publisherId: "brand-nordhem", mediaType: IMAGE, channel: INSTAGRAM, territories: $territories,
      contentTags: $tags, at: "2025-06-01T00:00:00Z") {
        permitted code twins { consentId failedClauses code } } }"""
    ok = (await api(query, {"territories": ["SE"]}))["checkUsage"]
    assert ok == {
        "permitted": True,
        "code": None,
        "twins": [{"consentId": "consent-use", "failedClauses": [], "code": None}],
    }
    bad = (await api(query, {"territories": ["JP"], "tags": ["political"]}))["checkUsage"]
    assert bad["permitted"] is False and bad["code"] == "RESTRICTION_BREACHED"
    assert bad["twins"][0]["failedClauses"] == ["content", "territory"]


async def test_usage_history_and_compensation(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(api, "publishAsset", asset("asset-1", 1))
    await send(
        api,
        "recordPayment",
        {
            "id": "pay-1",
            "consentId": "consent-use",
            "amount": "1000",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
    )
    history = (
        await api("""{ usageHistory(organizationId: "brand-nordhem", asOf: "2025-12-01T00:00:00Z",
        expiringWithinDays: 60) { assets { asset { id } consentIds } expiringConsents { id } } }""")
    )["usageHistory"]
    assert history == {
        "assets": [{"asset": {"id": "asset-1"}, "consentIds": ["consent-use"]}],
        "expiringConsents": [{"id": "consent-use"}],
    }
    pay = (
        await api("""{ compensation(personId: "person-ada") { consent { id } agreed { amount currency }
        uses paidTotal payments { id } } }""")
    )["compensation"]
    use = next(item for item in pay if item["consent"]["id"] == "consent-use")
    assert use == {
        "consent": {"id": "consent-use"},
        "agreed": {"amount": "5000", "currency": "EUR"},
        "uses": 1,
        "paidTotal": "1000",
        "payments": [{"id": "pay-1"}],
    }


async def test_tenant_audits_count_only_their_own_and_an_agency_its_current_people(
    api: Any, demo: Any
) -> None:
    from likeness.access import keys

    agency = await keys.create(demo, role="AGENCY", party_id="agency-hudson-lane")
    person = await keys.create(demo, role="PERSON", party_id="person-ines-okafor")
    maren = await keys.create(demo, role="BRAND", party_id="brand-maren")
    query = (
        """{ audit(asOf: "2026-07-01T00:00:00Z", first: 100) { totalCount edges { node { subjectId } } } }"""
    )
    # today Hudson Lane represents Liv, Ines and Noor (Maja's representation ended on 2026-06-30)
    people = {"person-liv-aberg", "person-ines-okafor", "person-noor-haddad"}
    rows = await demo.query(
        "MATCH (v:Verdict) WHERE v.start <= datetime('2026-07-01T00:00:00Z') "
        "AND v.end > datetime('2026-07-01T00:00:00Z') "
        "RETURN v.subjectId AS s, v.personIds AS p, v.partyIds AS q"
    )
    expected = {row["s"] for row in rows if set(row["p"]) & people or "agency-hudson-lane" in row["q"]}
    seen = {e["node"]["subjectId"] for e in (await api(query, token=agency.secret))["audit"]["edges"]}
    assert seen == expected and "asset-ss25-ines-feed" in seen
    ines = {e["node"]["subjectId"] for e in (await api(query, token=person.secret))["audit"]["edges"]}
    assert ines == {row["s"] for row in rows if "person-ines-okafor" in row["p"]}
    brand = {e["node"]["subjectId"] for e in (await api(query, token=maren.secret))["audit"]["edges"]}
    assert brand and all(
        subject in {s for (_, s), (p, q) in EXPECTED.items() if "brand-maren" in p + q} for subject in brand
    )


FULL_PAGE = """query($asOf: DateTime, $filter: AuditFilter, $first: Int!) {
  audit(asOf: $asOf, filter: $filter, first: $first) {
    totalCount countsByCode { code count }
    edges { cursor node { code subjectId liable { partyId role } failedClauses consentIds evidence explanation
                          holdsFrom holdsUntil } }
    pageInfo { hasNextPage endCursor } } }"""
# each asks for some parts only (the page then reads only those): fragments and aliases included
PARTIAL_PAGES = {
    "codes only": "edges { node { code subjectId } }",
    "five fields": "edges { node { code subjectId failedClauses explanation liable { partyId role } } }",
    "through a fragment": "edges { node { ...V } }",
    "cursors and counts": "totalCount edges { cursor } pageInfo { endCursor hasNextPage }",
    "an alias": "edges { n: node { why: explanation until: holdsUntil } } countsByCode { code count }",
}


def _pick(full: Any, partial: Any) -> Any:
    """The full answer cut down to the keys the partial one has (an alias read from its field)."""
    if isinstance(partial, list):
        assert isinstance(full, list) and len(full) == len(partial)
        return [_pick(f, p) for f, p in zip(full, partial, strict=True)]
    if isinstance(partial, dict):
        return {key: _pick(full[ALIASES.get(key, key)], value) for key, value in partial.items()}
    return full


ALIASES = {"n": "node", "why": "explanation", "until": "holdsUntil"}


async def test_an_audit_page_answers_any_part_of_its_selection_as_the_full_selection_does(
    api: Any, demo: Any
) -> None:
    for flt in (None, {"territory": "FR"}, {"codes": ["NO_CONSENT", "TAINTED_TWIN"]}):
        variables = {"asOf": AS_OF, "first": 7, "filter": flt}
        full = (await api(FULL_PAGE, variables))["audit"]
        assert full["edges"] and full["totalCount"] >= len(full["edges"])
        for name, selection in PARTIAL_PAGES.items():
            document = (
                "query($asOf: DateTime, $filter: AuditFilter, $first: Int!) {\n"
                f"  audit(asOf: $asOf, filter: $filter, first: $first) {{ {selection} }} }}\n"
            ) + ("fragment V on Verdict { evidence consentIds holdsFrom }" if "...V" in selection else "")
            partial = (await api(document, variables))["audit"]
            assert partial == _pick(full, partial), (name, flt)
