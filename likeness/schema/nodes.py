"""The graph's node types. Relationship fields load through per-request DataLoaders (no N+1)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from likeness.resolvers import related
from likeness.schema.enums import (
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    MediaType,
    OrganizationKind,
)


@strawberry.type
class Person:
    id: strawberry.ID
    name: str
    jurisdiction: str | None
    recorded_at: datetime | None
    _birth_date: strawberry.Private[date | None]

    @strawberry.field(description="Personal: visible to the person, her agency, regulators and admins.")
    def birth_date(self, info: Info) -> date | None:
        return related.personal(info, self.id, self._birth_date)

    @strawberry.field
    async def captures(self, info: Info) -> list[Capture]:
        return await related.many(info, "person.captures", self.id, Capture)

    @strawberry.field
    async def twins(self, info: Info) -> list[Twin]:
        return await related.many(info, "person.twins", self.id, Twin)

    @strawberry.field
    async def consents(self, info: Info) -> list[Consent]:
        return await related.many(info, "person.consents", self.id, Consent)

    @strawberry.field
    async def agencies(self, info: Info) -> list[Organization]:
        return await related.many(info, "person.agencies", self.id, Organization)


@strawberry.type
class Organization:
    id: strawberry.ID
    name: str
    kind: OrganizationKind
    recorded_at: datetime | None

    @strawberry.field
    async def assets(self, info: Info) -> list[Asset]:
        return await related.many(info, "organization.assets", self.id, Asset)

    @strawberry.field
    async def campaigns(self, info: Info) -> list[Campaign]:
        return await related.many(info, "organization.campaigns", self.id, Campaign)

    @strawberry.field
    async def twins_built(self, info: Info) -> list[Twin]:
        return await related.many(info, "organization.twinsBuilt", self.id, Twin)

    @strawberry.field
    async def consents_received(self, info: Info) -> list[Consent]:
        return await related.many(info, "organization.consentsReceived", self.id, Consent)

    @strawberry.field
    async def represents(self, info: Info) -> list[Person]:
        return await related.many(info, "organization.represents", self.id, Person)


Party = Annotated[Person | Organization, strawberry.union("Party")]


@strawberry.type
class Capture:
    id: strawberry.ID
    kind: CaptureKind
    sha256: str
    captured_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def persons(self, info: Info) -> list[Person]:
        return await related.many(info, "capture.persons", self.id, Person)

    @strawberry.field
    async def captured_by(self, info: Info) -> Organization | None:
        return await related.one(info, "capture.capturedBy", self.id, Organization)


@strawberry.type
class Twin:
    id: strawberry.ID
    version: int | None
    built_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await related.one(info, "twin.person", self.id, Person)

    @strawberry.field
    async def vendor(self, info: Info) -> Organization | None:
        return await related.one(info, "twin.vendor", self.id, Organization)

    @strawberry.field
    async def captures(self, info: Info) -> list[Capture]:
        return await related.many(info, "twin.captures", self.id, Capture)

    @strawberry.field
    async def supersedes(self, info: Info) -> Twin | None:
        return await related.one(info, "twin.supersedes", self.id, Twin)

    @strawberry.field
    async def commissioned_by(self, info: Info) -> Organization | None:
        return await related.one(info, "twin.commissionedBy", self.id, Organization)

    @strawberry.field
    async def assets(self, info: Info) -> list[Asset]:
        return await related.many(info, "twin.assets", self.id, Asset)

    @strawberry.field
    async def consents(self, info: Info) -> list[Consent]:
        return await related.many(info, "twin.consents", self.id, Consent)


@strawberry.type
class Compensation:
    amount: Decimal
    currency: str
    basis: CompensationBasis


@strawberry.type
class Consent:
    id: strawberry.ID
    purpose: ConsentPurpose
    signed_at: datetime
    valid_from: datetime
    valid_until: datetime | None
    media_types: list[MediaType] | None
    channels: list[Channel] | None
    territories: list[str] | None
    prohibited_content: list[str] | None
    description: str | None
    sublicensable: bool
    takedown_days: int
    document_sha256: str | None
    revoked_at: datetime | None
    revocation_reason: str | None
    recorded_at: datetime | None
    _compensation_amount: strawberry.Private[str | None]
    _compensation_currency: strawberry.Private[str | None]
    _compensation_basis: strawberry.Private[str | None]

    @strawberry.field
    def compensation(self) -> Compensation | None:
        return Consent.compensation_of({
            "compensationAmount": self._compensation_amount, "compensationCurrency": self._compensation_currency,
            "compensationBasis": self._compensation_basis,
        })

    @staticmethod
    def compensation_of(node: dict[str, Any]) -> Compensation | None:
        """The agreed compensation of a consent node, or None when its terms name none."""
        if node.get("compensationAmount") is None:
            return None
        return Compensation(
            amount=Decimal(node["compensationAmount"]),
            currency=node.get("compensationCurrency") or "",
            basis=CompensationBasis(node["compensationBasis"]),
        )

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await related.one(info, "consent.person", self.id, Person)

    @strawberry.field
    async def grantee(self, info: Info) -> Organization | None:
        return await related.one(info, "consent.grantee", self.id, Organization)

    @strawberry.field
    async def twins(self, info: Info) -> list[Twin]:
        return await related.many(info, "consent.twins", self.id, Twin)

    @strawberry.field
    async def signed_by(self, info: Info) -> Party | None:
        return await related.party(info, "consent.signedBy", self.id)

    @strawberry.field
    async def guardian(self, info: Info) -> Person | None:
        return await related.one(info, "consent.guardian", self.id, Person)

    @strawberry.field
    async def negotiated_by(self, info: Info) -> Organization | None:
        return await related.one(info, "consent.negotiatedBy", self.id, Organization)

    @strawberry.field
    async def payments(self, info: Info) -> list[Payment]:
        return await related.many(info, "consent.payments", self.id, Payment)


@strawberry.type
class Campaign:
    id: strawberry.ID
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    recorded_at: datetime | None

    @strawberry.field
    async def brand(self, info: Info) -> Organization | None:
        return await related.one(info, "campaign.brand", self.id, Organization)

    @strawberry.field
    async def assets(self, info: Info) -> list[Asset]:
        return await related.many(info, "campaign.assets", self.id, Asset)


@strawberry.type
class Asset:
    id: strawberry.ID
    sha256: str
    phash: str | None
    media_type: MediaType
    channel: Channel
    territories: list[str]
    published_at: datetime
    withdrawn_at: datetime | None
    ai_label: bool
    machine_readable_mark: bool
    content_tags: list[str] | None
    recorded_at: datetime | None

    @strawberry.field
    async def twins(self, info: Info) -> list[Twin]:
        return await related.many(info, "asset.twins", self.id, Twin)

    @strawberry.field
    async def publisher(self, info: Info) -> Organization | None:
        return await related.one(info, "asset.publisher", self.id, Organization)

    @strawberry.field
    async def campaign(self, info: Info) -> Campaign | None:
        return await related.one(info, "asset.campaign", self.id, Campaign)

    @strawberry.field
    async def sublicensed_from(self, info: Info) -> Organization | None:
        return await related.one(info, "asset.sublicensedFrom", self.id, Organization)

    @strawberry.field
    async def sightings(self, info: Info) -> list[Sighting]:
        return await related.many(info, "asset.sightings", self.id, Sighting)


@strawberry.type
class Sighting:
    id: strawberry.ID
    url: str
    observed_at: datetime
    sha256: str | None
    phash: str | None
    recorded_at: datetime | None

    @strawberry.field
    async def assets(self, info: Info) -> list[Asset]:
        return await related.many(info, "sighting.assets", self.id, Asset)

    @strawberry.field
    async def platform(self, info: Info) -> Organization | None:
        return await related.one(info, "sighting.platform", self.id, Organization)


@strawberry.type
class Payment:
    id: strawberry.ID
    amount: Decimal
    currency: str
    paid_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def consent(self, info: Info) -> Consent | None:
        return await related.one(info, "payment.consent", self.id, Consent)


@strawberry.type
class Representation:
    agency_id: strawberry.ID
    person_id: strawberry.ID
    since: date
    until: date | None


NODE_TYPES: dict[str, Any] = {
    "Person": Person, "Organization": Organization, "Capture": Capture, "Twin": Twin,
    "Consent": Consent, "Campaign": Campaign, "Asset": Asset, "Sighting": Sighting, "Payment": Payment,
}
