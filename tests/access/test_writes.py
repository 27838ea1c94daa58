"""Writes as oneself: each tenant records only as itself, about its own nodes; refusals change nothing."""

from __future__ import annotations

from typing import Any

from likeness.events.contract import SPECS
from tests.access import world
from tests.factories import mutation, sha

BRAND_A = ("BRAND", "brand-a")
VENDOR_A = ("VENDOR", "vendor-a")
ADA = ("PERSON", "person-ada")
AGENCY_A = ("AGENCY", "agency-a")
REGULATOR = ("REGULATOR", "")
INVESTIGATOR = ("INVESTIGATOR", "")

SNAPSHOT = """
    MATCH (n) WHERE NOT n:ApiKey
    RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels,
           COUNT { MATCH (k:Consent) WHERE k.revokedAt IS NOT NULL } AS revoked,
           COUNT { MATCH (a:Asset) WHERE a.withdrawnAt IS NOT NULL } AS withdrawn
"""


def asset(aid: str, publisher: str = "brand-a", **extra: Any) -> dict[str, Any]:
    return world._asset(aid, publisher, "twin-ada", 900, world.P2) | extra


def capture(cid: str, by: str) -> dict[str, Any]:
    return {
        "id": cid,
        "personIds": ["person-ada"],
        "kind": "PHOTO",
        "sha256": sha(901),
        "capturedAt": "2025-05-01T00:00:00Z",
        "capturedById": by,
    }


def twin(tid: str, vendor: str) -> dict[str, Any]:
    return {
        "id": tid,
        "personId": "person-ada",
        "vendorId": vendor,
        "captureIds": ["cap-ada-v"],
        "builtAt": "2025-05-01T00:00:00Z",
    }


def consent(kid: str, person: str) -> dict[str, Any]:
    return world._consent(
        kid, "USE", person, "brand-a", ["twin-ada" if person == "person-ada" else "twin-bea"]
    )


def payment(pid: str, consent_id: str) -> dict[str, Any]:
    return {
        "id": pid,
        "consentId": consent_id,
        "amount": "10",
        "currency": "EUR",
        "paidAt": "2025-06-01T00:00:00Z",
    }


def notice(nid: str, sender: str) -> dict[str, Any]:
    return {
        "id": nid,
        "sightingId": "s-1",
        "platformId": "platform-p",
        "sentById": sender,
        "sentAt": "2025-06-01T00:00:00Z",
    }


REFUSED: list[tuple[tuple[str, str], str, dict[str, Any], str]] = [
    (BRAND_A, "publishAsset", asset("asset-x", publisher="brand-b"), "publisherId"),
    (BRAND_A, "publishAsset", asset("asset-x", campaignId="camp-b"), "campaignId"),
    (BRAND_A, "createCampaign", {"id": "camp-x", "brandId": "brand-b", "name": "Not mine"}, "brandId"),
    (BRAND_A, "withdrawAsset", {"assetId": "asset-b1", "withdrawnAt": "2025-06-01T00:00:00Z"}, "assetId"),
    (BRAND_A, "recordPayment", payment("pay-x", "k-ada-b"), "consentId"),
    (BRAND_A, "registerPerson", {"id": "person-x", "name": "X"}, "registerPerson"),
    (BRAND_A, "grantConsent", consent("k-x", "person-ada"), "grantConsent"),
    (VENDOR_A, "recordCapture", capture("cap-x", "vendor-b"), "capturedById"),
    (VENDOR_A, "recordCapture", capture("cap-x", "studio-s"), "capturedById"),
    (VENDOR_A, "buildTwin", twin("twin-x", "vendor-b"), "vendorId"),
    (VENDOR_A, "registerOrganization", {"id": "org-x", "name": "X", "kind": "BRAND"}, "registerOrganization"),
    (VENDOR_A, "registerPerson", {"id": "person-x", "name": "X"}, "registerPerson"),
    (
        VENDOR_A,
        "recordRepresentation",
        {"agencyId": "agency-a", "personId": "person-ada", "since": "2025-01-01"},
        "recordRepresentation",
    ),
    (VENDOR_A, "grantConsent", consent("k-x", "person-ada"), "grantConsent"),
    (
        VENDOR_A,
        "revokeConsent",
        {"consentId": "k-ada-build", "revokedAt": "2025-06-01T00:00:00Z"},
        "revokeConsent",
    ),
    (VENDOR_A, "createCampaign", {"id": "camp-x", "brandId": "vendor-a", "name": "Mine"}, "createCampaign"),
    (VENDOR_A, "publishAsset", asset("asset-x", publisher="vendor-b"), "publisherId"),
    (VENDOR_A, "withdrawAsset", {"assetId": "asset-a1", "withdrawnAt": "2025-06-01T00:00:00Z"}, "assetId"),
    (VENDOR_A, "recordPayment", payment("pay-x", "k-ada-a"), "consentId"),
    (
        VENDOR_A,
        "reportSighting",
        {"id": "s-x", "url": "https://x.example", "observedAt": "2025-06-01T00:00:00Z", "sha256": sha(1)},
        "reportSighting",
    ),
    (VENDOR_A, "sendTakedownNotice", notice("n-x", "vendor-a"), "sendTakedownNotice"),
    (
        VENDOR_A,
        "recordNoticeResponse",
        {"noticeId": "n-2", "respondedAt": "2025-06-01T00:00:00Z", "outcome": "REMOVED"},
        "recordNoticeResponse",
    ),
    (ADA, "grantConsent", consent("k-x", "person-bea"), "personId"),
    (ADA, "revokeConsent", {"consentId": "k-bea-b", "revokedAt": "2025-06-01T00:00:00Z"}, "consentId"),
    (
        ADA,
        "recordRepresentation",
        {"agencyId": "agency-b", "personId": "person-bea", "since": "2025-01-01"},
        "personId",
    ),
    (ADA, "publishAsset", asset("asset-x"), "publishAsset"),
    (
        AGENCY_A,
        "recordRepresentation",
        {"agencyId": "agency-a", "personId": "person-bea", "since": "2025-01-01"},
        "recordRepresentation",
    ),
    (AGENCY_A, "grantConsent", consent("k-x", "person-ada"), "grantConsent"),
    (
        REGULATOR,
        "reportSighting",
        {"id": "s-x", "url": "https://x.example", "observedAt": "2025-06-01T00:00:00Z", "sha256": sha(1)},
        "reportSighting",
    ),
    (
        REGULATOR,
        "withdrawAsset",
        {"assetId": "asset-a1", "withdrawnAt": "2025-06-01T00:00:00Z"},
        "withdrawAsset",
    ),
    (INVESTIGATOR, "publishAsset", asset("asset-x"), "publishAsset"),
]


async def test_a_write_as_another_party_is_forbidden_and_changes_nothing(
    api: Any, graph: Any, tenants: dict[tuple[str, str], str]
) -> None:
    before = (await graph.query(SNAPSHOT))[0]
    log_before = (await graph.query("MATCH (e:LogEntry) RETURN count(e) AS n"))[0]["n"]
    for tenant, op, data, named in REFUSED:
        errors = await api.errors(mutation(op), {"input": data}, token=tenants[tenant])
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", (tenant, op, errors)
        assert named in errors[0]["message"], (tenant, op, errors[0]["message"])
    assert (await graph.query(SNAPSHOT))[0] == before
    assert (await graph.query("MATCH (e:LogEntry) RETURN count(e) AS n"))[0]["n"] == log_before


ALLOWED: list[tuple[tuple[str, str], str, dict[str, Any]]] = [
    (BRAND_A, "createCampaign", {"id": "camp-a2", "brandId": "brand-a", "name": "Summer A"}),
    (BRAND_A, "publishAsset", asset("asset-a2", campaignId="camp-a2")),
    (BRAND_A, "withdrawAsset", {"assetId": "asset-a2", "withdrawnAt": "2025-06-01T00:00:00Z"}),
    (BRAND_A, "recordPayment", payment("pay-a2", "k-ada-a")),
    (VENDOR_A, "recordCapture", capture("cap-a2", "vendor-a")),
    (VENDOR_A, "buildTwin", twin("twin-ada-2", "vendor-a")),
    (VENDOR_A, "publishAsset", asset("asset-v1", publisher="vendor-a", sha256=sha(902))),
    (VENDOR_A, "withdrawAsset", {"assetId": "asset-v1", "withdrawnAt": "2025-06-01T00:00:00Z"}),
    # a vendor is paid under the BUILD consent granted to it
    (VENDOR_A, "recordPayment", payment("pay-v1", "k-ada-build")),
    (ADA, "grantConsent", consent("k-ada-a2", "person-ada")),
    (ADA, "revokeConsent", {"consentId": "k-ada-b", "revokedAt": "2025-06-01T00:00:00Z"}),
    (ADA, "recordRepresentation", {"agencyId": "agency-b", "personId": "person-ada", "since": "2025-01-01"}),
    (
        INVESTIGATOR,
        "reportSighting",
        {"id": "s-9", "url": "https://x.example/3", "observedAt": "2025-06-01T00:00:00Z", "sha256": sha(101)},
    ),
]


async def test_each_tenant_writes_as_itself_and_reads_back_what_it_wrote(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    for tenant, op, data in ALLOWED:
        answer = await api(mutation(op), {"input": data}, token=tenants[tenant])
        assert answer[op] is not None, (tenant, op)


async def test_reusing_an_id_the_caller_may_not_see_names_no_fields_of_it(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    # brand-a publishing under brand-b's asset id learns only that the id is taken
    errors = await api.errors(mutation("publishAsset"), {"input": asset("asset-b2")}, token=tenants[BRAND_A])
    assert errors[0]["extensions"]["code"] == "CONFLICT"
    assert errors[0]["message"] == "id 'asset-b2' is already in use; choose another id"
    # its own asset again with other content still names the differing fields
    errors = await api.errors(
        mutation("publishAsset"),
        {
            "input": world._asset(
                "asset-a1", "brand-a", "twin-ada", 101, world.P1, campaignId="camp-a", aiLabel=True
            )
        },
        token=tenants[BRAND_A],
    )
    assert "aiLabel" in errors[0]["message"]


# refused to a vendor in tests that send the file the mutation requires (a multipart request)
REFUSED_WITH_A_FILE = {"enrollLikeness"}  # tests/faces/test_enrolment.py::test_only_she_enrols_herself


def test_the_vendor_row_covers_every_mutation_of_the_contract() -> None:
    """Every mutation is either refused to a vendor or made by one as itself (a new one must be placed)."""
    refused = {op for tenant, op, _, _ in REFUSED if tenant == VENDOR_A} | REFUSED_WITH_A_FILE
    allowed = {op for tenant, op, _ in ALLOWED if tenant == VENDOR_A}
    unplaced = sorted(set(SPECS) - refused - allowed)
    assert not unplaced, f"place {unplaced} in the vendor row"
    # what a vendor may make at all, each also refused when made as another party or about another's node
    assert allowed == {"recordCapture", "buildTwin", "publishAsset", "withdrawAsset", "recordPayment"}
    assert allowed <= refused
