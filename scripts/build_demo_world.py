"""Writes the demo world, ``likeness/demo/world.jsonl``: the story told in ``likeness.demo``'s docstring.

Run ``.venv/bin/python scripts/build_demo_world.py`` after editing; the output is committed (the
package ships it, not this script). Hashes are derived from ids, so the file is byte-for-byte
reproducible.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from likeness.demo.photos import astronaut as astronaut_photo
from likeness.demo.photos import deepfake_like, grace_hopper, half_size
from likeness.media.faces import FACE_MODEL, Face, face_distance
from likeness.media.hashing import hash_file

Event = dict[str, Any]
DEMO_WORLD = Path(__file__).resolve().parent.parent / "likeness" / "demo" / "world.jsonl"

NORDHEM = "brand-nordhem"
MAREN = "brand-maren"
RAWEDGE = "vendor-rawedge"
DEEPFOLD = "vendor-deepfold"
HUDSON_LANE = "agency-hudson-lane"
LJUSGARDEN = "studio-ljusgarden"
PICTAGRAM = "platform-pictagram"

LIV = "person-liv-aberg"
NOOR = "person-noor-haddad"
SAMIRA = "person-samira-haddad"
INES = "person-ines-okafor"
ELIN = "person-elin-strand"
MAJA = "person-maja-lindqvist"
CAMILLE = "person-camille-roux"

INES_EDITORIAL = "capture-ines-editorial-01"
# Hedda Moss, the demo's model who enrolled for likeness matching: her face is the US Navy's public-domain
# portrait of Grace Hopper (matplotlib's sample grace_hopper.jpg), the real file and its real hashes
HEDDA = "person-hedda-moss"
HEDDA_PORTRAIT = "capture-hedda-portrait"
HEDDA_SIGHTING = "sighting-pictagram-hedda"
ASTRONAUT_SIGHTING = "sighting-pictagram-astronaut"
INES_SIGHTING = "sighting-pictagram-ines"
INES_NOTICE = "notice-ines-pictagram"

# the law packs' demo (docs/laws.md): a New York model, and platforms in the US, India and Sweden
AVA = "person-ava-reyes"
CLIPSTREAM = "platform-clipstream"
REELBHARAT = "platform-reelbharat"
VIDNORD = "platform-vidnord"

NORDIC = ["SE", "NO", "DK", "FI"]
PROHIBITED = ["lingerie", "tobacco", "political"]


def sha256_of(label: str) -> str:
    """A stable stand-in for the hash of a file: the sha256 of the label."""
    return hashlib.sha256(f"likeness-demo:{label}".encode()).hexdigest()


def phash_of(label: str, *, flip_bits: tuple[int, ...] = ()) -> str:
    """A stable 64-bit perceptual hash; flipping bits makes a near-duplicate at that distance."""
    value = int(sha256_of(f"phash:{label}")[:16], 16)
    for bit in flip_bits:
        value ^= 1 << bit
    return f"{value:016x}"


def event(op: str, **fields: Any) -> Event:
    return {"op": op, "input": {name: value for name, value in fields.items() if value is not None}}


def parties() -> Iterator[Event]:
    yield event("registerPerson", id=LIV, name="Liv Åberg", birthDate="1997-04-12", jurisdiction="US")
    yield event("registerPerson", id=NOOR, name="Noor Haddad", birthDate="2009-06-03", jurisdiction="SE")
    yield event("registerPerson", id=SAMIRA, name="Samira Haddad", jurisdiction="SE")
    yield event("registerPerson", id=INES, name="Ines Okafor", jurisdiction="US")
    yield event("registerPerson", id=ELIN, name="Elin Strand", jurisdiction="SE")
    yield event("registerPerson", id=MAJA, name="Maja Lindqvist", birthDate="2000-11-30", jurisdiction="SE")
    yield event("registerPerson", id=CAMILLE, name="Camille Roux", jurisdiction="FR")
    yield event("registerOrganization", id=NORDHEM, name="Nordhem", kind="BRAND")
    yield event("registerOrganization", id=MAREN, name="Maren & Co.", kind="BRAND")
    yield event("registerOrganization", id=RAWEDGE, name="Rawedge", kind="VENDOR")
    yield event("registerOrganization", id=DEEPFOLD, name="Deepfold Labs", kind="VENDOR")
    yield event("registerOrganization", id=HUDSON_LANE, name="Hudson Lane Models", kind="AGENCY")
    yield event("registerOrganization", id=LJUSGARDEN, name="Ljusgården Studio", kind="STUDIO")
    yield event("registerOrganization", id=PICTAGRAM, name="Pictagram", kind="PLATFORM")
    yield event("recordRepresentation", agencyId=HUDSON_LANE, personId=LIV, since="2019-09-01")
    yield event("recordRepresentation", agencyId=HUDSON_LANE, personId=INES, since="2021-02-01")
    yield event("recordRepresentation", agencyId=HUDSON_LANE, personId=NOOR, since="2024-09-01")
    yield event(
        "recordRepresentation", agencyId=HUDSON_LANE, personId=MAJA, since="2022-03-15", until="2026-06-30"
    )


def captures() -> Iterator[Event]:
    rows = [
        ("capture-liv-photo-01", [LIV], "PHOTO", "2024-11-04T10:00:00Z", LJUSGARDEN),
        ("capture-liv-video-01", [LIV], "VIDEO", "2024-11-04T14:30:00Z", LJUSGARDEN),
        ("capture-liv-scan-01", [LIV], "SCAN_3D", "2025-08-12T09:00:00Z", RAWEDGE),
        ("capture-noor-photo-01", [NOOR], "PHOTO", "2025-01-22T13:00:00Z", LJUSGARDEN),
        ("capture-ines-photo-01", [INES], "PHOTO", "2024-12-02T10:00:00Z", RAWEDGE),
        ("capture-ines-video-01", [INES], "VIDEO", "2024-12-02T15:00:00Z", RAWEDGE),
        ("capture-elin-photo-01", [ELIN], "PHOTO", "2024-12-09T10:00:00Z", LJUSGARDEN),
        # a backstage group shot: it depicts both women, so either twin may train on it
        ("capture-backstage-01", [ELIN, MAJA], "PHOTO", "2024-12-09T17:45:00Z", LJUSGARDEN),
        ("capture-maja-photo-01", [MAJA], "PHOTO", "2025-01-14T10:00:00Z", RAWEDGE),
        ("capture-maja-video-01", [MAJA], "VIDEO", "2025-01-14T14:00:00Z", RAWEDGE),
        ("capture-camille-photo-01", [CAMILLE], "PHOTO", "2025-03-03T11:00:00Z", RAWEDGE),
    ]
    for capture_id, person_ids, kind, captured_at, captured_by in rows:
        yield event(
            "recordCapture",
            id=capture_id,
            personIds=person_ids,
            kind=kind,
            sha256=sha256_of(capture_id),
            capturedAt=captured_at,
            capturedById=captured_by,
        )
    # an editorial shot of Ines with its perceptual hash: a copy of it turns up on Pictagram
    yield event(
        "recordCapture",
        id=INES_EDITORIAL,
        personIds=[INES],
        kind="PHOTO",
        sha256=sha256_of(INES_EDITORIAL),
        phash=phash_of(INES_EDITORIAL),
        capturedAt="2025-11-18T10:00:00Z",
        capturedById=LJUSGARDEN,
    )


def twins() -> Iterator[Event]:
    liv_captures = ["capture-liv-photo-01", "capture-liv-video-01"]
    yield event(
        "buildTwin",
        id="twin-liv-v1",
        personId=LIV,
        vendorId=RAWEDGE,
        captureIds=liv_captures,
        builtAt="2025-01-20T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    yield event(
        "buildTwin",
        id="twin-liv-v2",
        personId=LIV,
        vendorId=RAWEDGE,
        captureIds=[*liv_captures, "capture-liv-scan-01"],
        builtAt="2025-09-01T12:00:00Z",
        version=2,
        supersedesId="twin-liv-v1",
        commissionedById=NORDHEM,
    )
    yield event(
        "buildTwin",
        id="twin-noor-v1",
        personId=NOOR,
        vendorId=RAWEDGE,
        captureIds=["capture-noor-photo-01"],
        builtAt="2025-02-10T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    yield event(
        "buildTwin",
        id="twin-ines-v1",
        personId=INES,
        vendorId=RAWEDGE,
        captureIds=["capture-ines-photo-01", "capture-ines-video-01"],
        builtAt="2025-01-28T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    yield event(
        "buildTwin",
        id="twin-elin-v1",
        personId=ELIN,
        vendorId=RAWEDGE,
        captureIds=["capture-elin-photo-01", "capture-backstage-01"],
        builtAt="2025-01-30T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    yield event(
        "buildTwin",
        id="twin-maja-v1",
        personId=MAJA,
        vendorId=RAWEDGE,
        captureIds=["capture-maja-photo-01", "capture-maja-video-01", "capture-backstage-01"],
        builtAt="2025-02-05T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    # FOREIGN_CAPTURE: a mislabelled video of Maja went into Camille's training set
    yield event(
        "buildTwin",
        id="twin-camille-v1",
        personId=CAMILLE,
        vendorId=RAWEDGE,
        captureIds=["capture-camille-photo-01", "capture-maja-video-01"],
        builtAt="2025-03-20T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    # UNCONSENTED_BUILD: Maren had a cheaper vendor copy Liv from a studio photo; she never agreed
    yield event(
        "buildTwin",
        id="twin-liv-deepfold",
        personId=LIV,
        vendorId=DEEPFOLD,
        captureIds=["capture-liv-photo-01"],
        builtAt="2025-05-06T12:00:00Z",
        version=1,
        commissionedById=MAREN,
    )


def compensation(amount: str, currency: str, basis: str = "FLAT") -> dict[str, str]:
    return {"amount": amount, "currency": currency, "basis": basis}


def build_consents() -> Iterator[Event]:
    rows = [
        (
            "consent-liv-build",
            LIV,
            LIV,
            None,
            HUDSON_LANE,
            "2025-01-10T09:00:00Z",
            "2030-01-10T00:00:00Z",
            compensation("5000.00", "EUR"),
        ),
        # Noor is 15: her mother signs, and the term stays within the five-year cap for minors
        (
            "consent-noor-build",
            NOOR,
            SAMIRA,
            SAMIRA,
            HUDSON_LANE,
            "2025-02-01T09:00:00Z",
            "2027-02-01T00:00:00Z",
            compensation("20000.00", "SEK"),
        ),
        (
            "consent-ines-build",
            INES,
            INES,
            None,
            HUDSON_LANE,
            "2025-01-15T09:00:00Z",
            "2028-01-15T00:00:00Z",
            compensation("4000.00", "USD"),
        ),
        (
            "consent-elin-build",
            ELIN,
            ELIN,
            None,
            None,
            "2025-01-20T09:00:00Z",
            "2028-01-20T00:00:00Z",
            compensation("30000.00", "SEK"),
        ),
        (
            "consent-maja-build",
            MAJA,
            MAJA,
            None,
            HUDSON_LANE,
            "2025-01-25T09:00:00Z",
            "2028-01-25T00:00:00Z",
            compensation("3500.00", "EUR"),
        ),
        (
            "consent-camille-build",
            CAMILLE,
            CAMILLE,
            None,
            None,
            "2025-03-10T09:00:00Z",
            "2028-03-10T00:00:00Z",
            compensation("3000.00", "EUR"),
        ),
    ]
    for consent_id, person, signer, guardian, agency, signed_at, valid_until, terms in rows:
        yield event(
            "grantConsent",
            id=consent_id,
            purpose="BUILD",
            personId=person,
            granteeId=RAWEDGE,
            signedById=signer,
            guardianId=guardian,
            negotiatedById=agency,
            signedAt=signed_at,
            validFrom=signed_at,
            validUntil=valid_until,
            description="Capture sessions and the training of a digital twin for Nordhem campaigns",
            compensation=terms,
            documentSha256=sha256_of(consent_id),
        )


def use_consent(consent_id: str, **fields: Any) -> Event:
    """A USE consent with the house terms unless a field says otherwise."""
    terms: dict[str, Any] = {
        "id": consent_id,
        "purpose": "USE",
        "signedById": fields["personId"],
        "mediaTypes": ["IMAGE", "VIDEO"],
        "takedownDays": 30,
        "documentSha256": sha256_of(consent_id),
    }
    terms.update(fields)
    return event("grantConsent", **terms)


def use_consents() -> Iterator[Event]:
    liv_terms = {
        "personId": LIV,
        "granteeId": NORDHEM,
        "negotiatedById": HUDSON_LANE,
        "prohibitedContent": PROHIBITED,
        "description": "Digital-twin imagery of Liv for Nordhem seasonal campaigns on social media, "
        "nordhem.com and the Nordhem app",
    }
    yield use_consent(
        "consent-liv-use-2025",
        **liv_terms,
        twinIds=["twin-liv-v1"],
        signedAt="2025-01-25T09:00:00Z",
        validFrom="2025-02-01T00:00:00Z",
        validUntil="2026-01-31T00:00:00Z",
        channels=["INSTAGRAM", "TIKTOK", "WEB", "ECOMMERCE"],
        territories=[*NORDIC, "DE", "NL", "FR", "GB"],
        compensation=compensation("40000.00", "EUR"),
    )
    # the renewal opens a month before the 2025 grant closes, so nothing falls uncovered
    yield use_consent(
        "consent-liv-use-2026",
        **liv_terms,
        twinIds=["twin-liv-v1", "twin-liv-v2"],
        signedAt="2025-12-10T09:00:00Z",
        validFrom="2026-01-01T00:00:00Z",
        validUntil="2027-06-30T00:00:00Z",
        channels=["INSTAGRAM", "TIKTOK", "WEB", "ECOMMERCE", "OUT_OF_HOME"],
        territories=[*NORDIC, "DE", "NL", "FR", "GB", "US"],
        compensation=compensation("55000.00", "EUR"),
    )
    yield use_consent(
        "consent-noor-use",
        personId=NOOR,
        granteeId=NORDHEM,
        twinIds=["twin-noor-v1"],
        signedById=SAMIRA,
        guardianId=SAMIRA,
        negotiatedById=HUDSON_LANE,
        signedAt="2025-02-20T09:00:00Z",
        validFrom="2025-03-01T00:00:00Z",
        validUntil="2025-12-31T00:00:00Z",
        mediaTypes=["IMAGE"],
        channels=["ECOMMERCE", "WEB"],
        territories=NORDIC,
        prohibitedContent=["swimwear", "lingerie"],
        description="Product imagery of Noor's twin for the Nordhem Teen line on nordhem.com",
        compensation=compensation("80000.00", "SEK"),
        takedownDays=14,
    )
    # MINOR_WITHOUT_GUARDIAN: Noor signed Maren's form herself, and nobody recorded a guardian
    yield use_consent(
        "consent-noor-use-maren",
        personId=NOOR,
        granteeId=MAREN,
        twinIds=["twin-noor-v1"],
        signedAt="2025-06-02T09:00:00Z",
        validFrom="2025-06-02T09:00:00Z",
        validUntil="2026-06-01T00:00:00Z",
        mediaTypes=["IMAGE"],
        channels=["INSTAGRAM"],
        territories=["SE"],
        description="Instagram posts of Noor's twin for the Maren & Co. studio edit",
        compensation=compensation("15000.00", "SEK"),
    )
    # INVALID_SIGNATORY: the agency signed on Ines's behalf; she never signed herself
    yield use_consent(
        "consent-ines-use",
        personId=INES,
        granteeId=NORDHEM,
        twinIds=["twin-ines-v1"],
        signedById=HUDSON_LANE,
        negotiatedById=HUDSON_LANE,
        signedAt="2025-02-01T09:00:00Z",
        validFrom="2025-02-15T00:00:00Z",
        validUntil="2026-12-31T00:00:00Z",
        channels=["INSTAGRAM", "WEB"],
        territories=["US", "GB"],
        description="Social and web imagery of Ines's twin for Nordhem US",
        compensation=compensation("30000.00", "USD"),
    )
    yield use_consent(
        "consent-elin-use",
        personId=ELIN,
        granteeId=NORDHEM,
        twinIds=["twin-elin-v1"],
        signedAt="2025-02-01T09:00:00Z",
        validFrom="2025-02-15T00:00:00Z",
        validUntil="2027-02-14T00:00:00Z",
        channels=["INSTAGRAM", "ECOMMERCE"],
        territories=NORDIC,
        prohibitedContent=["alcohol"],
        description="Elin's twin in Nordhem social posts and product pages",
        compensation=compensation("60000.00", "SEK"),
    )
    # INCOMPLETE_TERMS: no compensation was ever agreed
    yield use_consent(
        "consent-elin-use-maren",
        personId=ELIN,
        granteeId=MAREN,
        twinIds=["twin-elin-v1"],
        signedAt="2025-06-15T09:00:00Z",
        validFrom="2025-06-15T09:00:00Z",
        validUntil="2026-06-14T00:00:00Z",
        mediaTypes=["IMAGE"],
        channels=["WEB", "INSTAGRAM"],
        territories=["SE", "NO"],
        description="Lookbook imagery of Elin's twin for marenco.example",
    )
    maja_terms = {
        "personId": MAJA,
        "granteeId": NORDHEM,
        "twinIds": ["twin-maja-v1"],
        "negotiatedById": HUDSON_LANE,
        "territories": ["*"],
        "prohibitedContent": ["nudity"],
        "description": "Worldwide digital-twin imagery of Maja for Nordhem",
    }
    yield use_consent(
        "consent-maja-use-2025",
        **maja_terms,
        signedAt="2025-02-10T09:00:00Z",
        validFrom="2025-02-15T00:00:00Z",
        validUntil="2025-08-31T00:00:00Z",
        channels=["INSTAGRAM", "ECOMMERCE", "WEB"],
        compensation=compensation("12000.00", "EUR"),
    )
    # signed in August but effective only from October: September 2025 is a gap
    yield use_consent(
        "consent-maja-use-2025b",
        **maja_terms,
        signedAt="2025-08-20T09:00:00Z",
        validFrom="2025-10-01T00:00:00Z",
        validUntil="2027-09-30T00:00:00Z",
        channels=["INSTAGRAM", "ECOMMERCE", "WEB", "PRINT"],
        compensation=compensation("30000.00", "EUR"),
        sublicensable=True,
    )
    yield use_consent(
        "consent-camille-use",
        personId=CAMILLE,
        granteeId=NORDHEM,
        twinIds=["twin-camille-v1"],
        signedAt="2025-04-01T09:00:00Z",
        validFrom="2025-04-01T09:00:00Z",
        validUntil="2027-03-31T00:00:00Z",
        mediaTypes=["IMAGE"],
        channels=["INSTAGRAM", "WEB"],
        territories=["FR", "BE", "SE"],
        description="Camille's twin in Nordhem's French social campaign",
        compensation=compensation("750.00", "EUR", "PER_USE"),
    )


def campaigns() -> Iterator[Event]:
    yield event(
        "createCampaign",
        id="campaign-nordhem-ss25",
        brandId=NORDHEM,
        name="Nordhem Spring/Summer 2025: Twin Edition",
        startsAt="2025-03-01T00:00:00Z",
        endsAt="2025-08-31T23:59:59Z",
    )
    yield event(
        "createCampaign",
        id="campaign-nordhem-aw25",
        brandId=NORDHEM,
        name="Nordhem Autumn/Winter 2025",
        startsAt="2025-09-01T00:00:00Z",
        endsAt="2026-02-28T23:59:59Z",
    )
    yield event(
        "createCampaign",
        id="campaign-nordhem-ss26",
        brandId=NORDHEM,
        name="Nordhem Spring/Summer 2026",
        startsAt="2026-03-01T00:00:00Z",
        endsAt="2026-08-31T23:59:59Z",
    )
    yield event(
        "createCampaign",
        id="campaign-maren-edit",
        brandId=MAREN,
        name="Maren & Co. Studio Edit",
        startsAt="2025-05-01T00:00:00Z",
        endsAt="2026-06-30T23:59:59Z",
    )


# fmt: off
# id, publisher, campaign, twins, mediaType, channel, territories, publishedAt, extra fields
ASSETS: list[tuple[str, str, str, list[str], str, str, list[str], str, dict[str, Any]]] = [
    ("asset-ss25-liv-feed", NORDHEM, "campaign-nordhem-ss25", ["twin-liv-v1"], "IMAGE", "INSTAGRAM",
     NORDIC, "2025-03-05T08:00:00Z", {"contentTags": ["outerwear"]}),
    ("asset-ss25-liv-reel", NORDHEM, "campaign-nordhem-ss25", ["twin-liv-v1"], "VIDEO", "TIKTOK",
     ["SE", "DE"], "2025-03-12T16:00:00Z", {}),
    ("asset-ss25-noor-shop", NORDHEM, "campaign-nordhem-ss25", ["twin-noor-v1"], "IMAGE", "ECOMMERCE",
     ["SE", "NO"], "2025-03-15T07:00:00Z", {"contentTags": ["denim"]}),
    ("asset-ss25-maja-shop", NORDHEM, "campaign-nordhem-ss25", ["twin-maja-v1"], "IMAGE", "ECOMMERCE",
     ["SE", "DE"], "2025-03-20T07:00:00Z", {}),
    ("asset-ss25-noor-web", NORDHEM, "campaign-nordhem-ss25", ["twin-noor-v1"], "IMAGE", "WEB",
     ["SE"], "2025-04-01T07:00:00Z", {}),
    ("asset-ss25-elin-feed", NORDHEM, "campaign-nordhem-ss25", ["twin-elin-v1"], "IMAGE", "INSTAGRAM",
     ["SE"], "2025-04-08T08:00:00Z", {}),
    ("asset-ss25-elin-reel", NORDHEM, "campaign-nordhem-ss25", ["twin-elin-v1"], "VIDEO", "INSTAGRAM",
     ["SE", "NO"], "2025-05-02T08:00:00Z", {"contentTags": ["swimwear"]}),
    ("asset-ss25-camille-feed", NORDHEM, "campaign-nordhem-ss25", ["twin-camille-v1"], "IMAGE", "INSTAGRAM",
     ["FR"], "2025-05-14T08:00:00Z", {}),
    ("asset-ss25-liv-unmarked", NORDHEM, "campaign-nordhem-ss25", ["twin-liv-v1"], "IMAGE", "WEB",
     ["SE", "GB"], "2025-06-03T07:00:00Z", {"machineReadableMark": False}),
    ("asset-ss25-ines-feed", NORDHEM, "campaign-nordhem-ss25", ["twin-ines-v1"], "IMAGE", "INSTAGRAM",
     ["US"], "2025-06-10T14:00:00Z", {}),
    ("asset-maren-liv-knockoff", MAREN, "campaign-maren-edit", ["twin-liv-deepfold"], "IMAGE", "INSTAGRAM",
     ["DE"], "2025-06-12T10:00:00Z", {}),
    ("asset-maren-noor-feed", MAREN, "campaign-maren-edit", ["twin-noor-v1"], "IMAGE", "INSTAGRAM",
     ["SE"], "2025-06-20T10:00:00Z", {}),
    ("asset-maren-elin-lookbook", MAREN, "campaign-maren-edit", ["twin-elin-v1"], "IMAGE", "WEB",
     ["SE"], "2025-07-01T10:00:00Z", {}),
    ("asset-aw25-liv-shop", NORDHEM, "campaign-nordhem-aw25", ["twin-liv-v1"], "IMAGE", "ECOMMERCE",
     ["SE", "DE", "NL", "FR"], "2025-09-03T07:00:00Z", {"contentTags": ["knitwear"]}),
    ("asset-aw25-maja-gap", NORDHEM, "campaign-nordhem-aw25", ["twin-maja-v1"], "IMAGE", "INSTAGRAM",
     ["SE"], "2025-09-10T08:00:00Z", {}),
    ("asset-aw25-maja-print", NORDHEM, "campaign-nordhem-aw25", ["twin-maja-v1"], "IMAGE", "PRINT",
     ["SE"], "2025-10-15T06:00:00Z", {}),
    ("asset-maren-liv-sublicensed", MAREN, "campaign-maren-edit", ["twin-liv-v1"], "IMAGE", "INSTAGRAM",
     ["SE"], "2025-10-20T10:00:00Z", {"sublicensedFromId": NORDHEM}),
    ("asset-aw25-noor-late", NORDHEM, "campaign-nordhem-aw25", ["twin-noor-v1"], "IMAGE", "ECOMMERCE",
     ["SE"], "2026-02-10T07:00:00Z", {}),
    ("asset-maren-maja-sublicensed", MAREN, "campaign-maren-edit", ["twin-maja-v1"], "IMAGE", "INSTAGRAM",
     ["SE", "DK"], "2026-02-14T10:00:00Z", {"sublicensedFromId": NORDHEM}),
    ("asset-ss26-liv-billboard", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2"], "IMAGE", "OUT_OF_HOME",
     ["SE"], "2026-03-02T05:00:00Z", {}),
    ("asset-ss26-duo", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2", "twin-maja-v1"], "IMAGE",
     "INSTAGRAM", ["SE", "NO"], "2026-03-04T08:00:00Z", {"contentTags": ["tailoring"]}),
    ("asset-ss26-liv-us", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2"], "IMAGE", "WEB",
     ["US"], "2026-03-05T14:00:00Z", {}),
    ("asset-ss26-elin-after", NORDHEM, "campaign-nordhem-ss26", ["twin-elin-v1"], "IMAGE", "INSTAGRAM",
     ["SE"], "2026-03-10T08:00:00Z", {}),
    ("asset-ss26-liv-unlabelled", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2"], "VIDEO", "TIKTOK",
     ["SE"], "2026-03-18T16:00:00Z", {"aiLabel": False}),
    ("asset-ss26-liv-tokyo", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2"], "IMAGE", "INSTAGRAM",
     ["JP"], "2026-04-01T01:00:00Z", {}),
    ("asset-ss26-liv-lingerie", NORDHEM, "campaign-nordhem-ss26", ["twin-liv-v2"], "IMAGE", "ECOMMERCE",
     ["SE"], "2026-04-15T07:00:00Z", {"contentTags": ["lingerie"]}),
    ("asset-maren-maja-direct", MAREN, "campaign-maren-edit", ["twin-maja-v1"], "IMAGE", "WEB",
     ["SE"], "2026-04-20T10:00:00Z", {}),
    ("asset-ss26-maja-reel", NORDHEM, "campaign-nordhem-ss26", ["twin-maja-v1"], "VIDEO", "INSTAGRAM",
     ["SE", "FI"], "2026-05-06T08:00:00Z", {}),
]
# fmt: on


def assets() -> Iterator[Event]:
    for asset_id, publisher, campaign, twin_ids, media, channel, territories, published_at, extra in ASSETS:
        fields: dict[str, Any] = {
            "id": asset_id,
            "publisherId": publisher,
            "campaignId": campaign,
            "twinIds": twin_ids,
            "sha256": sha256_of(asset_id),
            "phash": phash_of(asset_id),
            "mediaType": media,
            "channel": channel,
            "territories": territories,
            "publishedAt": published_at,
            "aiLabel": True,
            "machineReadableMark": True,
        }
        fields.update(extra)
        yield event("publishAsset", **fields)


def afterwards() -> Iterator[Event]:
    """Withdrawals, the revocation, sightings and payments: what happened once the assets were out."""
    yield event("withdrawAsset", assetId="asset-ss25-maja-shop", withdrawnAt="2025-08-25T12:00:00Z")
    yield event("withdrawAsset", assetId="asset-ss25-noor-shop", withdrawnAt="2025-12-20T12:00:00Z")
    yield event("withdrawAsset", assetId="asset-ss26-elin-after", withdrawnAt="2026-03-12T09:00:00Z")
    yield event("withdrawAsset", assetId="asset-ss25-elin-feed", withdrawnAt="2026-03-20T12:00:00Z")
    yield event(
        "revokeConsent",
        consentId="consent-elin-use",
        revokedAt="2026-03-01T10:00:00Z",
        reason="Elin objects to her twin appearing next to a sponsored alcohol brand",
    )
    yield event(
        "reportSighting",
        id="sighting-knockoff-blog",
        url="https://modefynd.example/2025/07/maren-drop",
        observedAt="2025-07-03T19:20:00Z",
        phash=phash_of("asset-maren-liv-knockoff", flip_bits=(3, 17, 40)),
    )
    yield event(
        "reportSighting",
        id="sighting-noor-reseller",
        url="https://outlet-deals.example/item/88412",
        observedAt="2026-02-15T11:00:00Z",
        phash=phash_of("asset-ss25-noor-web", flip_bits=(1, 9, 22, 35, 60)),
    )
    yield event(
        "reportSighting",
        id="sighting-pictagram-elin",
        url="https://pictagram.example/p/CxE1v9Rk",
        observedAt="2026-05-02T08:14:00Z",
        sha256=sha256_of("asset-ss25-elin-reel"),
        phash=phash_of("asset-ss25-elin-reel"),
        platformId=PICTAGRAM,
    )
    yield event(
        "reportSighting",
        id="sighting-unmatched",
        url="https://pictagram.example/p/Dq7T0aZm",
        observedAt="2026-06-11T21:05:00Z",
        phash=phash_of("nothing-we-published"),
        platformId=PICTAGRAM,
    )
    # an unregistered copy of Ines's editorial shot on Pictagram; Hudson Lane sends a takedown notice on
    # her behalf, Pictagram refuses within the 72 hours, lets the window close, and removes it two weeks on
    yield event(
        "reportSighting",
        id=INES_SIGHTING,
        url="https://pictagram.example/p/Hk3vQ2Lw",
        observedAt="2026-04-02T18:30:00Z",
        phash=phash_of(INES_EDITORIAL, flip_bits=(5, 21, 44, 58)),
        platformId=PICTAGRAM,
    )
    payments = [
        ("payment-liv-build-1", "consent-liv-build", "5000.00", "EUR", "2025-01-31T12:00:00Z"),
        ("payment-liv-use-2025-1", "consent-liv-use-2025", "20000.00", "EUR", "2025-02-10T12:00:00Z"),
        ("payment-liv-use-2025-2", "consent-liv-use-2025", "20000.00", "EUR", "2025-08-10T12:00:00Z"),
        ("payment-liv-use-2026-1", "consent-liv-use-2026", "27500.00", "EUR", "2026-01-15T12:00:00Z"),
        ("payment-noor-use-1", "consent-noor-use", "80000.00", "SEK", "2025-03-05T12:00:00Z"),
        ("payment-elin-use-1", "consent-elin-use", "60000.00", "SEK", "2025-02-20T12:00:00Z"),
        ("payment-maja-use-2025-1", "consent-maja-use-2025", "12000.00", "EUR", "2025-02-20T12:00:00Z"),
        ("payment-maja-use-2025b-1", "consent-maja-use-2025b", "30000.00", "EUR", "2025-10-05T12:00:00Z"),
        ("payment-camille-use-1", "consent-camille-use", "2250.00", "EUR", "2025-07-01T12:00:00Z"),
    ]
    for payment_id, consent_id, amount, currency, paid_at in payments:
        yield event(
            "recordPayment",
            id=payment_id,
            consentId=consent_id,
            amount=amount,
            currency=currency,
            paidAt=paid_at,
        )
    yield event(
        "sendTakedownNotice",
        id=INES_NOTICE,
        sightingId=INES_SIGHTING,
        platformId=PICTAGRAM,
        sentById=HUDSON_LANE,
        sentAt="2026-04-03T09:00:00Z",
        responseHours=72,
        basis="Unauthorized digital replica of Ines Okafor (NO FAKES Act); notice under EU DSA art. 16",
    )
    yield event(
        "recordNoticeResponse",
        noticeId=INES_NOTICE,
        respondedAt="2026-04-04T15:00:00Z",
        outcome="REFUSED",
        note="Pictagram: the uploader claims a licence",
    )
    yield event(
        "recordNoticeResponse", noticeId=INES_NOTICE, respondedAt="2026-04-20T11:00:00Z", outcome="REMOVED"
    )


def likeness_matching() -> Iterator[Event]:
    """Hedda enrols her face under a MATCHING consent; a deepfake-like image of her (a new image: no hash
    is near her portrait's) turns up on Pictagram, and so does NASA's astronaut portrait (a face nobody
    enrolled). The hashes, boxes and distances are computed here from the real files (the photographs
    likeness.demo.photos finds, through likeness.media), as the API computes them."""
    portrait = hash_file(grace_hopper())
    (face,) = portrait.faces.faces
    fake = hash_file(deepfake_like(grace_hopper()))
    (fake_face,) = fake.faces.faces
    astronaut = hash_file(astronaut_photo())
    yield event("registerPerson", id=HEDDA, name="Hedda Moss", jurisdiction="SE")
    yield event(
        "recordCapture",
        id=HEDDA_PORTRAIT,
        personIds=[HEDDA],
        kind="PHOTO",
        sha256=portrait.sha256,
        phash=portrait.phash,
        capturedAt="2026-02-01T10:00:00Z",
        capturedById=LJUSGARDEN,
    )
    yield event(
        "grantConsent",
        id="consent-hedda-matching",
        purpose="MATCHING",
        personId=HEDDA,
        signedById=HEDDA,
        signedAt="2026-02-02T09:00:00Z",
        validFrom="2026-02-02T09:00:00Z",
        description="Match my face in images found online, to protect my likeness",
    )
    yield event(
        "enrollLikeness",
        personId=HEDDA,
        captureId=HEDDA_PORTRAIT,
        sha256=portrait.sha256,
        box=face.box.as_list(),
        model=portrait.faces.model,
        enrolledAt="2026-02-02T09:30:00Z",
    )
    yield event(
        "reportSighting",
        id=HEDDA_SIGHTING,
        url="https://pictagram.example/p/Zf8kQ1Hm",
        observedAt="2026-06-10T16:45:00Z",
        sha256=fake.sha256,
        phash=fake.phash,
        platformId=PICTAGRAM,
        faceMatches=[hedda_in(fake_face, face)],
    )
    # Nordhem publishes an image rendering Liv's twin whose picture shows Hedda's face: a half-size copy of
    # her portrait (the asset's file; its hashes are its own)
    ad = hash_file(half_size(grace_hopper()))
    (ad_face,) = ad.faces.faces
    yield event(
        "publishAsset",
        id="asset-ss26-liv-hedda-face",
        publisherId=NORDHEM,
        campaignId="campaign-nordhem-ss26",
        twinIds=["twin-liv-v2"],
        sha256=ad.sha256,
        phash=ad.phash,
        mediaType="IMAGE",
        channel="INSTAGRAM",
        territories=["SE"],
        publishedAt="2026-05-20T08:00:00Z",
        aiLabel=True,
        machineReadableMark=True,
        faceMatches=[hedda_in(ad_face, face)],
    )
    yield event(
        "reportSighting",
        id=ASTRONAUT_SIGHTING,
        url="https://pictagram.example/p/Nx4aE7Uc",
        observedAt="2026-06-12T08:00:00Z",
        sha256=astronaut.sha256,
        phash=astronaut.phash,
        platformId=PICTAGRAM,
    )


def hedda_in(found: Face, template: Face) -> dict[str, Any]:
    """What a file showing Hedda's face `found` records of it (the contract's faceMatches), as the API would
    from her template `template` (enrolled from her portrait)."""
    return {
        "personId": HEDDA,
        "captureId": HEDDA_PORTRAIT,
        "distance": round(face_distance(found.vector, template.vector), 6),
        "box": found.box.as_list(),
        "frameTime": 0.0,
        "model": FACE_MODEL,
        "threshold": 0.6,
    }


def laws_in_force() -> Iterator[Event]:
    """What the law packs say of the same facts (docs/laws.md): a New York model whose consent is void, EU
    assets either side of 2 August 2026, and a takedown notice under each clock."""
    yield event("registerPerson", id=AVA, name="Ava Reyes", birthDate="1996-02-09", jurisdiction="US-NY")
    yield event("registerOrganization", id=CLIPSTREAM, name="Clipstream", kind="PLATFORM", jurisdiction="US")
    yield event("registerOrganization", id=REELBHARAT, name="ReelBharat", kind="PLATFORM", jurisdiction="IN")
    yield event("registerOrganization", id=VIDNORD, name="Vidnord", kind="PLATFORM", jurisdiction="SE")
    yield event("recordRepresentation", agencyId=HUDSON_LANE, personId=AVA, since="2023-09-01")
    yield event(
        "recordCapture",
        id="capture-ava-photo-01",
        personIds=[AVA],
        kind="PHOTO",
        sha256=sha256_of("capture-ava-photo-01"),
        capturedAt="2025-10-06T10:00:00Z",
        capturedById=RAWEDGE,
    )
    # the BUILD consent was negotiated with her lawyer: enforceable under NY GOL s. 5-302
    yield event(
        "grantConsent",
        id="consent-ava-build",
        purpose="BUILD",
        personId=AVA,
        granteeId=RAWEDGE,
        signedById=AVA,
        negotiatedById=HUDSON_LANE,
        signedAt="2025-10-01T09:00:00Z",
        validFrom="2025-10-01T09:00:00Z",
        validUntil="2028-10-01T00:00:00Z",
        description="Capture sessions and the training of a digital twin for Nordhem campaigns",
        compensation=compensation("6000.00", "USD"),
        documentSha256=sha256_of("consent-ava-build"),
        representation="COUNSEL",
        replacesInPersonWork=True,
    )
    yield event(
        "buildTwin",
        id="twin-ava-v1",
        personId=AVA,
        vendorId=RAWEDGE,
        captureIds=["capture-ava-photo-01"],
        builtAt="2025-10-20T12:00:00Z",
        version=1,
        commissionedById=NORDHEM,
    )
    # the USE consent replaces the in-store shoots she would have done in New York, and she signed it with
    # neither a lawyer nor a union agreement: void under NY GOL s. 5-302, so CONSENT_UNENFORCEABLE
    yield use_consent(
        "consent-ava-use",
        personId=AVA,
        granteeId=NORDHEM,
        negotiatedById=HUDSON_LANE,
        twinIds=["twin-ava-v1"],
        signedAt="2026-01-12T09:00:00Z",
        validFrom="2026-02-01T00:00:00Z",
        validUntil="2027-01-31T00:00:00Z",
        channels=["INSTAGRAM", "WEB", "OUT_OF_HOME"],
        territories=["US"],
        description="Digital-twin imagery of Ava for the opening of Nordhem's New York store, in place of "
        "the in-store shoots",
        compensation=compensation("18000.00", "USD"),
        representation="NONE",
        replacesInPersonWork=True,
    )
    yield event(
        "publishAsset",
        id="asset-ss26-ava-nyc",
        publisherId=NORDHEM,
        campaignId="campaign-nordhem-ss26",
        twinIds=["twin-ava-v1"],
        sha256=sha256_of("asset-ss26-ava-nyc"),
        phash=phash_of("asset-ss26-ava-nyc"),
        mediaType="IMAGE",
        channel="OUT_OF_HOME",
        territories=["US"],
        publishedAt="2026-04-15T09:00:00Z",
        aiLabel=True,
        machineReadableMark=True,
    )
    # unlabelled in Sweden either side of 2 August 2026, when the EU AI Act's art. 50 starts to apply
    for asset_id, published_at in (
        ("asset-ss26-liv-july-unlabelled", "2026-07-01T08:00:00Z"),
        ("asset-ss26-liv-august-unlabelled", "2026-08-03T08:00:00Z"),
    ):
        yield event(
            "publishAsset",
            id=asset_id,
            publisherId=NORDHEM,
            campaignId="campaign-nordhem-ss26",
            twinIds=["twin-liv-v2"],
            sha256=sha256_of(asset_id),
            phash=phash_of(asset_id),
            mediaType="IMAGE",
            channel="INSTAGRAM",
            territories=["SE"],
            publishedAt=published_at,
            aiLabel=False,
            machineReadableMark=True,
        )
    # a notice under each clock: none of them gives responseHours, so the law's applies
    sightings = [
        (
            "sighting-clipstream-maja",
            "https://clipstream.example/v/q8Kd2",
            CLIPSTREAM,
            "2026-09-09T20:00:00Z",
        ),
        (
            "sighting-reelbharat-ines",
            "https://reelbharat.example/r/77120",
            REELBHARAT,
            "2026-09-14T18:00:00Z",
        ),
        ("sighting-vidnord-elin", "https://vidnord.example/watch/ElN4", VIDNORD, "2026-09-28T12:00:00Z"),
    ]
    for sighting_id, url, platform, observed_at in sightings:
        yield event(
            "reportSighting",
            id=sighting_id,
            url=url,
            observedAt=observed_at,
            phash=phash_of(sighting_id),
            platformId=platform,
        )
    # intimate imagery on a US platform: 48 hours under the TAKE IT DOWN Act; Clipstream never answers
    yield event(
        "sendTakedownNotice",
        id="notice-maja-clipstream",
        sightingId="sighting-clipstream-maja",
        platformId=CLIPSTREAM,
        sentById=MAJA,
        sentAt="2026-09-10T08:00:00Z",
        category="INTIMATE",
        basis="A sexualised deepfake of Maja Lindqvist, made and published without her consent",
    )
    # a takedown an Indian court ordered: 3 hours under India's IT Rules; ReelBharat removes it an hour late
    yield event(
        "sendTakedownNotice",
        id="notice-ines-reelbharat",
        sightingId="sighting-reelbharat-ines",
        platformId=REELBHARAT,
        sentById=HUDSON_LANE,
        sentAt="2026-09-15T06:00:00Z",
        ordered=True,
        basis="Order of the Bombay High Court: an unauthorized digital replica of Ines Okafor",
    )
    yield event(
        "recordNoticeResponse",
        noticeId="notice-ines-reelbharat",
        respondedAt="2026-09-15T10:00:00Z",
        outcome="REMOVED",
    )
    # a platform in the EU: the notice carries what EU DSA art. 16 asks; 72 hours, removed two days late
    yield event(
        "sendTakedownNotice",
        id="notice-elin-vidnord",
        sightingId="sighting-vidnord-elin",
        platformId=VIDNORD,
        sentById=ELIN,
        sentAt="2026-10-01T12:00:00Z",
        basis="A digital replica of Elin Strand used after she revoked her consent on 2026-03-01",
        exactLocation="https://vidnord.example/watch/ElN4",
        notifierName="Elin Strand",
        notifierEmail="elin.strand@example.se",
        goodFaith=True,
    )
    yield event(
        "recordNoticeResponse",
        noticeId="notice-elin-vidnord",
        respondedAt="2026-10-06T12:00:00Z",
        outcome="REMOVED",
    )


def demo_events() -> Iterator[Event]:
    """Every event of the demo world, in import order."""
    yield from parties()
    yield from captures()
    yield from twins()
    yield from build_consents()
    yield from use_consents()
    yield from campaigns()
    yield from assets()
    yield from afterwards()
    yield from likeness_matching()
    yield from laws_in_force()


def main() -> None:
    lines = [json.dumps(e, ensure_ascii=False) for e in demo_events()]
    DEMO_WORLD.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} events to {DEMO_WORLD}")


if __name__ == "__main__":
    main()
