"""The contract's mutation inputs (field names are the contract)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from likeness.schema.enums import (
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    MediaType,
    NoticeOutcome,
    OrganizationKind,
)


@strawberry.input
class PersonInput:
    id: strawberry.ID
    name: str
    birth_date: date | None = None
    jurisdiction: str | None = None


@strawberry.input
class OrganizationInput:
    id: strawberry.ID
    name: str
    kind: OrganizationKind


@strawberry.input
class RepresentationInput:
    agency_id: strawberry.ID
    person_id: strawberry.ID
    since: date
    until: date | None = None


@strawberry.input
class CaptureInput:
    id: strawberry.ID
    person_ids: list[strawberry.ID]
    kind: CaptureKind
    sha256: str
    captured_at: datetime
    captured_by_id: strawberry.ID | None = None
    phash: str | None = None


@strawberry.input
class TwinInput:
    id: strawberry.ID
    person_id: strawberry.ID
    vendor_id: strawberry.ID
    capture_ids: list[strawberry.ID]
    built_at: datetime
    version: int | None = None
    supersedes_id: strawberry.ID | None = None
    commissioned_by_id: strawberry.ID | None = None


@strawberry.input
class CompensationInput:
    amount: Decimal
    currency: str
    basis: CompensationBasis


@strawberry.input
class ConsentInput:
    id: strawberry.ID
    purpose: ConsentPurpose
    person_id: strawberry.ID
    grantee_id: strawberry.ID
    signed_by_id: strawberry.ID
    signed_at: datetime
    valid_from: datetime
    twin_ids: list[strawberry.ID] | None = None
    guardian_id: strawberry.ID | None = None
    negotiated_by_id: strawberry.ID | None = None
    valid_until: datetime | None = None
    media_types: list[MediaType] | None = None
    channels: list[Channel] | None = None
    territories: list[str] | None = None
    prohibited_content: list[str] | None = None
    description: str | None = None
    compensation: CompensationInput | None = None
    sublicensable: bool | None = False
    takedown_days: int | None = 30
    document_sha256: str | None = None


@strawberry.input
class RevocationInput:
    consent_id: strawberry.ID
    revoked_at: datetime
    reason: str | None = None


@strawberry.input
class CampaignInput:
    id: strawberry.ID
    brand_id: strawberry.ID
    name: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@strawberry.input
class AssetInput:
    id: strawberry.ID
    publisher_id: strawberry.ID
    twin_ids: list[strawberry.ID]
    sha256: str | None = strawberry.field(
        default=None, description="Required, unless the file is sent: then read from it (or checked)."
    )
    media_type: MediaType
    channel: Channel
    territories: list[str]
    published_at: datetime
    ai_label: bool
    machine_readable_mark: bool
    campaign_id: strawberry.ID | None = None
    phash: str | None = None
    content_tags: list[str] | None = None
    sublicensed_from_id: strawberry.ID | None = None


@strawberry.input
class WithdrawalInput:
    asset_id: strawberry.ID
    withdrawn_at: datetime


@strawberry.input
class SightingInput:
    id: strawberry.ID
    url: str
    observed_at: datetime
    sha256: str | None = None
    phash: str | None = None
    platform_id: strawberry.ID | None = None


@strawberry.input
class PaymentInput:
    id: strawberry.ID
    consent_id: strawberry.ID
    amount: Decimal
    currency: str
    paid_at: datetime


@strawberry.input
class TakedownNoticeInput:
    id: strawberry.ID
    sighting_id: strawberry.ID
    platform_id: strawberry.ID
    sent_by_id: strawberry.ID
    sent_at: datetime
    response_hours: int | None = strawberry.field(
        default=72, description="Hours the platform has to act, 1 to 8760 (a year)."
    )
    basis: str | None = None


@strawberry.input
class NoticeResponseInput:
    notice_id: strawberry.ID
    responded_at: datetime
    outcome: NoticeOutcome
    note: str | None = None
