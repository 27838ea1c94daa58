"""Answer types of the queries: provenance, usage pages, near-duplicates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from likeness.rules.facts import Verdict as VerdictFacts
from likeness.schema.convert import from_node
from likeness.schema.enums import LiabilityRole
from likeness.schema.nodes import (
    Asset,
    Campaign,
    Capture,
    Compensation,
    Consent,
    Organization,
    Payment,
    Person,
    Twin,
)
from likeness.schema.verdicts import Liability, Verdict


@strawberry.type
class Provenance:
    as_of: datetime
    asset: Asset
    twins: list[Twin]
    captures: list[Capture]
    persons: list[Person]
    vendors: list[Organization]
    publisher: Organization | None
    sublicensed_from: Organization | None
    campaign: Campaign | None
    consents: list[Consent] = strawberry.field(description="The consents that name the asset's twins.")
    verdicts: list[Verdict]
    liable: list[Liability] = strawberry.field(description="Every liable party across the verdicts, primary first.")
    permitted: bool = strawberry.field(description="True when no verdict holds against the asset.")

    @classmethod
    def of(cls, chain: dict[str, Any], verdicts: tuple[VerdictFacts, ...], *, as_of: datetime) -> Provenance:
        def first(part: str, kind: type) -> Any:
            return from_node(kind, chain[part][0]) if chain.get(part) else None

        seen: set[str] = set()
        liable: list[Liability] = []
        for role in ("PRIMARY", "SECONDARY"):
            for verdict in verdicts:
                for party in verdict.liable:
                    if party.role == role and party.party_id not in seen:
                        seen.add(party.party_id)
                        liable.append(Liability(party_id=strawberry.ID(party.party_id), role=LiabilityRole(role)))
        return cls(
            as_of=as_of,
            asset=from_node(Asset, chain["asset"][0]),
            twins=[from_node(Twin, node) for node in chain.get("twins", [])],
            captures=[from_node(Capture, node) for node in chain.get("captures", [])],
            persons=[from_node(Person, node) for node in chain.get("persons", [])],
            vendors=[from_node(Organization, node) for node in chain.get("vendors", [])],
            publisher=first("publisher", Organization),
            sublicensed_from=first("sublicensor", Organization),
            campaign=first("campaign", Campaign),
            consents=[from_node(Consent, node) for node in chain.get("consents", [])],
            verdicts=[Verdict.of(verdict) for verdict in verdicts],
            liable=liable,
            permitted=not verdicts,
        )


@strawberry.type
class SimilarAsset:
    distance: int
    asset: Asset


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class UsageEdge:
    cursor: str
    node: Asset
    verdicts: list[Verdict]


@strawberry.type
class UsageConnection:
    total_count: int
    edges: list[UsageEdge]
    page_info: PageInfo


@strawberry.type
class CodeCount:
    code: str
    count: int


@strawberry.type
class VerdictEdge:
    cursor: str
    node: Verdict


@strawberry.type
class VerdictConnection:
    total_count: int
    counts_by_code: list[CodeCount]
    edges: list[VerdictEdge]
    page_info: PageInfo


@strawberry.input
class AuditFilter:
    codes: list[str] | None = None
    party_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None
    territory: str | None = None
    from_: datetime | None = strawberry.field(name="from", default=None)
    to: datetime | None = None


@strawberry.type
class LiableParty:
    party_id: strawberry.ID
    role: LiabilityRole
    code: str
    evidence: list[str]
    explanation: str


@strawberry.type
class TwinUseCheck:
    twin_id: strawberry.ID
    person_id: strawberry.ID | None
    permitted: bool
    consent_id: strawberry.ID | None
    failed_clauses: list[str]
    code: str | None


@strawberry.type
class UsageCheck:
    permitted: bool
    code: str | None
    twins: list[TwinUseCheck]


@strawberry.type
class AssetUse:
    asset: Asset
    consent_ids: list[strawberry.ID] = strawberry.field(description="The consents the asset ran under.")
    verdicts: list[Verdict]


@strawberry.type
class UsageHistory:
    organization_id: strawberry.ID
    assets: list[AssetUse]
    expiring_consents: list[Consent]


@strawberry.type
class ConsentCompensation:
    consent: Consent
    agreed: Compensation | None
    uses: int
    payments: list[Payment]
    paid_total: Decimal
    currency: str | None
