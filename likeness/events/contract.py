"""The write events of the contract: one per mutation, validated the same way for the API and import.

An event is the mutation name plus its input. `parse_event` checks the input's shape (no database);
`likeness.graph.apply` then checks references and idempotency inside the write transaction. Every
field has a bounded domain (amounts, instants, dates, currencies, list and text lengths), written
out in `likeness.events.fields`; a value outside it is a BAD_INPUT naming the field, here, for the
API and the bulk import alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from likeness.errors import InvalidInput
from likeness.events import fields as f
from likeness.events.vocabulary import (
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    MediaType,
    NoticeOutcome,
    OrganizationKind,
    words,
)

ORGANIZATION_KINDS = words(OrganizationKind)
CAPTURE_KINDS = words(CaptureKind)
PURPOSES = words(ConsentPurpose)
MEDIA_TYPES = words(MediaType)
CHANNELS = words(Channel)
COMPENSATION_BASES = words(CompensationBasis)
NOTICE_OUTCOMES = words(NoticeOutcome)
# how long a platform may take to act on a takedown notice: an hour to a year
RESPONSE_HOURS = (1, 8760)
LABEL_OF_KIND = {kind: kind.capitalize() for kind in ORGANIZATION_KINDS}


@dataclass(frozen=True)
class FieldSpec:
    parse: f.Parser
    required: bool = False
    default: Any = None
    # the node labels an id in this field must carry (any of them)
    refers_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventSpec:
    op: str
    fields: dict[str, FieldSpec]
    # the input field naming the node this event creates or changes
    key: str
    # a node event creates a node with these labels; other events change an existing node
    labels: tuple[str, ...] = ()


def _compensation(field_name: str, value: Any) -> dict[str, Any]:
    return _parse_fields(field_name + ".", COMPENSATION_FIELDS, value)


COMPENSATION_FIELDS = {
    "amount": FieldSpec(f.money, required=True),
    "currency": FieldSpec(f.currency, required=True),
    "basis": FieldSpec(f.one_of(*COMPENSATION_BASES), required=True),
}

ORG = ("Organization",)

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
    "title": FieldSpec(f.name),
    "format": FieldSpec(f.tag),
    "relationship": FieldSpec(f.tag),
    "documentId": FieldSpec(f.url),
    "instanceId": FieldSpec(f.url),
    "activeManifest": FieldSpec(f.url),
    "declaresAiGeneration": FieldSpec(f.boolean),
    "dataSha256": FieldSpec(f.sha256),
    "thumbnailPhash": FieldSpec(f.phash),
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
    "validationState": FieldSpec(f.one_of(*VALIDATION_STATES), required=True),
    "failures": FieldSpec(_failure_codes),
    "manifestLabel": FieldSpec(f.url),
    "claimGenerator": FieldSpec(f.name),
    "signer": FieldSpec(f.name),
    "signerOrganization": FieldSpec(f.name),
    "signedAt": FieldSpec(f.instant),
    "digitalSourceTypes": FieldSpec(f.many(f.url)),
    "declaresAiGeneration": FieldSpec(f.boolean, default=False),
    "ingredients": FieldSpec(_ingredients),
    "remoteManifestUrl": FieldSpec(f.url),
}
_MANIFEST_FACTS = ("manifestLabel", "claimGenerator", "signer", "signerOrganization", "signedAt")
_MANIFEST_LISTS = ("failures", "digitalSourceTypes", "ingredients")


def _content_credentials(field_name: str, value: Any) -> dict[str, Any]:
    """A file's Content Credentials as recorded: VALID or INVALID with the manifest's facts, or NONE (the
    file carries no manifest, or only the address of one) with none of them."""
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
    elif "manifestLabel" not in parsed:
        raise InvalidInput(f"{field_name}.manifestLabel", None, "a VALID or INVALID manifest has a label")
    return parsed


SPECS: dict[str, EventSpec] = {
    spec.op: spec
    for spec in [
        EventSpec(
            "registerPerson",
            {
                "id": FieldSpec(f.identifier, required=True),
                "name": FieldSpec(f.name, required=True),
                "birthDate": FieldSpec(f.birth_date),
                "jurisdiction": FieldSpec(f.jurisdiction),
            },
            key="id",
            labels=("Person",),
        ),
        EventSpec(
            "registerOrganization",
            {
                "id": FieldSpec(f.identifier, required=True),
                "name": FieldSpec(f.name, required=True),
                "kind": FieldSpec(f.one_of(*ORGANIZATION_KINDS), required=True),
            },
            key="id",
            labels=("Organization",),
        ),
        EventSpec(
            "recordRepresentation",
            {
                "agencyId": FieldSpec(f.identifier, required=True, refers_to=("Agency",)),
                "personId": FieldSpec(f.identifier, required=True, refers_to=("Person",)),
                "since": FieldSpec(f.day, required=True),
                "until": FieldSpec(f.day),
            },
            key="agencyId",
        ),
        EventSpec(
            "recordCapture",
            {
                "id": FieldSpec(f.identifier, required=True),
                "personIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), required=True, refers_to=("Person",)
                ),
                "kind": FieldSpec(f.one_of(*CAPTURE_KINDS), required=True),
                "sha256": FieldSpec(f.sha256, required=True),
                # a capture may carry a phash, like an asset: a sighting near it shows the person
                "phash": FieldSpec(f.phash),
                "capturedAt": FieldSpec(f.instant, required=True),
                "capturedById": FieldSpec(f.identifier, refers_to=("Studio", "Vendor")),
            },
            key="id",
            labels=("Capture",),
        ),
        EventSpec(
            "buildTwin",
            {
                "id": FieldSpec(f.identifier, required=True),
                "personId": FieldSpec(f.identifier, required=True, refers_to=("Person",)),
                "vendorId": FieldSpec(f.identifier, required=True, refers_to=("Vendor",)),
                "captureIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), required=True, refers_to=("Capture",)
                ),
                "builtAt": FieldSpec(f.instant, required=True),
                "version": FieldSpec(f.whole(1, 1_000_000), default=1),
                "supersedesId": FieldSpec(f.identifier, refers_to=("Twin",)),
                "commissionedById": FieldSpec(f.identifier, refers_to=("Brand",)),
            },
            key="id",
            labels=("Twin",),
        ),
        EventSpec(
            "grantConsent",
            {
                "id": FieldSpec(f.identifier, required=True),
                "purpose": FieldSpec(f.one_of(*PURPOSES), required=True),
                "personId": FieldSpec(f.identifier, required=True, refers_to=("Person",)),
                "granteeId": FieldSpec(f.identifier, required=True, refers_to=ORG),
                "twinIds": FieldSpec(f.many(f.identifier), refers_to=("Twin",)),
                "signedById": FieldSpec(f.identifier, required=True, refers_to=("Person", "Organization")),
                "guardianId": FieldSpec(f.identifier, refers_to=("Person",)),
                "negotiatedById": FieldSpec(f.identifier, refers_to=("Agency",)),
                "signedAt": FieldSpec(f.instant, required=True),
                "validFrom": FieldSpec(f.instant, required=True),
                "validUntil": FieldSpec(f.instant),
                "mediaTypes": FieldSpec(f.many(f.one_of(*MEDIA_TYPES))),
                "channels": FieldSpec(f.many(f.one_of(*CHANNELS))),
                "territories": FieldSpec(f.many(f.territory)),
                "prohibitedContent": FieldSpec(f.many(f.tag)),
                "description": FieldSpec(f.text),
                "compensation": FieldSpec(_compensation),
                "sublicensable": FieldSpec(f.boolean, default=False),
                "takedownDays": FieldSpec(f.whole(0, 3650), default=30),
                "documentSha256": FieldSpec(f.sha256),
            },
            key="id",
            labels=("Consent",),
        ),
        EventSpec(
            "revokeConsent",
            {
                "consentId": FieldSpec(f.identifier, required=True, refers_to=("Consent",)),
                "revokedAt": FieldSpec(f.instant, required=True),
                "reason": FieldSpec(f.text),
            },
            key="consentId",
        ),
        EventSpec(
            "createCampaign",
            {
                "id": FieldSpec(f.identifier, required=True),
                "brandId": FieldSpec(f.identifier, required=True, refers_to=("Brand",)),
                "name": FieldSpec(f.name, required=True),
                "startsAt": FieldSpec(f.instant),
                "endsAt": FieldSpec(f.instant),
            },
            key="id",
            labels=("Campaign",),
        ),
        EventSpec(
            "publishAsset",
            {
                "id": FieldSpec(f.identifier, required=True),
                "publisherId": FieldSpec(f.identifier, required=True, refers_to=ORG),
                "campaignId": FieldSpec(f.identifier, refers_to=("Campaign",)),
                "twinIds": FieldSpec(
                    f.many(f.identifier, non_empty=True), required=True, refers_to=("Twin",)
                ),
                "sha256": FieldSpec(f.sha256, required=True),
                "phash": FieldSpec(f.phash),
                "mediaType": FieldSpec(f.one_of(*MEDIA_TYPES), required=True),
                "channel": FieldSpec(f.one_of(*CHANNELS), required=True),
                "territories": FieldSpec(f.many(f.country, non_empty=True), required=True),
                "publishedAt": FieldSpec(f.instant, required=True),
                "aiLabel": FieldSpec(f.boolean, required=True),
                "machineReadableMark": FieldSpec(f.boolean, required=True),
                "contentTags": FieldSpec(f.many(f.tag)),
                "sublicensedFromId": FieldSpec(f.identifier, refers_to=ORG),
                # read from the file published with the asset (never sent by a client)
                "contentCredentials": FieldSpec(_content_credentials),
            },
            key="id",
            labels=("Asset",),
        ),
        EventSpec(
            "withdrawAsset",
            {
                "assetId": FieldSpec(f.identifier, required=True, refers_to=("Asset",)),
                "withdrawnAt": FieldSpec(f.instant, required=True),
            },
            key="assetId",
        ),
        EventSpec(
            "reportSighting",
            {
                "id": FieldSpec(f.identifier, required=True),
                "url": FieldSpec(f.url, required=True),
                "observedAt": FieldSpec(f.instant, required=True),
                "sha256": FieldSpec(f.sha256),
                "phash": FieldSpec(f.phash),
                "platformId": FieldSpec(f.identifier, refers_to=("Platform",)),
                # read from the file the sighting was reported with (never sent by a client)
                "contentCredentials": FieldSpec(_content_credentials),
            },
            key="id",
            labels=("Sighting",),
        ),
        EventSpec(
            "recordPayment",
            {
                "id": FieldSpec(f.identifier, required=True),
                "consentId": FieldSpec(f.identifier, required=True, refers_to=("Consent",)),
                "amount": FieldSpec(f.money, required=True),
                "currency": FieldSpec(f.currency, required=True),
                "paidAt": FieldSpec(f.instant, required=True),
            },
            key="id",
            labels=("Payment",),
        ),
        EventSpec(
            "sendTakedownNotice",
            {
                "id": FieldSpec(f.identifier, required=True),
                "sightingId": FieldSpec(f.identifier, required=True, refers_to=("Sighting",)),
                "platformId": FieldSpec(f.identifier, required=True, refers_to=("Platform",)),
                "sentById": FieldSpec(f.identifier, required=True, refers_to=("Person", "Organization")),
                "sentAt": FieldSpec(f.instant, required=True),
                "responseHours": FieldSpec(f.whole(*RESPONSE_HOURS), default=72),
                "basis": FieldSpec(f.text),
            },
            key="id",
            labels=("TakedownNotice",),
        ),
        EventSpec(
            "recordNoticeResponse",
            {
                "noticeId": FieldSpec(f.identifier, required=True, refers_to=("TakedownNotice",)),
                "respondedAt": FieldSpec(f.instant, required=True),
                "outcome": FieldSpec(f.one_of(*NOTICE_OUTCOMES), required=True),
                "note": FieldSpec(f.text),
            },
            key="noticeId",
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
)

# Events keyed on a relationship rather than a node: the key names it by its ends and an instant
RELATIONSHIP_OPS = ("recordRepresentation", "recordNoticeResponse")


@dataclass(frozen=True)
class Event:
    op: str
    input: dict[str, Any]
    # ids this event refers to: (field, id, labels any of which it must carry)
    references: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default=())

    @property
    def key(self) -> str:
        """What identifies the event's effect: a node id, or (for changes) the changed node's id."""
        spec = SPECS[self.op]
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
    references: list[tuple[str, str, tuple[str, ...]]] = []
    for name, field_spec in spec.fields.items():
        if not field_spec.refers_to or name not in data:
            continue
        values = data[name] if isinstance(data[name], list) else [data[name]]
        references.extend((name, value, field_spec.refers_to) for value in values)
    return Event(op=op, input=data, references=tuple(references))


def differing_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The fields whose canonical values differ between two inputs of the same event kind."""
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
