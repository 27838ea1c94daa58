"""Cypher-injection strings in every string input are stored and read back as plain data.

Every id, name, description, tag, url and reason below is an injection attempt; each is written
through the API, read back byte for byte (by the admin and by tenants whose own party id is one),
and afterwards the graph still holds exactly what was written.
"""

from __future__ import annotations

from typing import Any

from likeness.access import keys
from tests.factories import mutation, send, sha

PAYLOADS = [
    "x' }) MATCH (n) DETACH DELETE n //",
    'x" }) MATCH (n) DETACH DELETE n //',
    "$x",
    "$viewer",
    "`id`} ) MATCH (n) DETACH DELETE n //",
    "'; CALL db.clearQueryCaches(); //",
    "}]->(n) SET n.pwned = true RETURN 1 //",
    "\\' OR 1=1 --",
    "{id: $ids} /* */ UNION MATCH (n) RETURN n",
    "ünïcødé ☃ \u202e right-to-left",
]


def ids(n: int) -> dict[str, str]:
    """The ids of one payload's little world: the payload itself, tagged by kind."""
    payload = PAYLOADS[n]
    return {
        kind: f"{payload}·{kind}"
        for kind in (
            "person",
            "brand",
            "vendor",
            "capture",
            "build",
            "twin",
            "use",
            "campaign",
            "asset",
            "sighting",
            "payment",
        )
    }


def events(n: int) -> list[tuple[str, dict[str, Any]]]:
    p, i = PAYLOADS[n], ids(n)
    terms = {
        "signedById": i["person"],
        "signedAt": "2025-01-05T00:00:00Z",
        "validFrom": "2025-01-05T00:00:00Z",
        "validUntil": "2026-01-05T00:00:00Z",
        "description": p,
        "compensation": {"amount": "10", "currency": "EUR", "basis": "FLAT"},
    }
    return [
        ("registerPerson", {"id": i["person"], "name": p}),
        ("registerOrganization", {"id": i["brand"], "name": p, "kind": "BRAND"}),
        ("registerOrganization", {"id": i["vendor"], "name": p, "kind": "VENDOR"}),
        (
            "recordCapture",
            {
                "id": i["capture"],
                "personIds": [i["person"]],
                "kind": "PHOTO",
                "sha256": sha(n + 1),
                "capturedAt": "2025-01-01T00:00:00Z",
                "capturedById": i["vendor"],
            },
        ),
        (
            "grantConsent",
            {
                "id": i["build"],
                "purpose": "BUILD",
                "personId": i["person"],
                "granteeId": i["vendor"],
                **terms,
            },
        ),
        (
            "buildTwin",
            {
                "id": i["twin"],
                "personId": i["person"],
                "vendorId": i["vendor"],
                "captureIds": [i["capture"]],
                "builtAt": "2025-02-01T00:00:00Z",
                "commissionedById": i["brand"],
            },
        ),
        (
            "grantConsent",
            {
                "id": i["use"],
                "purpose": "USE",
                "personId": i["person"],
                "granteeId": i["brand"],
                "twinIds": [i["twin"]],
                "prohibitedContent": [p],
                **terms,
            },
        ),
        ("createCampaign", {"id": i["campaign"], "brandId": i["brand"], "name": p}),
        (
            "publishAsset",
            {
                "id": i["asset"],
                "publisherId": i["brand"],
                "campaignId": i["campaign"],
                "twinIds": [i["twin"]],
                "sha256": sha(100 + n),
                "mediaType": "IMAGE",
                "channel": "WEB",
                "territories": ["SE"],
                "publishedAt": "2025-03-01T00:00:00Z",
                "aiLabel": True,
                "machineReadableMark": True,
                "contentTags": [p],
            },
        ),
        (
            "reportSighting",
            {"id": i["sighting"], "url": p, "observedAt": "2025-04-01T00:00:00Z", "sha256": sha(100 + n)},
        ),
        (
            "recordPayment",
            {
                "id": i["payment"],
                "consentId": i["use"],
                "amount": "10",
                "currency": "EUR",
                "paidAt": "2025-04-01T00:00:00Z",
            },
        ),
        ("revokeConsent", {"consentId": i["use"], "revokedAt": "2025-05-01T00:00:00Z", "reason": p}),
    ]


READ_BACK = """query($person: ID!, $brand: ID!, $asset: ID!, $sighting: ID!) {
  person(id: $person) {
    id name consents { nodes { id description prohibitedContent revocationReason payments { nodes { id } } } }
    twins { nodes { id assets { nodes { id contentTags campaign { id name } } } } } captures { nodes { id } }
  }
  organization(id: $brand) {
    id name assets { nodes { id } } campaigns { nodes { id name } } consentsReceived { nodes { id } }
  }
  asset(id: $asset) { id contentTags sightings { nodes { id url } } publisher { id name } }
  sighting(id: $sighting) { id url assets { nodes { id } } }
}"""


def expected(n: int) -> dict[str, Any]:
    p, i = PAYLOADS[n], ids(n)
    return {
        "person": {
            "id": i["person"],
            "name": p,
            "consents": {
                "nodes": sorted(
                    [
                        {
                            "id": i["build"],
                            "description": p,
                            "prohibitedContent": None,
                            "revocationReason": None,
                            "payments": {"nodes": []},
                        },
                        {
                            "id": i["use"],
                            "description": p,
                            "prohibitedContent": [p],
                            "revocationReason": p,
                            "payments": {"nodes": [{"id": i["payment"]}]},
                        },
                    ],
                    key=lambda c: c["id"],
                )
            },
            "twins": {
                "nodes": [
                    {
                        "id": i["twin"],
                        "assets": {
                            "nodes": [
                                {
                                    "id": i["asset"],
                                    "contentTags": [p],
                                    "campaign": {"id": i["campaign"], "name": p},
                                }
                            ]
                        },
                    }
                ]
            },
            "captures": {"nodes": [{"id": i["capture"]}]},
        },
        "organization": {
            "id": i["brand"],
            "name": p,
            "assets": {"nodes": [{"id": i["asset"]}]},
            "campaigns": {"nodes": [{"id": i["campaign"], "name": p}]},
            "consentsReceived": {"nodes": [{"id": i["use"]}]},
        },
        "asset": {
            "id": i["asset"],
            "contentTags": [p],
            "sightings": {"nodes": [{"id": i["sighting"], "url": p}]},
            "publisher": {"id": i["brand"], "name": p},
        },
        "sighting": {"id": i["sighting"], "url": p, "assets": {"nodes": [{"id": i["asset"]}]}},
    }


async def test_injection_strings_in_every_string_input_are_plain_data(api: Any, graph: Any) -> None:
    for n in range(len(PAYLOADS)):
        for op, data in events(n):
            await send(api, op, data)
    written = (await graph.query("MATCH (n:Entity) RETURN count(n) AS n"))[0]["n"]
    assert written == 11 * len(PAYLOADS)

    for n, payload in enumerate(PAYLOADS):
        i = ids(n)
        variables = {
            "person": i["person"],
            "brand": i["brand"],
            "asset": i["asset"],
            "sighting": i["sighting"],
        }
        assert await api(READ_BACK, variables) == expected(n), payload
        # the tenants whose own party ids are the payloads read their own data through the visibility filter
        brand = (await keys.create(graph, role="BRAND", party_id=i["brand"], label=payload)).secret
        person = (await keys.create(graph, role="PERSON", party_id=i["person"], label=payload)).secret
        as_brand = await api(READ_BACK, variables, token=brand)
        assert as_brand["organization"] == expected(n)["organization"], payload
        assert as_brand["asset"]["contentTags"] == [payload]
        as_person = await api(READ_BACK, variables, token=person)
        assert as_person["person"] == expected(n)["person"], payload
        # and the payload as an argument of every query taking a string finds nothing and breaks nothing
        found = await api(
            """query($p: ID!) { person(id: $p) { id } asset(id: $p) { id } provenance(assetId: $p)
            { permitted } likenessUsage(personId: $p) { totalCount } compensation(personId: $p) { uses }
            liability(assetId: $p) { partyId } audit(filter: {partyId: $p, personId: $p}) { totalCount } }""",
            {"p": payload},
        )
        assert found == {
            "person": None,
            "asset": None,
            "provenance": None,
            "likenessUsage": {"totalCount": 0},
            "compensation": [],
            "liability": [],
            "audit": {"totalCount": 0},
        }
        refused = await api.errors(
            "query($p: ID!) { checkUsage(twinIds: [$p], publisherId: $p, mediaType: IMAGE, "
            'channel: WEB, territories: ["SE"]) { permitted } }',
            {"p": payload},
        )
        assert refused[0]["extensions"]["code"] in ("BAD_INPUT", "NOT_FOUND")
        bad_hash = await api.errors(
            "query($s: String!) { similarAssets(phash: $s) { distance } }", {"s": payload}
        )
        assert bad_hash[0]["extensions"]["code"] == "BAD_INPUT"

    labels = {key.label for key in await keys.list_(graph)}
    assert set(PAYLOADS) <= labels
    assert (await graph.query("MATCH (n:Entity) RETURN count(n) AS n"))[0]["n"] == written
    assert (await graph.query("MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n) AS n"))[0]["n"] == 0
    assert (await graph.query("MATCH (n:LogEntry) RETURN count(n) AS n"))[0]["n"] == 12 * len(PAYLOADS)
    replay = await api.errors(
        mutation("registerPerson"), {"input": {"id": ids(0)["person"], "name": "other"}}
    )
    assert replay[0]["extensions"]["code"] == "CONFLICT"
