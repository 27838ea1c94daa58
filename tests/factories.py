"""Inputs for a small world, built as a client would send them (one place to vary them)."""

from __future__ import annotations

from typing import Any

H = "0123456789abcdef"


def sha(n: int) -> str:
    return f"{n:064x}"


def person(pid: str = "person-ada", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": "Ada Varga", "jurisdiction": "US-NY", **extra}


def org(oid: str, kind: str, name: str | None = None) -> dict[str, Any]:
    return {"id": oid, "name": name or oid.title(), "kind": kind}


def capture(cid: str = "capture-1", persons: list[str] | None = None, n: int = 1) -> dict[str, Any]:
    return {
        "id": cid,
        "personIds": persons or ["person-ada"],
        "kind": "PHOTO",
        "sha256": sha(n),
        "capturedAt": "2025-01-10T10:00:00Z",
        "capturedById": "studio-north",
    }


def twin(
    tid: str = "twin-ada-1", pid: str = "person-ada", captures: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": tid,
        "personId": pid,
        "vendorId": "vendor-uncut",
        "captureIds": captures or ["capture-1"],
        "builtAt": "2025-02-01T00:00:00Z",
        "commissionedById": "brand-nordhem",
        **extra,
    }


def consent(kid: str, purpose: str = "USE", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": kid,
        "purpose": purpose,
        "personId": "person-ada",
        "granteeId": "brand-nordhem" if purpose == "USE" else "vendor-uncut",
        "signedById": "person-ada",
        "signedAt": "2025-01-15T00:00:00Z",
        "validFrom": "2025-01-15T00:00:00Z",
        "validUntil": "2026-01-15T00:00:00Z",
        "description": "Social media campaigns for the spring collection",
        "compensation": {"amount": "5000.00", "currency": "EUR", "basis": "FLAT"},
    }
    if purpose == "USE":
        base.update(
            twinIds=["twin-ada-1"],
            mediaTypes=["IMAGE"],
            channels=["INSTAGRAM", "WEB"],
            territories=["SE", "US"],
            prohibitedContent=["political"],
        )
    base.update(extra)
    return base


def asset(aid: str = "asset-1", n: int = 100, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "publisherId": "brand-nordhem",
        "twinIds": ["twin-ada-1"],
        "sha256": sha(n),
        "phash": "f0f0f0f0f0f0f0f0",
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2025-03-01T12:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
        **extra,
    }


MUTATIONS = {
    "registerPerson": "PersonInput",
    "registerOrganization": "OrganizationInput",
    "recordRepresentation": "RepresentationInput",
    "recordCapture": "CaptureInput",
    "buildTwin": "TwinInput",
    "grantConsent": "ConsentInput",
    "revokeConsent": "RevocationInput",
    "createCampaign": "CampaignInput",
    "publishAsset": "AssetInput",
    "withdrawAsset": "WithdrawalInput",
    "reportSighting": "SightingInput",
    "recordPayment": "PaymentInput",
    "sendTakedownNotice": "TakedownNoticeInput",
    "recordNoticeResponse": "NoticeResponseInput",
}
RETURNS = {"recordRepresentation": "since"}


def mutation(op: str) -> str:
    selection = RETURNS.get(op, "id")
    return f"mutation($input: {MUTATIONS[op]}!) {{ {op}(input: $input) {{ {selection} }} }}"


async def send(api: Any, op: str, data: dict[str, Any]) -> Any:
    return await api(mutation(op), {"input": data})


async def base_world(api: Any) -> None:
    """A person, the five kinds of organization, a capture, a twin, BUILD + USE consents."""
    await send(api, "registerPerson", person(birthDate="1998-04-17"))
    for oid, kind in [
        ("brand-nordhem", "BRAND"),
        ("vendor-uncut", "VENDOR"),
        ("agency-next", "AGENCY"),
        ("studio-north", "STUDIO"),
        ("platform-gram", "PLATFORM"),
    ]:
        await send(api, "registerOrganization", org(oid, kind))
    await send(api, "recordCapture", capture())
    await send(
        api,
        "grantConsent",
        consent("consent-build", "BUILD", signedAt="2025-01-01T00:00:00Z", validFrom="2025-01-01T00:00:00Z"),
    )
    await send(api, "buildTwin", twin())
    await send(api, "grantConsent", consent("consent-use"))
