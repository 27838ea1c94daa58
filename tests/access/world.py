"""A world of competing tenants, built through the API as an admin, and what each tenant may see.

Two brands both license Ada's twin; Brand B also runs Bea's twin and publishes under a sublicence
from Brand A; each vendor built one twin; Agency A represents Ada today (and Bea only from 2099);
Agency B represented Bea in 2020–2021 and negotiated her consent then; Dora is the guardian who
signed a consent for the minor Cleo. Platform P hosts two sightings and was sent two notices; Platform Q
hosts one sighting, about which the studio sent it a notice.
"""

from __future__ import annotations

from typing import Any

from likeness.access import keys
from tests.factories import send, sha

P1 = "f0f0f0f0f0f0f0f0"
P1_NEAR = "f0f0f0f0f0f0f0f1"
P2 = "0f0f0f0f0f0f0f0f"
# a capture of Bea with a perceptual hash, and a copy of it in the wild one bit away
P3 = "3c3c3c3c3c3c3c3c"
P3_NEAR = "3c3c3c3c3c3c3c3d"

PERSONS = {
    "person-ada": "1998-04-17",
    "person-bea": "2001-02-03",
    "person-cleo": "2012-05-05",
    "person-dora": "1980-09-09",
}
ORGANIZATIONS = {
    "brand-a": "BRAND",
    "brand-b": "BRAND",
    "vendor-a": "VENDOR",
    "vendor-b": "VENDOR",
    "agency-a": "AGENCY",
    "agency-b": "AGENCY",
    "studio-s": "STUDIO",
    "platform-p": "PLATFORM",
    "platform-q": "PLATFORM",
}


def _consent(
    kid: str, purpose: str, person: str, grantee: str, twins: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": kid,
        "purpose": purpose,
        "personId": person,
        "granteeId": grantee,
        "signedById": person,
        "signedAt": "2025-01-05T00:00:00Z",
        "validFrom": "2025-01-05T00:00:00Z",
        "validUntil": "2027-01-05T00:00:00Z",
        "description": "Social media campaigns",
        "compensation": {"amount": "1000", "currency": "EUR", "basis": "FLAT"},
    }
    if twins:
        data.update(twinIds=twins, mediaTypes=["IMAGE"], channels=["INSTAGRAM"], territories=["SE"])
    return data | extra


def _asset(aid: str, publisher: str, twin: str, n: int, phash: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "publisherId": publisher,
        "twinIds": [twin],
        "sha256": sha(n),
        "phash": phash,
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2025-03-01T12:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
        **extra,
    }


EVENTS: list[tuple[str, dict[str, Any]]] = [
    *[
        ("registerPerson", {"id": pid, "name": pid.split("-")[1].title(), "birthDate": born})
        for pid, born in PERSONS.items()
    ],
    *[
        ("registerOrganization", {"id": oid, "name": oid.replace("-", " ").title(), "kind": kind})
        for oid, kind in ORGANIZATIONS.items()
    ],
    ("recordRepresentation", {"agencyId": "agency-a", "personId": "person-ada", "since": "2024-01-01"}),
    ("recordRepresentation", {"agencyId": "agency-a", "personId": "person-bea", "since": "2099-01-01"}),
    (
        "recordRepresentation",
        {"agencyId": "agency-b", "personId": "person-bea", "since": "2020-01-01", "until": "2021-12-31"},
    ),
    (
        "recordCapture",
        {
            "id": "cap-ada",
            "personIds": ["person-ada"],
            "kind": "PHOTO",
            "sha256": sha(1),
            "capturedAt": "2025-01-01T00:00:00Z",
            "capturedById": "studio-s",
        },
    ),
    (
        "recordCapture",
        {
            "id": "cap-ada-v",
            "personIds": ["person-ada"],
            "kind": "SCAN_3D",
            "sha256": sha(2),
            "capturedAt": "2025-01-02T00:00:00Z",
            "capturedById": "vendor-a",
        },
    ),
    (
        "recordCapture",
        {
            "id": "cap-bea",
            "personIds": ["person-bea"],
            "kind": "VIDEO",
            "sha256": sha(3),
            "capturedAt": "2025-01-03T00:00:00Z",
            "capturedById": "vendor-b",
        },
    ),
    ("grantConsent", _consent("k-ada-build", "BUILD", "person-ada", "vendor-a")),
    ("grantConsent", _consent("k-bea-build", "BUILD", "person-bea", "vendor-b")),
    (
        "grantConsent",
        _consent(
            "k-cleo-build",
            "BUILD",
            "person-cleo",
            "vendor-b",
            signedById="person-dora",
            guardianId="person-dora",
        ),
    ),
    (
        "buildTwin",
        {
            "id": "twin-ada",
            "personId": "person-ada",
            "vendorId": "vendor-a",
            "captureIds": ["cap-ada", "cap-ada-v"],
            "builtAt": "2025-02-01T00:00:00Z",
            "commissionedById": "brand-a",
        },
    ),
    (
        "buildTwin",
        {
            "id": "twin-bea",
            "personId": "person-bea",
            "vendorId": "vendor-b",
            "captureIds": ["cap-bea"],
            "builtAt": "2025-02-01T00:00:00Z",
            "commissionedById": "brand-b",
        },
    ),
    (
        "grantConsent",
        _consent(
            "k-ada-a",
            "USE",
            "person-ada",
            "brand-a",
            ["twin-ada"],
            negotiatedById="agency-a",
            sublicensable=True,
        ),
    ),
    ("grantConsent", _consent("k-ada-b", "USE", "person-ada", "brand-b", ["twin-ada"])),
    (
        "grantConsent",
        _consent("k-bea-b", "USE", "person-bea", "brand-b", ["twin-bea"], negotiatedById="agency-b"),
    ),
    ("createCampaign", {"id": "camp-a", "brandId": "brand-a", "name": "Spring A"}),
    ("createCampaign", {"id": "camp-b", "brandId": "brand-b", "name": "Spring B"}),
    # verdicts to audit: a missing AI label (brand-a), a missing mark (vendor-a, brand-b),
    # out of scope (brand-b)
    ("publishAsset", _asset("asset-a1", "brand-a", "twin-ada", 101, P1, campaignId="camp-a", aiLabel=False)),
    (
        "publishAsset",
        _asset(
            "asset-b1", "brand-b", "twin-ada", 102, P1_NEAR, campaignId="camp-b", machineReadableMark=False
        ),
    ),
    ("publishAsset", _asset("asset-b2", "brand-b", "twin-bea", 103, P2, channel="TIKTOK")),
    ("publishAsset", _asset("asset-b3", "brand-b", "twin-ada", 104, P1, sublicensedFromId="brand-a")),
    (
        "reportSighting",
        {
            "id": "s-1",
            "url": "https://gram.example/p/1",
            "observedAt": "2025-04-01T00:00:00Z",
            "phash": P1,
            "platformId": "platform-p",
        },
    ),
    (
        "reportSighting",
        {
            "id": "s-2",
            "url": "https://web.example/x",
            "observedAt": "2025-04-01T00:00:00Z",
            "sha256": sha(103),
        },
    ),
    (
        "recordCapture",
        {
            "id": "cap-bea-p",
            "personIds": ["person-bea"],
            "kind": "PHOTO",
            "sha256": sha(4),
            "phash": P3,
            "capturedAt": "2025-01-04T00:00:00Z",
            "capturedById": "vendor-b",
        },
    ),
    # an unregistered use of Bea's likeness: Agency B sends the notice, the platform removes it late
    (
        "reportSighting",
        {
            "id": "s-3",
            "url": "https://gram.example/p/3",
            "observedAt": "2025-04-01T00:00:00Z",
            "phash": P3_NEAR,
            "platformId": "platform-p",
        },
    ),
    (
        "sendTakedownNotice",
        {
            "id": "n-1",
            "sightingId": "s-3",
            "platformId": "platform-p",
            "sentById": "agency-b",
            "sentAt": "2025-04-02T00:00:00Z",
        },
    ),
    (
        "recordNoticeResponse",
        {"noticeId": "n-1", "respondedAt": "2025-04-10T00:00:00Z", "outcome": "REMOVED"},
    ),
    # Ada's own notice about the sighting of Brand A's and Brand B's assets, never answered
    (
        "sendTakedownNotice",
        {
            "id": "n-2",
            "sightingId": "s-1",
            "platformId": "platform-p",
            "sentById": "person-ada",
            "sentAt": "2025-04-02T00:00:00Z",
        },
    ),
    # on another platform: a sighting no tenant but Platform Q sees, and the studio's notice to it
    (
        "reportSighting",
        {
            "id": "s-q",
            "url": "https://q.example/v/4",
            "observedAt": "2025-04-01T00:00:00Z",
            "sha256": sha(404),
            "platformId": "platform-q",
        },
    ),
    (
        "sendTakedownNotice",
        {
            "id": "n-q",
            "sightingId": "s-q",
            "platformId": "platform-q",
            "sentById": "studio-s",
            "sentAt": "2025-04-03T00:00:00Z",
        },
    ),
    (
        "recordPayment",
        {
            "id": "pay-a",
            "consentId": "k-ada-a",
            "amount": "1000",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
    ),
    (
        "recordPayment",
        {
            "id": "pay-b",
            "consentId": "k-ada-b",
            "amount": "1000",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
    ),
    (
        "recordPayment",
        {
            "id": "pay-bea",
            "consentId": "k-bea-b",
            "amount": "1000",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
    ),
]

# id -> the root lookup field for it
KIND = {
    **{pid: "person" for pid in PERSONS},
    **{oid: "organization" for oid in ORGANIZATIONS},
    "cap-ada": "capture",
    "cap-ada-v": "capture",
    "cap-bea": "capture",
    "twin-ada": "twin",
    "twin-bea": "twin",
    "k-ada-build": "consent",
    "k-bea-build": "consent",
    "k-cleo-build": "consent",
    "k-ada-a": "consent",
    "k-ada-b": "consent",
    "k-bea-b": "consent",
    "camp-a": "campaign",
    "camp-b": "campaign",
    "asset-a1": "asset",
    "asset-b1": "asset",
    "asset-b2": "asset",
    "asset-b3": "asset",
    "s-1": "sighting",
    "s-2": "sighting",
    "s-3": "sighting",
    "cap-bea-p": "capture",
    "s-q": "sighting",
    "n-1": "takedownNotice",
    "n-2": "takedownNotice",
    "n-q": "takedownNotice",
    "pay-a": "payment",
    "pay-b": "payment",
    "pay-bea": "payment",
}
ASSETS = ["asset-a1", "asset-b1", "asset-b2", "asset-b3"]
TWINS = ["twin-ada", "twin-bea"]

# Everything Ada's likeness touches: what she sees, and her agency while it represents her.
_ADA = {
    "person-ada",
    "cap-ada",
    "cap-ada-v",
    "twin-ada",
    "k-ada-build",
    "k-ada-a",
    "k-ada-b",
    "asset-a1",
    "asset-b1",
    "asset-b3",
    "camp-a",
    "camp-b",
    "s-1",
    "n-2",
    "pay-a",
    "pay-b",
}

# tenant (role, party) -> the non-organization nodes it may see (organizations are a public directory)
SEES: dict[tuple[str, str], set[str]] = {
    ("BRAND", "brand-a"): {
        "asset-a1",
        "asset-b3",
        "camp-a",
        "twin-ada",
        "person-ada",
        "k-ada-a",
        "cap-ada",
        "cap-ada-v",
        "s-1",
        "n-2",
        "pay-a",
    },
    ("BRAND", "brand-b"): {
        "asset-b1",
        "asset-b2",
        "asset-b3",
        "camp-b",
        "twin-ada",
        "twin-bea",
        "person-ada",
        "person-bea",
        "k-ada-b",
        "k-bea-b",
        "k-ada-a",
        "cap-ada",
        "cap-ada-v",
        "cap-bea",
        "s-1",
        "s-2",
        "n-2",
        "pay-b",
        "pay-bea",
    },
    ("VENDOR", "vendor-a"): {
        "twin-ada",
        "k-ada-build",
        "person-ada",
        "cap-ada",
        "cap-ada-v",
        "asset-a1",
        "asset-b1",
        "asset-b3",
        "s-1",
        "n-2",
    },
    ("VENDOR", "vendor-b"): {
        "twin-bea",
        "k-bea-build",
        "k-cleo-build",
        "person-bea",
        "person-cleo",
        "person-dora",
        "cap-bea",
        "cap-bea-p",
        "asset-b2",
        "s-2",
    },
    ("AGENCY", "agency-a"): _ADA,
    ("AGENCY", "agency-b"): {"k-bea-b", "n-1", "s-3"},
    ("PERSON", "person-ada"): _ADA,
    ("PERSON", "person-bea"): {
        "person-bea",
        "cap-bea",
        "twin-bea",
        "k-bea-build",
        "k-bea-b",
        "asset-b2",
        "s-2",
        "s-3",
        "cap-bea-p",
        "n-1",
        "pay-bea",
    },
    ("PERSON", "person-dora"): {"person-dora", "person-cleo", "k-cleo-build"},
    # a platform: the notices addressed to it and the sightings on it (or that its notices are about)
    ("PLATFORM", "platform-p"): {"s-1", "s-3", "n-1", "n-2"},
    ("PLATFORM", "platform-q"): {"s-q", "n-q"},
}
# tenant -> the persons whose birthDate it reads
READS_BIRTH_DATE: dict[tuple[str, str], set[str]] = {
    ("AGENCY", "agency-a"): {"person-ada"},
    ("PERSON", "person-ada"): {"person-ada"},
    ("PERSON", "person-bea"): {"person-bea"},
    ("PERSON", "person-dora"): {"person-dora"},
}


def sees(tenant: tuple[str, str], node_id: str) -> bool:
    return node_id in ORGANIZATIONS or node_id in SEES[tenant]


async def build(api: Any) -> None:
    for op, data in EVENTS:
        await send(api, op, data)


async def tenant_keys(graph: Any) -> dict[tuple[str, str], str]:
    """One API key per tenant of SEES, plus ('ADMIN'|'REGULATOR'|'INVESTIGATOR', '') keys."""
    made = {}
    for role, party in SEES:
        made[(role, party)] = (await keys.create(graph, role=role, party_id=party, label=party)).secret
    for role in ("ADMIN", "REGULATOR", "INVESTIGATOR"):
        made[(role, "")] = (await keys.create(graph, role=role, label=role.lower())).secret
    return made
