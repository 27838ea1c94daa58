"""Every mutation through the public API: applied, idempotent on its id, refused with a clear error."""

from __future__ import annotations

from typing import Any

from tests.factories import asset, base_world, capture, consent, mutation, org, person, send, twin

# the access log records every mutation, replays included; it is not part of the graph's content
COUNT = (
    "MATCH (n) WHERE NOT n:LogEntry AND NOT n:LogHead RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels"
)


async def graph_size(graph: Any) -> tuple[int, int]:
    row = (await graph.query(COUNT))[0]
    return row["nodes"], row["rels"]


async def test_the_base_world_builds_the_provenance_chain(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(api, "publishAsset", asset())
    rows = await graph.query(
        "MATCH (a:Asset {id: 'asset-1'})-[:RENDERS]->(t:Twin)-[:REPLICA_OF]->(p:Person),"
        " (t)-[:TRAINED_ON]->(c),"
        " (t)-[:BUILT_BY]->(v), (a)-[:PUBLISHED_BY]->(b), (p)-[:GRANTED]->(k:Consent)-[:COVERS]->(t)"
        " RETURN p.id AS person, c.id AS capture, v.id AS vendor, b.id AS publisher, k.id AS consent"
    )
    assert rows == [
        {
            "person": "person-ada",
            "capture": "capture-1",
            "vendor": "vendor-uncut",
            "publisher": "brand-nordhem",
            "consent": "consent-use",
        }
    ]


async def test_the_same_input_twice_changes_nothing(api: Any, graph: Any) -> None:
    await base_world(api)
    before = await graph_size(graph)
    recorded = (await graph.query("MATCH (n:Twin) RETURN n.recordedAt AS at"))[0]["at"]
    await base_world(api)
    assert await graph_size(graph) == before
    assert (await graph.query("MATCH (n:Twin) RETURN n.recordedAt AS at"))[0]["at"] == recorded


async def test_an_id_reused_with_other_content_names_the_conflicting_fields(api: Any, graph: Any) -> None:
    await base_world(api)
    before = await graph_size(graph)
    errors = await api.errors(
        mutation("buildTwin"), {"input": twin(builtAt="2025-02-02T00:00:00Z", version=2)}
    )
    assert errors[0]["extensions"]["code"] == "CONFLICT"
    assert "builtAt" in errors[0]["message"] and "version" in errors[0]["message"]
    assert await graph_size(graph) == before


async def test_an_id_is_unique_across_kinds(api: Any) -> None:
    await base_world(api)
    errors = await api.errors(mutation("registerPerson"), {"input": person("brand-nordhem")})
    assert errors[0]["extensions"]["code"] == "CONFLICT"


BAD_INPUTS = [
    ("recordCapture", capture(n=1) | {"sha256": "abc"}, "sha256", "64 hexadecimal"),
    ("publishAsset", asset() | {"phash": "xyz"}, "phash", "16 hexadecimal"),
    ("publishAsset", asset() | {"territories": ["XX"]}, "territories[0]", "ISO 3166-1"),
    ("publishAsset", asset() | {"territories": []}, "territories", "at least one"),
    ("publishAsset", asset() | {"twinIds": ["twin-nobody"]}, "twinIds", "twin-nobody"),
    ("publishAsset", asset() | {"publishedAt": "2025-03-01T12:00:00"}, "publishedAt", "UTC offset"),
    ("publishAsset", asset() | {"publisherId": "person-ada"}, "publisherId", "Organization"),
    (
        "grantConsent",
        consent("consent-x") | {"validUntil": "2024-01-01T00:00:00Z"},
        "validUntil",
        "after validFrom",
    ),
    (
        "grantConsent",
        consent("consent-x") | {"compensation": {"amount": "10", "currency": "EURO", "basis": "FLAT"}},
        "compensation.currency",
        "ISO 4217",
    ),
    ("grantConsent", consent("consent-x") | {"twinIds": []}, "twinIds", "must name the twins"),
    ("buildTwin", twin("twin-2") | {"vendorId": "brand-nordhem"}, "vendorId", "expected a Vendor"),
    ("registerPerson", person("person-b") | {"jurisdiction": "ZZ-QQ"}, "jurisdiction", "ISO 3166"),
    (
        "revokeConsent",
        {"consentId": "consent-use", "revokedAt": "2020-01-01T00:00:00Z"},
        "revokedAt",
        "before",
    ),
]


async def test_bad_inputs_get_an_error_naming_the_field_and_change_nothing(api: Any, graph: Any) -> None:
    await base_world(api)
    before = await graph_size(graph)
    for op, data, field, reason in BAD_INPUTS:
        errors = await api.errors(mutation(op), {"input": data})
        message = errors[0]["message"]
        assert field in message and reason in message, (op, field, message)
    assert await graph_size(graph) == before


async def test_wrong_enums_and_missing_fields_are_refused_by_the_schema(api: Any, graph: Any) -> None:
    await base_world(api)
    wrong_enum = await api.errors(mutation("registerOrganization"), {"input": org("x", "BANK")})
    assert "BANK" in wrong_enum[0]["message"] and "OrganizationKind" in wrong_enum[0]["message"]
    missing = await api.errors(
        mutation("publishAsset"), {"input": {k: v for k, v in asset().items() if k != "aiLabel"}}
    )
    assert "aiLabel" in missing[0]["message"]


async def test_a_revocation_is_idempotent_and_conflicts_on_another_date(api: Any) -> None:
    await base_world(api)
    revoke = {"consentId": "consent-use", "revokedAt": "2025-06-01T00:00:00Z", "reason": "changed her mind"}
    first = await send(api, "revokeConsent", revoke)
    again = await send(api, "revokeConsent", revoke)
    assert first == again
    errors = await api.errors(
        mutation("revokeConsent"), {"input": revoke | {"revokedAt": "2025-07-01T00:00:00Z"}}
    )
    assert "revokedAt" in errors[0]["message"]


async def test_every_other_mutation_applies(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(
        api,
        "recordRepresentation",
        {"agencyId": "agency-next", "personId": "person-ada", "since": "2024-01-01"},
    )
    await send(
        api,
        "createCampaign",
        {
            "id": "campaign-spring",
            "brandId": "brand-nordhem",
            "name": "Spring",
            "startsAt": "2025-03-01T00:00:00Z",
            "endsAt": "2025-06-01T00:00:00Z",
        },
    )
    await send(api, "publishAsset", asset(campaignId="campaign-spring"))
    await send(api, "withdrawAsset", {"assetId": "asset-1", "withdrawnAt": "2025-05-01T00:00:00Z"})
    await send(
        api,
        "reportSighting",
        {
            "id": "sighting-1",
            "url": "https://gram.example/p/1",
            "observedAt": "2025-04-01T00:00:00Z",
            "phash": "f0f0f0f0f0f0f0f1",
            "platformId": "platform-gram",
        },
    )
    await send(
        api,
        "recordPayment",
        {
            "id": "payment-1",
            "consentId": "consent-use",
            "amount": "2500.50",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
    )
    rows = await graph.query(
        "MATCH (ag)-[:REPRESENTS]->(p:Person), (b)-[:RUNS]->(c:Campaign)<-[:IN_CAMPAIGN]-(a:Asset),"
        " (s:Sighting)-[m:MATCHES]->(a), (s)-[:SEEN_ON]->(pl), (pay:Payment)-[:UNDER]->(k:Consent)"
        " RETURN ag.id AS agency, b.id AS brand, a.withdrawnAt IS NOT NULL AS withdrawn,"
        " m.distance AS distance,"
        " pl.id AS platform, pay.amount AS amount"
    )
    assert rows == [
        {
            "agency": "agency-next",
            "brand": "brand-nordhem",
            "withdrawn": True,
            "distance": 1,
            "platform": "platform-gram",
            "amount": "2500.5",
        }
    ]


async def test_a_request_without_a_valid_token_gets_401(api: Any) -> None:
    response = await api.client.post("/graphql", json={"query": '{ person(id: "x") { id } }'})
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["errors"][0]["message"]
    response = await api.post('{ person(id: "x") { id } }', token="wrong")
    assert response.status_code == 401
