"""Answer types of the queries (provenance, usage pages, near-duplicates, reports), each built from the
plain answer of its resolver."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from likeness.reports.prov import prov_text
from likeness.resolvers.audit import AuditPage
from likeness.resolvers.context import Context
from likeness.resolvers.history import ConsentPay, OwnUses, PlannedUseCheck
from likeness.resolvers.records import ProvenanceChain, VerdictRecord
from likeness.resolvers.sightings import NoticesPage
from likeness.resolvers.trace import Match, Traced
from likeness.resolvers.usage import UsagePage
from likeness.schema.connections import PageInfo
from likeness.schema.convert import from_node, from_nodes, from_optional
from likeness.schema.credentials import ContentCredentials, MatchKind
from likeness.schema.enums import LiabilityRole, MediaType, NoticeStatus, ProvFormat
from likeness.schema.faces import TracedFace
from likeness.schema.nodes import (
    Asset,
    Campaign,
    Capture,
    Compensation,
    Consent,
    Organization,
    Payment,
    Person,
    TakedownNotice,
    Twin,
)
from likeness.schema.requirements import (
    JurisdictionRequirements,
    Requirement,
    TerritoryRequirements,
    requirements,
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
    liable: list[Liability] = strawberry.field(
        description="Every liable party across the verdicts, primary first."
    )
    permitted: bool = strawberry.field(description="True when no verdict holds against the asset.")
    _chain: strawberry.Private[ProvenanceChain]

    @strawberry.field(
        description="This provenance as a W3C PROV document (entities: captures, twins, the asset, consent "
        "documents; activities: capture, build, publication; agents: persons and organizations)."
    )
    async def prov(self, info: Info[Context, None], format: ProvFormat = ProvFormat.PROV_JSON) -> str:
        with info.context.reading():
            return await prov_text(info.context, self._chain, format)

    @classmethod
    def of(cls, chain: ProvenanceChain) -> Provenance:
        return cls(
            as_of=chain.as_of,
            asset=from_node(Asset, chain.asset),
            twins=from_nodes(Twin, chain.twins),
            captures=from_nodes(Capture, chain.captures),
            persons=from_nodes(Person, chain.persons),
            vendors=from_nodes(Organization, chain.vendors),
            publisher=from_optional(Organization, chain.publisher),
            sublicensed_from=from_optional(Organization, chain.sublicensed_from),
            campaign=from_optional(Campaign, chain.campaign),
            consents=from_nodes(Consent, chain.consents),
            verdicts=[Verdict.of(verdict) for verdict in chain.verdicts],
            liable=[
                Liability(party_id=strawberry.ID(party.party_id), role=LiabilityRole(party.role))
                for party in chain.liable
            ],
            permitted=chain.permitted,
            _chain=chain,
        )


@strawberry.type
class SimilarAsset:
    distance: int
    asset: Asset


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

    @classmethod
    def of(cls, page: UsagePage) -> UsageConnection:
        return cls(
            total_count=page.total,
            edges=[
                UsageEdge(
                    cursor=row.cursor,
                    node=from_node(Asset, row.asset),
                    verdicts=[Verdict.of(verdict) for verdict in row.verdicts],
                )
                for row in page.rows
            ],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )


@strawberry.type
class CodeCount:
    code: str
    count: int


@strawberry.type
class LawCount:
    law_id: strawberry.ID
    count: int


@strawberry.type
class VerdictEdge:
    cursor: str
    node: Verdict


@strawberry.type
class VerdictConnection:
    total_count: int
    counts_by_code: list[CodeCount]
    counts_by_law: list[LawCount] = strawberry.field(
        default_factory=list,
        description="The verdicts grounded in each law, by law id (a verdict counts once for each law "
        "grounding it; one grounded in none counts in none).",
    )
    edges: list[VerdictEdge]
    page_info: PageInfo

    @staticmethod
    def fields(info: Info[Context, None]) -> frozenset[str]:
        """The names of every field its selection names anywhere (fragments included; a field under
        @skip/@include counts as named): what the page must read (resolvers.audit.page_parts)."""
        names: set[str] = set()
        pending: list[Any] = list(info.selected_fields)
        while pending:
            selection = pending.pop()
            name = getattr(selection, "name", None)
            if name is not None:
                names.add(name)
            pending.extend(selection.selections)
        return frozenset(names)

    @classmethod
    def of(cls, page: AuditPage) -> VerdictConnection:
        return cls(
            total_count=page.total,
            counts_by_code=[CodeCount(code=code, count=count) for code, count in sorted(page.counts.items())],
            counts_by_law=[
                LawCount(law_id=strawberry.ID(law), count=count)
                for law, count in sorted(page.law_counts.items())
            ],
            edges=[VerdictEdge(cursor=row.cursor, node=Verdict.of_row(row)) for row in page.rows],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )


@strawberry.input
class AuditFilter:
    codes: list[str] | None = None
    party_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None
    territory: str | None = None
    laws: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Law ids: the verdicts grounded in any of them."
    )
    jurisdictions: list[str] | None = strawberry.field(
        default=None,
        description="EU or ISO 3166 codes: the verdicts grounded in a law applied through any of them (SE: "
        "an EU law through an asset in SE; US: a law of US-NY too).",
    )
    from_: datetime | None = strawberry.field(name="from", default=None)
    to: datetime | None = None


@strawberry.type
class LiableParty:
    party_id: strawberry.ID
    role: LiabilityRole
    code: str
    evidence: list[str]
    explanation: str

    @classmethod
    def of_verdicts(cls, verdicts: tuple[VerdictRecord, ...]) -> list[LiableParty]:
        """Every liable party of every verdict, each with its verdict's code and evidence."""
        return [
            cls(
                party_id=strawberry.ID(party.party_id),
                role=LiabilityRole(party.role),
                code=verdict.code,
                evidence=list(verdict.evidence),
                explanation=verdict.explanation,
            )
            for verdict in verdicts
            for party in verdict.liable
        ]


def _id(value: str | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(value)


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
    territories: list[TerritoryRequirements] = strawberry.field(
        description="Per planned territory, sorted: what each law on assets in force at `at` requires "
        "there and which of it the plan lacks; PROPOSED laws apart."
    )
    jurisdictions: list[JurisdictionRequirements] = strawberry.field(
        description="Per jurisdiction of the twins' persons (those recorded), sorted: what each law on "
        "consents in force at `at` requires and which of it the plan lacks; PROPOSED laws apart."
    )
    lacking: list[Requirement] = strawberry.field(
        description="Everything an ENACTED law in force lacks of the plan, in any territory or "
        "jurisdiction (empty: no law in force finds anything lacking)."
    )

    @classmethod
    def of(cls, planned: PlannedUseCheck) -> UsageCheck:
        check = planned.check
        return cls(
            permitted=check.permitted,
            code=check.code,
            twins=[
                TwinUseCheck(
                    twin_id=strawberry.ID(t.twin_id),
                    person_id=_id(t.person_id),
                    permitted=t.permitted,
                    consent_id=_id(t.consent_id),
                    failed_clauses=list(t.failed_clauses),
                    code=t.code,
                )
                for t in check.twins
            ],
            territories=[TerritoryRequirements.of(place) for place in planned.laws.territories],
            jurisdictions=[JurisdictionRequirements.of(place) for place in planned.laws.jurisdictions],
            lacking=requirements(planned.laws.lacking),
        )


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

    @classmethod
    def of(cls, own: OwnUses) -> UsageHistory:
        return cls(
            organization_id=strawberry.ID(own.organization_id),
            assets=[
                AssetUse(
                    asset=from_node(Asset, use.asset),
                    consent_ids=[strawberry.ID(k) for k in use.consent_ids],
                    verdicts=[Verdict.of(verdict) for verdict in use.verdicts],
                )
                for use in own.uses
            ],
            expiring_consents=from_nodes(Consent, own.expiring_consents),
        )


@strawberry.type
class ConsentCompensation:
    consent: Consent
    agreed: Compensation | None
    uses: int
    payments: list[Payment]
    paid_total: Decimal
    currency: str | None

    @classmethod
    def of(cls, pay: ConsentPay) -> ConsentCompensation:
        return cls(
            consent=from_node(Consent, pay.consent),
            agreed=Consent.compensation_of(pay.consent),
            uses=pay.uses,
            payments=from_nodes(Payment, pay.payments),
            paid_total=pay.paid_total,
            currency=pay.currency,
        )


@strawberry.type
class NoticeStatusCount:
    status: NoticeStatus
    count: int


@strawberry.type
class NoticeEdge:
    cursor: str
    node: TakedownNotice
    status: NoticeStatus = strawberry.field(description="Where the notice stands as of the query's asOf.")


@strawberry.type
class NoticeConnection:
    total_count: int = strawberry.field(description="The notices matching every argument.")
    counts_by_status: list[NoticeStatusCount] = strawberry.field(
        description="Per status (each listed, zeros too), the notices matching every argument but status."
    )
    edges: list[NoticeEdge]
    page_info: PageInfo

    @classmethod
    def of(cls, page: NoticesPage) -> NoticeConnection:
        return cls(
            total_count=page.total,
            counts_by_status=[
                NoticeStatusCount(status=NoticeStatus(status), count=count)
                for status, count in page.counts.items()
            ],
            edges=[
                NoticeEdge(
                    cursor=row.cursor,
                    node=from_node(TakedownNotice, row.notice),
                    status=NoticeStatus(row.status),
                )
                for row in page.rows
            ],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )


@strawberry.type(description="A registered asset or capture a traced file matches.")
class TraceMatch:
    kind: MatchKind
    distance: int = strawberry.field(
        description="The smallest phash distance from the file (any sampled frame of a video); 0 when exact."
    )
    exact: bool = strawberry.field(description="True when the sha256 is the file's: the very same bytes.")
    credentials_stripped: bool = strawberry.field(
        description="True when the matched asset was recorded with a VALID manifest (trusted or not) and "
        "the traced file carries none: its Content Credentials were removed downstream. False for a "
        "capture, a file of a format the C2PA SDK does not read (WebM), and a traced hash."
    )
    asset: Asset | None
    capture: Capture | None

    @classmethod
    def of(cls, match: Match) -> TraceMatch:
        is_asset = match.candidate.kind == "ASSET"
        return cls(
            kind=MatchKind(match.candidate.kind),
            distance=match.candidate.distance,
            exact=match.candidate.exact,
            credentials_stripped=match.credentials_stripped,
            asset=from_node(Asset, match.node) if is_asset else None,
            capture=None if is_asset else from_node(Capture, match.node),
        )


@strawberry.type(description="What a found file (or its hashes) traces to.")
class TraceResult:
    sha256: str | None = strawberry.field(description="The file's sha256 (or the one given).")
    phash: str | None = strawberry.field(
        description="The file's phash, a video's first frame's (or the one given)."
    )
    media_type: MediaType | None
    format: str | None = strawberry.field(description="JPEG, PNG, WEBP, GIF, MP4, MOV or WEBM.")
    frames_hashed: int | None = strawberry.field(description="How many frames were hashed (1 for an image).")
    frame_phashes: list[str] | None = strawberry.field(description="The phash of each sampled frame.")
    content_credentials: ContentCredentials | None = strawberry.field(
        description="The file's Content Credentials; null when it carries none (or was not sent)."
    )
    matches: list[TraceMatch] = strawberry.field(
        description="Exact sha256 matches first, then by phash distance; assets and captures the caller sees."
    )
    best_match: TraceMatch | None
    credentials_stripped: bool = strawberry.field(
        description="The best match's credentialsStripped: the file carries no manifest where the asset it "
        "matches best was recorded with a VALID one."
    )
    provenance: Provenance | None = strawberry.field(
        description="The provenance of the best matching asset, as of `asOf`."
    )
    faces: list[TracedFace] = strawberry.field(
        description="The faces found in the file (at most 20 described; a video's in its sampled frames), "
        "each with the enrolled people it matches that the caller may see. Empty when only hashes were sent."
    )
    faces_found: int | None = strawberry.field(
        description="How many faces were found in the file (more than `faces` when past the limit); null "
        "when only hashes were sent."
    )

    @classmethod
    def of(cls, traced: Traced) -> TraceResult:
        matches = [TraceMatch.of(match) for match in traced.matches]
        credentials = traced.credentials
        if credentials is not None and credentials["validationState"] == "NONE":
            credentials = credentials if traced.remote_manifest_url else None
        return cls(
            sha256=traced.sha256,
            phash=traced.phash,
            media_type=MediaType(traced.media_type) if traced.media_type else None,
            format=traced.format,
            frames_hashed=len(traced.frame_phashes) if traced.frame_phashes is not None else None,
            frame_phashes=list(traced.frame_phashes) if traced.frame_phashes is not None else None,
            content_credentials=ContentCredentials.of(credentials),
            matches=matches,
            best_match=matches[0] if matches else None,
            credentials_stripped=bool(matches) and matches[0].credentials_stripped,
            provenance=Provenance.of(traced.provenance) if traced.provenance is not None else None,
            faces=[TracedFace.of(found) for found in traced.faces],
            faces_found=traced.faces_found,
        )
