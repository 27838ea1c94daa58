"""Checks every world file must pass before import: field formats, and ids defined before use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import pycountry

INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL = re.compile(r"\d+\.\d{2}")
SHA256 = re.compile(r"[0-9a-f]{64}")
PHASH = re.compile(r"[0-9a-f]{16}")

ORGANIZATION_KINDS = {"BRAND", "VENDOR", "AGENCY", "STUDIO", "PLATFORM"}
ENUMS = {
    "kind": {"PHOTO", "VIDEO", "SCAN_3D", "VOICE"} | ORGANIZATION_KINDS,
    "purpose": {"BUILD", "USE", "MATCHING"},
    "mediaType": {"IMAGE", "VIDEO", "AUDIO"},
    "channel": {"INSTAGRAM", "TIKTOK", "YOUTUBE", "WEB", "ECOMMERCE", "PRINT", "OUT_OF_HOME", "TV"},
    "basis": {"FLAT", "PER_USE", "ROYALTY"},
    "outcome": {"REMOVED", "REFUSED", "COUNTER_NOTICE"},
}
INSTANT_FIELDS = {
    "capturedAt",
    "builtAt",
    "signedAt",
    "validFrom",
    "validUntil",
    "revokedAt",
    "startsAt",
    "endsAt",
    "publishedAt",
    "withdrawnAt",
    "observedAt",
    "paidAt",
    "sentAt",
    "respondedAt",
    "enrolledAt",
}
DATE_FIELDS = {"birthDate", "since", "until"}

# op -> (required fields, optional fields), exactly the mutation inputs of DESIGN
FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "registerPerson": ({"id", "name"}, {"birthDate", "jurisdiction"}),
    "registerOrganization": ({"id", "name", "kind"}, {"jurisdiction"}),
    "recordRepresentation": ({"agencyId", "personId", "since"}, {"until"}),
    "recordCapture": ({"id", "personIds", "kind", "sha256", "capturedAt"}, {"capturedById", "phash"}),
    "buildTwin": (
        {"id", "personId", "vendorId", "captureIds", "builtAt"},
        {"version", "supersedesId", "commissionedById"},
    ),
    "grantConsent": (
        {"id", "purpose", "personId", "signedById", "signedAt", "validFrom"},
        {
            "granteeId",  # required but for a MATCHING consent, which names none (check_world)
            "twinIds",
            "guardianId",
            "negotiatedById",
            "validUntil",
            "mediaTypes",
            "channels",
            "territories",
            "prohibitedContent",
            "description",
            "representation",
            "replacesInPersonWork",
            "compensation",
            "sublicensable",
            "takedownDays",
            "documentSha256",
        },
    ),
    "revokeConsent": ({"consentId", "revokedAt"}, {"reason"}),
    "createCampaign": ({"id", "brandId", "name"}, {"startsAt", "endsAt"}),
    "publishAsset": (
        {
            "id",
            "publisherId",
            "twinIds",
            "sha256",
            "mediaType",
            "channel",
            "territories",
            "publishedAt",
            "aiLabel",
            "machineReadableMark",
        },
        {"campaignId", "phash", "contentTags", "sublicensedFromId", "faceMatches"},
    ),
    "withdrawAsset": ({"assetId", "withdrawnAt"}, set()),
    "reportSighting": ({"id", "url", "observedAt"}, {"sha256", "phash", "platformId", "faceMatches"}),
    "recordPayment": ({"id", "consentId", "amount", "currency", "paidAt"}, set()),
    "sendTakedownNotice": (
        {"id", "sightingId", "platformId", "sentById", "sentAt"},
        {
            "responseHours",
            "basis",
            "category",
            "ordered",
            "exactLocation",
            "notifierName",
            "notifierEmail",
            "goodFaith",
        },
    ),
    "recordNoticeResponse": ({"noticeId", "respondedAt", "outcome"}, {"note"}),
    "enrollLikeness": ({"personId", "captureId", "sha256", "box", "model", "enrolledAt"}, set()),
}

# op -> the kind of record each of its ids defines
DEFINES = {
    "registerPerson": "person",
    "registerOrganization": "organization",
    "recordCapture": "capture",
    "buildTwin": "twin",
    "grantConsent": "consent",
    "createCampaign": "campaign",
    "publishAsset": "asset",
    "reportSighting": "sighting",
    "recordPayment": "payment",
    "sendTakedownNotice": "notice",
}

PERSON, CAPTURE, TWIN, CONSENT, CAMPAIGN, ASSET = "person", "capture", "twin", "consent", "campaign", "asset"
# field -> the kinds it may name; organizations are named by kind, e.g. "organization:VENDOR"
REFERENCES: dict[str, dict[str, set[str]]] = {
    "recordRepresentation": {"agencyId": {"organization:AGENCY"}, "personId": {PERSON}},
    "recordCapture": {"personIds": {PERSON}, "capturedById": {"organization:STUDIO", "organization:VENDOR"}},
    "buildTwin": {
        "personId": {PERSON},
        "vendorId": {"organization:VENDOR"},
        "captureIds": {CAPTURE},
        "supersedesId": {TWIN},
        "commissionedById": {"organization:BRAND"},
    },
    "grantConsent": {
        "personId": {PERSON},
        "granteeId": {f"organization:{k}" for k in ORGANIZATION_KINDS},
        "twinIds": {TWIN},
        "signedById": {PERSON, "organization:AGENCY"},
        "guardianId": {PERSON},
        "negotiatedById": {"organization:AGENCY"},
    },
    "revokeConsent": {"consentId": {CONSENT}},
    "enrollLikeness": {"personId": {PERSON}, "captureId": {CAPTURE}},
    "createCampaign": {"brandId": {"organization:BRAND"}},
    "publishAsset": {
        "publisherId": {f"organization:{k}" for k in ORGANIZATION_KINDS},
        "campaignId": {CAMPAIGN},
        "twinIds": {TWIN},
        "sublicensedFromId": {f"organization:{k}" for k in ORGANIZATION_KINDS},
    },
    "withdrawAsset": {"assetId": {ASSET}},
    "reportSighting": {"platformId": {"organization:PLATFORM"}},
    "recordPayment": {"consentId": {CONSENT}},
    "sendTakedownNotice": {
        "sightingId": {"sighting"},
        "platformId": {"organization:PLATFORM"},
        "sentById": {PERSON} | {f"organization:{k}" for k in ORGANIZATION_KINDS},
    },
    "recordNoticeResponse": {"noticeId": {"notice"}},
}


def parse_instant(text: str) -> datetime:
    if not INSTANT.fullmatch(text):
        raise AssertionError(f"{text!r} is not an ISO-8601 UTC instant ending in Z")
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None and moment.utcoffset() == UTC.utcoffset(None)
    return moment


def is_territory(code: str) -> bool:
    return code.isupper() and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def check_fields(line: int, op: str, fields: dict[str, Any]) -> None:
    """Asserts one event's input has exactly the DESIGN fields, each well formed."""
    where = f"line {line} ({op})"
    assert op in FIELDS, f"{where}: unknown op"
    required, optional = FIELDS[op]
    assert required <= fields.keys(), f"{where}: missing {sorted(required - fields.keys())}"
    assert fields.keys() <= required | optional, (
        f"{where}: unexpected {sorted(fields.keys() - required - optional)}"
    )
    for name, value in fields.items():
        assert value is not None, f"{where}: {name} is null; optional nulls are omitted"
        if name in INSTANT_FIELDS:
            parse_instant(value)
        elif name in DATE_FIELDS:
            assert isinstance(value, str) and DAY.fullmatch(value), f"{where}: {name}={value!r}"
            date.fromisoformat(value)
        elif name in ("sha256", "documentSha256"):
            assert SHA256.fullmatch(value), f"{where}: {name}={value!r}"
        elif name == "phash":
            assert PHASH.fullmatch(value), f"{where}: {name}={value!r}"
        elif op == "sendTakedownNotice" and name == "basis":  # free text here, not a compensation basis
            assert isinstance(value, str) and value.strip(), f"{where}: {name}={value!r}"
        elif name in ENUMS:
            assert value in ENUMS[name], f"{where}: {name}={value!r}"
        elif name == "mediaTypes":
            assert value and set(value) <= ENUMS["mediaType"], f"{where}: {name}={value!r}"
        elif name == "channels":
            assert value and set(value) <= ENUMS["channel"], f"{where}: {name}={value!r}"
        elif name == "territories":
            allowed = (lambda t: t == "*" or is_territory(t)) if op == "grantConsent" else is_territory
            assert value and all(allowed(t) for t in value), f"{where}: {name}={value!r}"
        elif name == "amount":
            assert DECIMAL.fullmatch(value), f"{where}: {name}={value!r}"
        elif name == "currency":
            assert pycountry.currencies.get(alpha_3=value) is not None, f"{where}: {name}={value!r}"
        elif name == "compensation":
            assert set(value) == {"amount", "currency", "basis"}, f"{where}: {name}={value!r}"
            assert DECIMAL.fullmatch(value["amount"]), f"{where}: {name}={value!r}"
            assert pycountry.currencies.get(alpha_3=value["currency"]) is not None, (
                f"{where}: {name}={value!r}"
            )
            assert value["basis"] in ENUMS["basis"], f"{where}: {name}={value!r}"
        elif name == "box":
            assert isinstance(value, list) and len(value) == 4, f"{where}: {name}={value!r}"
            left, top, right, bottom = value
            assert 0 <= left < right and 0 <= top < bottom, f"{where}: {name}={value!r}"
        elif name == "model":
            assert value == "dlib-resnet-v1", f"{where}: {name}={value!r}"
        elif name == "faceMatches":
            assert isinstance(value, list) and value, f"{where}: {name}"
            for match in value:
                assert set(match) == {
                    "personId",
                    "captureId",
                    "distance",
                    "box",
                    "frameTime",
                    "model",
                    "threshold",
                }
                assert 0 <= match["distance"] <= match["threshold"], f"{where}: {name}={match!r}"
        elif name in ("aiLabel", "machineReadableMark", "sublicensable"):
            assert isinstance(value, bool), f"{where}: {name}={value!r}"
        elif name in ("version", "takedownDays", "responseHours"):
            assert isinstance(value, int) and not isinstance(value, bool) and value >= 0, f"{where}: {name}"
        elif name == "url":
            assert value.startswith("https://"), f"{where}: {name}={value!r}"
        elif name in ("id", "name", "description", "reason", "jurisdiction", "note"):
            assert isinstance(value, str) and value.strip(), f"{where}: {name}={value!r}"
        elif name in ("personIds", "captureIds", "twinIds", "prohibitedContent", "contentTags"):
            assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), (
                f"{where}: {name}"
            )
            assert len(set(value)) == len(value), f"{where}: {name} repeats an entry"


def check_world(events: Iterable[dict[str, Any]]) -> int:
    """Asserts the whole world: formats, unique ids, and every reference to an id defined earlier.

    Returns the number of events checked.
    """
    kinds: dict[str, str] = {}
    revoked: set[str] = set()
    withdrawn: set[str] = set()
    count = 0
    for line, event in enumerate(events, start=1):
        count += 1
        assert set(event) == {"op", "input"}, f"line {line}: keys {sorted(event)}"
        op, fields = event["op"], event["input"]
        check_fields(line, op, fields)
        if op == "grantConsent":
            assert ("granteeId" in fields) == (fields["purpose"] != "MATCHING"), f"line {line}: granteeId"
        for match in fields.get("faceMatches", []):
            assert kinds.get(match["personId"]) == PERSON, f"line {line}: faceMatches {match['personId']!r}"
            assert kinds.get(match["captureId"]) == CAPTURE, (
                f"line {line}: faceMatches {match['captureId']!r}"
            )
        for name, allowed in REFERENCES.get(op, {}).items():
            value = fields.get(name)
            for ref in [value] if isinstance(value, str) else value or []:
                assert ref in kinds, f"line {line} ({op}): {name} {ref!r} is not defined on an earlier line"
                assert kinds[ref] in allowed, f"line {line} ({op}): {name} {ref!r} is a {kinds[ref]}"
        if op == "revokeConsent":
            assert fields["consentId"] not in revoked, f"line {line}: consent revoked twice"
            revoked.add(fields["consentId"])
        if op == "withdrawAsset":
            assert fields["assetId"] not in withdrawn, f"line {line}: asset withdrawn twice"
            withdrawn.add(fields["assetId"])
        if op in DEFINES:
            assert fields["id"] not in kinds, f"line {line} ({op}): id {fields['id']!r} defined twice"
            kind = DEFINES[op]
            kinds[fields["id"]] = f"{kind}:{fields['kind']}" if kind == "organization" else kind
    return count
