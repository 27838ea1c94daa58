"""The write events of the contract: one per mutation, validated the same way for the API and import.

`SPECS` is the registry of operations: each spec (likeness.events.spec) names its input fields with their
GraphQL types, its owner, what it writes, the file it takes and the verdicts it touches; the schema, the
access check, the verdict refresh and the tests read it (docs/adding-an-operation.md).

An event is the mutation name plus its input. `parse_event` checks the input's shape (no database);
`likeness.graph.apply` then checks references and idempotency inside the write transaction. Every
field has a bounded domain (amounts, instants, dates, currencies, list and text lengths), written
out in `likeness.events.fields`; a value outside it is a BAD_INPUT naming the field, here, for the
API and the bulk import alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from likeness.errors import InvalidInput
from likeness.events import fields as f
from likeness.events.spec import EventSpec, FieldSpec, FileSpec, Owner
from likeness.events.vocabulary import (
    AiTraining,
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    ConsentRepresentation,
    MediaType,
    NoticeCategory,
    NoticeOutcome,
    OrganizationKind,
    words,
)

ORGANIZATION_KINDS = words(OrganizationKind)
CAPTURE_KINDS = words(CaptureKind)
PURPOSES = words(ConsentPurpose)
AI_TRAINING = words(AiTraining)
MEDIA_TYPES = words(MediaType)
CHANNELS = words(Channel)
COMPENSATION_BASES = words(CompensationBasis)
NOTICE_OUTCOMES = words(NoticeOutcome)
REPRESENTATIONS = words(ConsentRepresentation)
NOTICE_CATEGORIES = words(NoticeCategory)
# how long a platform may take to act on a takedown notice: an hour to a year
RESPONSE_HOURS = (1, 8760)
LABEL_OF_KIND = {kind: kind.capitalize() for kind in ORGANIZATION_KINDS}


def _compensation(field_name: str, value: Any) -> dict[str, Any]:
    return _parse_fields(field_name + ".", COMPENSATION_FIELDS, value)


COMPENSATION_FIELDS = {
    "amount": FieldSpec(f.money, "Decimal", required=True),
    "currency": FieldSpec(f.currency, "String", required=True),
    "basis": FieldSpec(f.one_of(*COMPENSATION_BASES), "CompensationBasis", required=True),
}

ORG = ("Organization",)

# nested inputs of the GraphQL schema, by type name (likeness.schema.inputs)
NESTED_INPUTS: dict[str, dict[str, FieldSpec]] = {"CompensationInput": COMPENSATION_FIELDS}

# Content Credentials read from an uploaded file (likeness.media.credentials), recorded with the event that
# the file came with: never sent by an API client (the file is), written by the server and by an import.
VALIDATION_STATES = ("VALID", "INVALID", "NONE")
MAX_FAILURES = 100


def _failure_codes(field_name: str, value: Any) -> list[str]:
    """The validation failure codes, in the order the C2PA SDK reported them, each once."""
    if not isinstance(value, list):
        raise f.refuse(field_name, value, "expected a list")
    if len(value) > MAX_FAILURES:
        raise f.refuse(field_name, value, f"a list of at most {MAX_FAILURES} values, not {len(value):,}")
    codes = [f.tag(f"{field_name}[{index}]", code) for index, code in enumerate(value)]
    return list(dict.fromkeys(codes))


INGREDIENT_FIELDS = {
    "title": FieldSpec(f.name, ""),
    "format": FieldSpec(f.tag, ""),
    "relationship": FieldSpec(f.tag, ""),
    "documentId": FieldSpec(f.url, ""),
    "instanceId": FieldSpec(f.url, ""),
    "activeManifest": FieldSpec(f.url, ""),
    "declaresAiGeneration": FieldSpec(f.boolean, ""),
    "dataSha256": FieldSpec(f.sha256, ""),
    "thumbnailPhash": FieldSpec(f.phash, ""),
}


def _ingredients(field_name: str, value: Any) -> list[dict[str, Any]]:
    """The manifest's ingredients, in the manifest's order."""
    if not isinstance(value, list):
        raise f.refuse(field_name, value, "expected a list")
    if len(value) > f.MAX_LIST:
        raise f.refuse(field_name, value, f"a list of at most {f.MAX_LIST} values, not {len(value):,}")
    return [
        _parse_fields(f"{field_name}[{index}].", INGREDIENT_FIELDS, item) for index, item in enumerate(value)
    ]


CREDENTIALS_FIELDS = {
    "validationState": FieldSpec(f.one_of(*VALIDATION_STATES), "", required=True),
    # whether the signer chains to a configured trust anchor; absent from credentials recorded before
    # trust anchors could be configured (read as untrusted)
    "trusted": FieldSpec(f.boolean, ""),
    "failures": FieldSpec(_failure_codes, ""),
    "manifestLabel": FieldSpec(f.url, ""),
    "claimGenerator": FieldSpec(f.name, ""),
    "signer": FieldSpec(f.name, ""),
    "signerOrganization": FieldSpec(f.name, ""),
    "signedAt": FieldSpec(f.instant, ""),
    "digitalSourceTypes": FieldSpec(f.many(f.url), ""),
    "declaresAiGeneration": FieldSpec(f.boolean, "", default=False),
    "ingredients": FieldSpec(_ingredients, ""),
    "remoteManifestUrl": FieldSpec(f.url, ""),
}
_MANIFEST_FACTS = ("manifestLabel", "claimGenerator", "signer", "signerOrganization", "signedAt")
_MANIFEST_LISTS = ("failures", "digitalSourceTypes", "ingredients")


def _content_credentials(field_name: str, value: Any) -> dict[str, Any]:
    """A file's Content Credentials as recorded: VALID or INVALID with the manifest's facts (`trusted`
    only with VALID), or NONE (the file carries no manifest, or only the address of one) with none of them."""
    parsed = _parse_fields(field_name + ".", CREDENTIALS_FIELDS, value)
    for name in _MANIFEST_LISTS:
        parsed.setdefault(name, [])
    if parsed["validationState"] == "NONE":
        present = [name for name in _MANIFEST_FACTS + _MANIFEST_LISTS if parsed.get(name)]
        if present or parsed["declaresAiGeneration"]:
            shown = present[0] if present else "declaresAiGeneration"
            raise f.refuse(
                f"{field_name}.{shown}", parsed.get(shown), "a file without a manifest has no manifest facts"
            )
        if "trusted" in parsed:
            raise f.refuse(
                f"{field_name}.trusted", parsed["trusted"], "a file without a manifest has no signer"
            )
    elif "manifestLabel" not in parsed:
        raise InvalidInput(f"{field_name}.manifestLabel", None, "a VALID or INVALID manifest has a label")
    elif parsed["validationState"] == "INVALID" and parsed.get("trusted"):
        raise f.refuse(f"{field_name}.trusted", True, "an INVALID manifest is never trusted")
    return parsed


# A published file Likeness signed (likeness.media.signing; docs/credentials.md): the asset's sha256 and phash
# are the signed file's, and this says what it was signed from and under. Written by the server when a
# brand publishes with `sign: true`, and by an import as exported; never sent by an API client.
SIGNED_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime")
SIGNED_FILE_FIELDS = {
    # the sha256 of the file the brand sent, before its manifest was embedded
    "sourceSha256": FieldSpec(f.sha256, "", required=True),
    # the sha256 of the manifest store embedded in the signed file
    "manifestSha256": FieldSpec(f.sha256, "", required=True),
    "mimeType": FieldSpec(f.one_of(*SIGNED_MIME_TYPES), "", required=True),
    "size": FieldSpec(f.whole(1, 2**40), "", required=True),  # of the signed file, in bytes
    # the consents the publication runs under, as the manifest names them
    "consentIds": FieldSpec(f.many(f.identifier), "", required=True),
    # the sequence number of the log entry that records the publication, as the manifest names it
    "logSeq": FieldSpec(f.whole(1, 2**62), "", required=True),
}


def _signed_file(field_name: str, value: Any) -> dict[str, Any]:
    return _parse_fields(field_name + ".", SIGNED_FILE_FIELDS, value)


# The faces an uploaded file shows of enrolled persons (DESIGN, "Likeness matching"), found by the upload path
# (resolvers.uploads: the file's faces against the vector index of templates) and recorded with the event the
# file came with as (Sighting|Asset)-[:SHOWS_FACE_OF]->(Person): never sent by an API client, written by the
# server and by an import as exported. One match per person (the nearest face of hers); never a vector.
MAX_FACE_MATCHES = 20
# the largest pixel coordinate a face box may have (a picture wider or taller is refused long before)
MAX_PIXEL = 1_000_000
# a video's frames are sampled within its first day, at most
MAX_FRAME_TIME = 86_400.0
# Euclidean distances between 128-float templates of unit-ish length lie from 0 to 2
MAX_FACE_DISTANCE = 2.0


def _face_box(field_name: str, value: Any) -> list[int]:
    """A face's box in pixels of the upright picture: [left, top, right, bottom], left < right, top < bottom
    (four whole numbers)."""
    if not isinstance(value, list) or len(value) != 4:
        raise f.refuse(field_name, value, "expected [left, top, right, bottom]: four whole numbers")
    box = [f.whole(0, MAX_PIXEL)(f"{field_name}[{index}]", side) for index, side in enumerate(value)]
    left, top, right, bottom = box
    if not (left < right and top < bottom):
        raise f.refuse(field_name, value, "expected left < right and top < bottom")
    return box


FACE_MATCH_FIELDS = {
    "personId": FieldSpec(f.identifier, "", required=True, refers_to=("Person",)),
    # the enrolled capture whose template is nearest: a capture of that person (checked in graph.apply)
    "captureId": FieldSpec(f.identifier, "", required=True, refers_to=("Capture",)),
    "distance": FieldSpec(f.real(0.0, MAX_FACE_DISTANCE), "", required=True),
    "box": FieldSpec(_face_box, "", required=True),
    "frameTime": FieldSpec(f.real(0.0, MAX_FRAME_TIME), "", required=True),
    "model": FieldSpec(f.tag, "", required=True),
    "threshold": FieldSpec(f.real(0.0, MAX_FACE_DISTANCE), "", required=True),
}


def _face_matches(field_name: str, value: Any) -> list[dict[str, Any]]:
    """The persons a file shows, each once with the nearest face of hers, sorted by person."""
    if not isinstance(value, list):
        raise f.refuse(field_name, value, "expected a list")
    if len(value) > MAX_FACE_MATCHES:
        raise f.refuse(field_name, value, f"a list of at most {MAX_FACE_MATCHES} matches, not {len(value):,}")
    matches: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(value):
        match = _parse_fields(f"{field_name}[{index}].", FACE_MATCH_FIELDS, item)
        if match["distance"] > match["threshold"]:
            raise f.refuse(
                f"{field_name}[{index}].distance",
                match["distance"],
                f"a match lies within its threshold ({match['threshold']:g})",
            )
        if match["personId"] in matches:
            raise f.refuse(
                f"{field_name}[{index}].personId",
                match["personId"],
                "at most one match per person: the nearest face of hers",
            )
        matches[match["personId"]] = match
    return [matches[person_id] for person_id in sorted(matches)]


_ID = "ID"
_IDS = "[ID!]"

SPECS: dict[str, EventSpec] = {
    spec.op: spec
    for spec in [
        EventSpec(
            "registerPerson",
            "PersonInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "name": FieldSpec(f.name, "String", required=True),
                "birthDate": FieldSpec(f.birth_date, "Date"),
                "jurisdiction": FieldSpec(f.jurisdiction, "String"),
            },
            key="id",
            owner=Owner(),
            labels=("Person",),
        ),
        EventSpec(
            "registerOrganization",
            "OrganizationInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "name": FieldSpec(f.name, "String", required=True),
                "kind": FieldSpec(f.one_of(*ORGANIZATION_KINDS), "OrganizationKind", required=True),
                "jurisdiction": FieldSpec(
                    f.jurisdiction,
                    "String",
                    description="Where it is established: an ISO 3166-1 or 3166-2 code (SE, US, US-NY). A "
                    "platform's decides which notice rules apply (docs/rules.md, Notices).",
                ),
            },
            key="id",
            owner=Owner(),
            labels=("Organization",),
        ),
        EventSpec(
            "recordRepresentation",
            "RepresentationInput",
            {
                "agencyId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Agency",)),
                "personId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Person",)),
                "since": FieldSpec(f.day, "Date", required=True),
                "until": FieldSpec(f.day, "Date"),
            },
            key="agencyId",
            owner=Owner(("PERSON",), as_itself="personId"),
            answers="Representation",
        ),
        EventSpec(
            "recordCapture",
            "CaptureInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "personIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), _IDS, required=True, refers_to=("Person",)
                ),
                "kind": FieldSpec(f.one_of(*CAPTURE_KINDS), "CaptureKind", required=True),
                "sha256": FieldSpec(f.sha256, "String", required=True),
                "capturedAt": FieldSpec(f.instant, "DateTime", required=True),
                "capturedById": FieldSpec(f.identifier, _ID, refers_to=("Studio", "Vendor")),
                # a capture may carry a phash, like an asset: a sighting near it shows the person
                "phash": FieldSpec(f.phash, "String"),
            },
            key="id",
            owner=Owner(("VENDOR",), as_itself="capturedById"),
            labels=("Capture",),
            touches=(("capture", "id"),),
        ),
        EventSpec(
            "buildTwin",
            "TwinInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "personId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Person",)),
                "vendorId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Vendor",)),
                "captureIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), _IDS, required=True, refers_to=("Capture",)
                ),
                "builtAt": FieldSpec(f.instant, "DateTime", required=True),
                # the schema has shown no default here since the first version; the contract fills in 1
                "version": FieldSpec(f.whole(1, 1_000_000), "Int", default=1, shows_default=False),
                "supersedesId": FieldSpec(f.identifier, _ID, refers_to=("Twin",)),
                "commissionedById": FieldSpec(f.identifier, _ID, refers_to=("Brand",)),
            },
            key="id",
            owner=Owner(("VENDOR",), as_itself="vendorId"),
            labels=("Twin",),
            touches=(("twin", "id"),),
        ),
        EventSpec(
            "grantConsent",
            "ConsentInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "purpose": FieldSpec(f.one_of(*PURPOSES), "ConsentPurpose", required=True),
                "personId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Person",)),
                "granteeId": FieldSpec(
                    f.identifier,
                    _ID,
                    refers_to=ORG,
                    description="The organization granted the consent: required, but for a MATCHING consent, "
                    "which names none.",
                ),
                "twinIds": FieldSpec(f.many(f.identifier), _IDS, refers_to=("Twin",)),
                "signedById": FieldSpec(
                    f.identifier, _ID, required=True, refers_to=("Person", "Organization")
                ),
                "guardianId": FieldSpec(f.identifier, _ID, refers_to=("Person",)),
                "negotiatedById": FieldSpec(f.identifier, _ID, refers_to=("Agency",)),
                "signedAt": FieldSpec(f.instant, "DateTime", required=True),
                "validFrom": FieldSpec(f.instant, "DateTime", required=True),
                "validUntil": FieldSpec(f.instant, "DateTime"),
                "mediaTypes": FieldSpec(f.many(f.one_of(*MEDIA_TYPES)), "[MediaType!]"),
                "channels": FieldSpec(f.many(f.one_of(*CHANNELS)), "[Channel!]"),
                "territories": FieldSpec(f.many(f.territory), "[String!]"),
                "prohibitedContent": FieldSpec(f.many(f.tag), "[String!]"),
                "description": FieldSpec(f.text, "String"),
                "compensation": FieldSpec(_compensation, "CompensationInput"),
                "sublicensable": FieldSpec(f.boolean, "Boolean", default=False),
                "takedownDays": FieldSpec(f.whole(0, 3650), "Int", default=30),
                # a USE consent's term on AI training and mining of what is published under it (absent:
                # none allowed); signed files say it (cawg.training-mining)
                "aiTraining": FieldSpec(
                    f.one_of(*AI_TRAINING),
                    "AiTraining",
                    description="Whether files published under it may train or feed AI models, or be mined "
                    "(absent: not allowed); a signed file's cawg.training-mining assertion says it.",
                ),
                "documentSha256": FieldSpec(f.sha256, "String"),
                "representation": FieldSpec(
                    f.one_of(*REPRESENTATIONS),
                    "ConsentRepresentation",
                    description="How she was represented when she signed: by a lawyer (COUNSEL), under a "
                    "union agreement (UNION) or not at all (NONE). Absent: not known.",
                ),
                "replacesInPersonWork": FieldSpec(
                    f.boolean,
                    "Boolean",
                    description="Whether the replica replaces work she would otherwise do in person. Absent: "
                    "not known.",
                ),
            },
            key="id",
            owner=Owner(("PERSON",), as_itself="personId"),
            labels=("Consent",),
            touches=(("person", "personId"),),
        ),
        EventSpec(
            "revokeConsent",
            "RevocationInput",
            {
                "consentId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Consent",)),
                "revokedAt": FieldSpec(f.instant, "DateTime", required=True),
                "reason": FieldSpec(f.text, "String"),
            },
            key="consentId",
            owner=Owner(("PERSON",), owns=("consentId", "personId")),
            kept_in="revocation",
            touches=(("consent", "consentId"),),
        ),
        EventSpec(
            "createCampaign",
            "CampaignInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "brandId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Brand",)),
                "name": FieldSpec(f.name, "String", required=True),
                "startsAt": FieldSpec(f.instant, "DateTime"),
                "endsAt": FieldSpec(f.instant, "DateTime"),
            },
            key="id",
            owner=Owner(("BRAND",), as_itself="brandId"),
            labels=("Campaign",),
        ),
        EventSpec(
            "publishAsset",
            "AssetInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "publisherId": FieldSpec(f.identifier, _ID, required=True, refers_to=ORG),
                "campaignId": FieldSpec(f.identifier, _ID, refers_to=("Campaign",)),
                "twinIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), _IDS, required=True, refers_to=("Twin",)
                ),
                "sha256": FieldSpec(
                    f.sha256,
                    "String",
                    required=True,
                    or_from_file=True,
                    description="Required, unless the file is sent: then read from it (or checked).",
                ),
                "phash": FieldSpec(f.phash, "String"),
                "mediaType": FieldSpec(f.one_of(*MEDIA_TYPES), "MediaType", required=True),
                "channel": FieldSpec(f.one_of(*CHANNELS), "Channel", required=True),
                "territories": FieldSpec(f.many(f.country, non_empty=True), "[String!]", required=True),
                "publishedAt": FieldSpec(f.instant, "DateTime", required=True),
                "aiLabel": FieldSpec(f.boolean, "Boolean", required=True),
                "machineReadableMark": FieldSpec(f.boolean, "Boolean", required=True),
                "contentTags": FieldSpec(f.many(f.tag), "[String!]"),
                "sublicensedFromId": FieldSpec(f.identifier, _ID, refers_to=ORG),
                # read from the file published with the asset (never sent by a client)
                "contentCredentials": FieldSpec(_content_credentials, ""),
                "faceMatches": FieldSpec(_face_matches, "", items=FACE_MATCH_FIELDS),
                # the file as Likeness signed it, when published with `sign: true`
                "signedFile": FieldSpec(_signed_file, ""),
            },
            key="id",
            # a brand publishes in its own campaigns
            owner=Owner(("BRAND", "VENDOR"), as_itself="publisherId", owns=("campaignId", "brandId")),
            labels=("Asset",),
            touches=(("asset", "id"), ("shown asset", "id")),
            file=FileSpec(
                "The published file: its sha256, phash and Content Credentials are read from it.",
                signs=True,
            ),
        ),
        EventSpec(
            "withdrawAsset",
            "WithdrawalInput",
            {
                "assetId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Asset",)),
                "withdrawnAt": FieldSpec(f.instant, "DateTime", required=True),
            },
            key="assetId",
            owner=Owner(("BRAND", "VENDOR"), owns=("assetId", "publisherId")),
            kept_in="withdrawal",
            touches=(("asset", "assetId"),),
        ),
        EventSpec(
            "reportSighting",
            "SightingInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "url": FieldSpec(f.url, "String", required=True),
                "observedAt": FieldSpec(f.instant, "DateTime", required=True),
                "sha256": FieldSpec(f.sha256, "String"),
                "phash": FieldSpec(f.phash, "String"),
                "platformId": FieldSpec(f.identifier, _ID, refers_to=("Platform",)),
                # read from the file the sighting was reported with (never sent by a client)
                "contentCredentials": FieldSpec(_content_credentials, ""),
                "faceMatches": FieldSpec(_face_matches, "", items=FACE_MATCH_FIELDS),
            },
            key="id",
            owner=Owner(("INVESTIGATOR",)),
            labels=("Sighting",),
            touches=(("sighting", "id"),),
            file=FileSpec("The file found: its sha256, phash and Content Credentials are read from it."),
        ),
        EventSpec(
            "recordPayment",
            "PaymentInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "consentId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Consent",)),
                "amount": FieldSpec(f.money, "Decimal", required=True),
                "currency": FieldSpec(f.currency, "String", required=True),
                "paidAt": FieldSpec(f.instant, "DateTime", required=True),
            },
            key="id",
            owner=Owner(("BRAND", "VENDOR"), owns=("consentId", "granteeId")),
            labels=("Payment",),
        ),
        EventSpec(
            "sendTakedownNotice",
            "TakedownNoticeInput",
            {
                "id": FieldSpec(f.identifier, _ID, required=True),
                "sightingId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Sighting",)),
                "platformId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Platform",)),
                "sentById": FieldSpec(f.identifier, _ID, required=True, refers_to=("Person", "Organization")),
                "sentAt": FieldSpec(f.instant, "DateTime", required=True),
                "responseHours": FieldSpec(
                    f.whole(*RESPONSE_HOURS),
                    "Int",
                    description="Hours the platform has to act, 1 to 8760 (a year). Absent: the law's clock "
                    "for such a notice to that platform on the day it is sent (48 h for intimate imagery "
                    "under the US TAKE IT DOWN Act, 3 h for an ordered takedown under India's IT Rules), "
                    "else 72.",
                ),
                "basis": FieldSpec(
                    f.text,
                    "String",
                    description="Why the content is unlawful: the reasons EU DSA art. 16(2)(a) asks of a "
                    "notice (required for a platform in the EU).",
                ),
                "category": FieldSpec(
                    f.one_of(*NOTICE_CATEGORIES),
                    "NoticeCategory",
                    description="INTIMATE for intimate imagery, else OTHER. Absent: not said.",
                ),
                "ordered": FieldSpec(
                    f.boolean, "Boolean", description="Whether an authority ordered the takedown."
                ),
                "exactLocation": FieldSpec(
                    f.url,
                    "String",
                    description="The exact URL of the content (EU DSA art. 16(2)(b); required for a "
                    "platform in the EU).",
                ),
                "notifierName": FieldSpec(
                    f.name,
                    "String",
                    description="The notifier's name (EU DSA art. 16(2)(c); required for a platform in the "
                    "EU).",
                ),
                "notifierEmail": FieldSpec(
                    f.email,
                    "String",
                    description="The notifier's email address (EU DSA art. 16(2)(c); required for a platform "
                    "in the EU).",
                ),
                "goodFaith": FieldSpec(
                    f.boolean,
                    "Boolean",
                    description="The notifier's statement that she believes in good faith that the notice is "
                    "accurate and complete (EU DSA art. 16(2)(d); required, and true, for a platform in "
                    "the EU).",
                ),
            },
            key="id",
            # a person sends notices as herself; an investigator sends them for whoever it names
            owner=Owner(("INVESTIGATOR", "PERSON"), as_itself="sentById"),
            labels=("TakedownNotice",),
            touches=(("notice", "id"),),
        ),
        EventSpec(
            "recordNoticeResponse",
            "NoticeResponseInput",
            {
                "noticeId": FieldSpec(f.identifier, _ID, required=True, refers_to=("TakedownNotice",)),
                "respondedAt": FieldSpec(f.instant, "DateTime", required=True),
                "outcome": FieldSpec(f.one_of(*NOTICE_OUTCOMES), "NoticeOutcome", required=True),
                "note": FieldSpec(f.text, "String"),
            },
            key="noticeId",
            # an investigator records any platform's answer; a platform records its own, to the notices
            # addressed to it (the notice's platformId)
            owner=Owner(("INVESTIGATOR", "PLATFORM"), owns=("noticeId", "platformId")),
            touches=(("notice", "noticeId"),),
            description="Record a platform's answer to a notice; answers the notice.",
        ),
        EventSpec(
            "enrollLikeness",
            "EnrollmentInput",
            {
                "personId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Person",)),
                "captureId": FieldSpec(f.identifier, _ID, required=True, refers_to=("Capture",)),
                # read from the capture's file and the server's clock (never sent by a client); the face
                # template itself is never part of an event: it travels beside it (Event.template)
                "sha256": FieldSpec(f.sha256, "", required=True),
                "box": FieldSpec(f.face_box, "", required=True),
                "model": FieldSpec(f.tag, "", required=True),
                "enrolledAt": FieldSpec(f.instant, "", required=True),
            },
            key="personId",
            # she enrols her own face; an agency or a brand cannot
            owner=Owner(("PERSON",), as_itself="personId"),
            labels=("FaceTemplate",),
            stamped=("enrolledAt",),
            file=FileSpec(
                "The capture's own file (its sha256 is the capture's), showing exactly one face: her face "
                "template is computed from it and kept only while a MATCHING consent of hers is in force.",
                required=True,
            ),
            answers="FaceEnrollment",
            description="Enrol a person's face for likeness matching, from one of her captures, under her "
            "MATCHING consent; answers the enrolment (never the template).",
        ),
    ]
}

# The order in which a batch's events are written: every reference points to an earlier kind.
OP_ORDER = (
    "registerPerson",
    "registerOrganization",
    "recordRepresentation",
    "recordCapture",
    "buildTwin",
    "grantConsent",
    "createCampaign",
    "publishAsset",
    "withdrawAsset",
    "revokeConsent",
    "reportSighting",
    "recordPayment",
    "sendTakedownNotice",
    "recordNoticeResponse",
    # after revocations: an import re-creates only the templates a later consent keeps
    "enrollLikeness",
)

# Events keyed on a relationship rather than a node: the key names it by its ends and an instant
RELATIONSHIP_OPS = ("recordRepresentation", "recordNoticeResponse")
# Events keyed apart from the Entity ids: relationships, and face templates (person and capture)
KEYED_APART = (*RELATIONSHIP_OPS, "enrollLikeness")


@dataclass(frozen=True)
class Event:
    op: str
    input: dict[str, Any]
    # ids this event refers to: (field, id, labels any of which it must carry)
    references: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default=())
    # enrollLikeness: the face template computed from the file (likeness.media.faces), never in `input`,
    # so that no log entry, export or answer carries it
    template: tuple[float, ...] | None = field(default=None, repr=False, compare=False)
    # node properties the server derives in the writing transaction, stored beside the input and never part
    # of it (so neither compared nor exported): a notice's clock by law (graph.apply)
    derived: dict[str, Any] = field(default_factory=dict, compare=False)
    # publishAsset with `sign: true`: the signed file's bytes, kept beside the asset (graph.signed_files),
    # never in `input`
    signed_bytes: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """What identifies the event's effect: a node id, or (for changes) the changed node's id."""
        spec = SPECS[self.op]
        if self.op == "enrollLikeness":
            return f"{self.input['personId']}|{self.input['captureId']}"
        if self.op == "recordRepresentation":
            return f"{self.input['agencyId']}|{self.input['personId']}|{self.input['since']}"
        if self.op == "recordNoticeResponse":
            return f"{self.input['noticeId']}|{self.input['respondedAt']}"
        return str(self.input[spec.key])

    @property
    def labels(self) -> tuple[str, ...]:
        if self.op == "registerOrganization":
            return ("Organization", LABEL_OF_KIND[self.input["kind"]])
        return SPECS[self.op].labels


def _parse_fields(prefix: str, specs: dict[str, FieldSpec], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise f.refuse(prefix.rstrip(".") or "input", raw, "expected an object")
    unknown = sorted(set(raw) - set(specs))
    if unknown:
        raise f.refuse(
            prefix + unknown[0][:80], raw[unknown[0]], f"unknown field; accepted: {', '.join(specs)}"
        )
    parsed: dict[str, Any] = {}
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None:
            if spec.required:
                raise InvalidInput(prefix + name, None, "is required")
            if spec.default is not None:
                parsed[name] = spec.default
            continue
        parsed[name] = spec.parse(prefix + name, value)
    return parsed


def _check_consistency(op: str, data: dict[str, Any]) -> None:
    """Rules between fields of one input (those needing the graph live in graph.apply)."""

    def after(later: str, earlier: str) -> None:
        if (
            later in data
            and earlier in data
            and f.parse_instant(data[later]) <= f.parse_instant(data[earlier])
        ):
            raise InvalidInput(later, data[later], f"must be after {earlier} ({data[earlier]})")

    if op == "grantConsent":
        after("validUntil", "validFrom")
        if data["purpose"] == "MATCHING":
            if data["signedById"] not in (data["personId"], data.get("guardianId")):
                raise f.refuse(
                    "signedById",
                    data["signedById"],
                    "a MATCHING consent is signed by the person herself, or by her guardian (guardianId)",
                )
            if "granteeId" in data:
                raise f.refuse("granteeId", data["granteeId"], "a MATCHING consent names no grantee")
            if data.get("twinIds"):
                raise f.refuse("twinIds", data["twinIds"], "a MATCHING consent names no twins")
        elif "granteeId" not in data:
            raise InvalidInput("granteeId", None, f"is required for a {data['purpose']} consent")
        if data["purpose"] == "USE" and not data.get("twinIds"):
            raise f.refuse("twinIds", data.get("twinIds"), "a USE consent must name the twins it covers")
        if data["purpose"] == "BUILD" and data.get("twinIds"):
            raise f.refuse("twinIds", data["twinIds"], "a BUILD consent permits building, it names no twins")
        if "*" in data.get("territories", []) and len(data["territories"]) > 1:
            raise f.refuse("territories", data["territories"], "'*' (worldwide) stands alone")
    elif op == "createCampaign":
        after("endsAt", "startsAt")
    elif op == "recordRepresentation":
        if "until" in data and data["until"] < data["since"]:
            raise InvalidInput("until", data["until"], f"must not be before since ({data['since']})")
    elif op == "reportSighting" and "sha256" not in data and "phash" not in data:
        raise InvalidInput("sha256", None, "a sighting needs a sha256 or a phash to match assets by")


def parse_event(op: Any, raw: Any) -> Event:
    """Check one event's shape and return it in canonical form (sorted sets, UTC instants, defaults)."""
    if not isinstance(op, str) or op not in SPECS:
        raise f.refuse("op", op, f"expected one of {', '.join(SPECS)}")
    spec = SPECS[op]
    data = _parse_fields("", spec.fields, raw)
    _check_consistency(op, data)
    return Event(op=op, input=data, references=tuple(_references("", spec.fields, data)))


def _references(
    prefix: str, specs: dict[str, FieldSpec], data: dict[str, Any]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """The ids an input refers to, each with the path of its field and the labels it must carry; those in
    a list of objects (`FieldSpec.items`) named by index (`faceMatches[1].personId`)."""
    for name, field_spec in specs.items():
        if name not in data:
            continue
        if field_spec.items is not None:
            for index, item in enumerate(data[name]):
                yield from _references(f"{prefix}{name}[{index}].", field_spec.items, item)
        elif field_spec.refers_to:
            values = data[name] if isinstance(data[name], list) else [data[name]]
            yield from ((prefix + name, value, field_spec.refers_to) for value in values)


def differing_fields(old: dict[str, Any], new: dict[str, Any], *, stamped: tuple[str, ...] = ()) -> list[str]:
    """The fields whose canonical values differ between two inputs of the same event kind (but those the
    server stamps: `EventSpec.stamped`)."""
    return sorted(
        name for name in set(old) | set(new) if name not in stamped and old.get(name) != new.get(name)
    )
