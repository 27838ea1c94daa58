"""The Query and Mutation roots (likeness.execution.build makes the executable Schema of them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

import strawberry
from strawberry.file_uploads import Upload
from strawberry.tools import merge_types
from strawberry.types import Info

from likeness.resolvers import audit as audit_resolver
from likeness.resolvers import history, laws, lookups, usage
from likeness.resolvers import provenance as provenance_resolver
from likeness.resolvers import search as search_resolver
from likeness.resolvers import sightings as sightings_resolver
from likeness.resolvers import trace as trace_resolver
from likeness.resolvers.context import Context
from likeness.schema.alerts import AlertQueries, Subscription
from likeness.schema.convert import from_node, from_optional, plain_input
from likeness.schema.enums import Channel, MediaType, NoticeStatus
from likeness.schema.laws import Law
from likeness.schema.mutations import Mutation
from likeness.schema.nodes import (
    Asset,
    Campaign,
    Capture,
    Consent,
    Organization,
    Payment,
    Person,
    Sighting,
    TakedownNotice,
    Twin,
)
from likeness.schema.results import (
    AuditFilter,
    ConsentCompensation,
    LiableParty,
    NoticeConnection,
    Provenance,
    SimilarAsset,
    TraceResult,
    UsageCheck,
    UsageConnection,
    UsageHistory,
    VerdictConnection,
)
from likeness.schema.search import SearchHit, Viewer
from likeness.schema.verdicts import Verdict
from likeness.schema.webhooks import WebhookQueries

T = TypeVar("T")


def _admit(info: Info[Context, None], count: int) -> None:
    """Count the objects of a root answer's unpaged lists against the operation's cap (the loaders count
    their own; paged rows are priced exactly by the estimate, `first`, and not counted)."""
    info.context.bounds.admit(count)


async def _lookup(info: Info[Context, None], node_id: str, label: str, cls: type[T]) -> T | None:
    """The node with this id and label as its GraphQL type, or None when the caller may see none."""
    return from_optional(cls, await lookups.node(info.context, node_id, label))


@strawberry.type
class _OwnQuery:
    @strawberry.field
    async def person(self, info: Info[Context, None], id: strawberry.ID) -> Person | None:
        return await _lookup(info, id, "Person", Person)

    @strawberry.field
    async def organization(self, info: Info[Context, None], id: strawberry.ID) -> Organization | None:
        return await _lookup(info, id, "Organization", Organization)

    @strawberry.field
    async def capture(self, info: Info[Context, None], id: strawberry.ID) -> Capture | None:
        return await _lookup(info, id, "Capture", Capture)

    @strawberry.field
    async def twin(self, info: Info[Context, None], id: strawberry.ID) -> Twin | None:
        return await _lookup(info, id, "Twin", Twin)

    @strawberry.field
    async def asset(self, info: Info[Context, None], id: strawberry.ID) -> Asset | None:
        return await _lookup(info, id, "Asset", Asset)

    @strawberry.field
    async def consent(self, info: Info[Context, None], id: strawberry.ID) -> Consent | None:
        return await _lookup(info, id, "Consent", Consent)

    @strawberry.field
    async def campaign(self, info: Info[Context, None], id: strawberry.ID) -> Campaign | None:
        return await _lookup(info, id, "Campaign", Campaign)

    @strawberry.field
    async def sighting(self, info: Info[Context, None], id: strawberry.ID) -> Sighting | None:
        return await _lookup(info, id, "Sighting", Sighting)

    @strawberry.field
    async def payment(self, info: Info[Context, None], id: strawberry.ID) -> Payment | None:
        return await _lookup(info, id, "Payment", Payment)

    @strawberry.field
    async def takedown_notice(self, info: Info[Context, None], id: strawberry.ID) -> TakedownNotice | None:
        return await _lookup(info, id, "TakedownNotice", TakedownNotice)

    @strawberry.field(
        description="Takedown notices sent by asOf (default now), in order of sending: by the platform "
        "they went to, a person whose likeness their sighting shows, and their status as of asOf; with "
        "the counts per status."
    )
    async def notices(
        self,
        info: Info[Context, None],
        platform_id: strawberry.ID | None = None,
        person_id: strawberry.ID | None = None,
        status: NoticeStatus | None = None,
        as_of: datetime | None = None,
        first: int = 100,
        after: str | None = None,
    ) -> NoticeConnection:
        with info.context.reading():
            page = await sightings_resolver.notices(
                info.context,
                platform_id=platform_id,
                person_id=person_id,
                status=None if status is None else status.value,
                as_of=as_of,
                first=first,
                after=after,
            )
        return NoticeConnection.of(page)

    @strawberry.field(
        description="The asset (by id or sha256) → twins → captures → persons, parties, "
        "consents, verdicts and liable parties, as of an instant (default now)."
    )
    async def provenance(
        self,
        info: Info[Context, None],
        asset_id: strawberry.ID | None = None,
        sha256: str | None = None,
        as_of: datetime | None = None,
    ) -> Provenance | None:
        with info.context.reading():
            chain = await provenance_resolver.provenance(info.context, asset_id, sha256, as_of)
        if chain is None:
            return None
        _admit(info, len(chain.nodes) + len(chain.verdicts))
        return Provenance.of(chain)

    @strawberry.field(
        description="Registered assets within a Hamming distance of a perceptual hash, nearest first."
    )
    async def similar_assets(
        self, info: Info[Context, None], phash: str, max_distance: int = 8, first: int = 50
    ) -> list[SimilarAsset]:
        with info.context.reading():
            found = await lookups.similar_assets(info.context, phash, max_distance, first)
        return [SimilarAsset(distance=d, asset=from_node(Asset, node)) for d, node in found]

    @strawberry.field(
        description="From a found file (a multipart upload), or its sha256 and/or phash: the registered "
        "assets and captures it matches (exact sha256 first, then by phash distance; a video by any sampled "
        "frame), its Content Credentials, and the provenance of the best matching asset as of `asOf`."
    )
    async def trace(
        self,
        info: Info[Context, None],
        file: Upload | None = None,
        sha256: str | None = None,
        phash: str | None = None,
        max_distance: int = 8,
        first: int = 20,
        as_of: datetime | None = None,
    ) -> TraceResult:
        with info.context.reading():
            traced = await trace_resolver.trace(
                info.context,
                file=file,
                sha256=sha256,
                phash=phash,
                max_distance=max_distance,
                first=first,
                as_of=as_of,
            )
        _admit(info, len(traced.provenance.nodes) if traced.provenance is not None else 0)
        return TraceResult.of(traced)

    @strawberry.field(
        description="Every asset rendering any twin of the person, by anyone, with its verdicts."
    )
    async def likeness_usage(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        as_of: datetime | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> UsageConnection:
        with info.context.reading():
            page = await usage.likeness_usage(info.context, person_id, from_, to, as_of, first, after)
        _admit(info, sum(len(row.verdicts) for row in page.rows))
        return UsageConnection.of(page)

    @strawberry.field(
        description="Stored verdicts matching the filter as of an instant, with counts by code and by law. "
        "from/to bound when the subject was published (assets) or built (twins); laws and jurisdictions "
        "keep the verdicts grounded in any of those laws, or in a law applied through any of those places."
    )
    async def audit(
        self,
        info: Info[Context, None],
        filter: AuditFilter | None = None,
        as_of: datetime | None = None,
        first: int = 100,
        after: str | None = None,
    ) -> VerdictConnection:
        flt = None if filter is None else plain_input(filter)
        with info.context.reading():
            page = await audit_resolver.audit(
                info.context, flt, as_of, first, after, fields=VerdictConnection.fields(info)
            )
        return VerdictConnection.of(page)

    @strawberry.field(
        description="The liable parties of one asset as of an instant, each with its rule and evidence."
    )
    async def liability(
        self, info: Info[Context, None], asset_id: strawberry.ID, as_of: datetime | None = None
    ) -> list[LiableParty]:
        with info.context.reading():
            verdicts = await history.liability(info.context, asset_id, as_of)
        _admit(info, len(verdicts))
        return LiableParty.of_verdicts(verdicts)

    @strawberry.field(
        description="A brand's pre-flight: would this use be permitted at `at`, by which consent, "
        "or which clauses fail; and per territory and per person's jurisdiction, what the laws in force "
        "at `at` require of it and which of that the plan lacks. aiLabel / machineReadableMark: whether "
        "the use will carry a visible AI label / a machine-readable mark (absent: not planned)."
    )
    async def check_usage(
        self,
        info: Info[Context, None],
        twin_ids: list[strawberry.ID],
        publisher_id: strawberry.ID,
        media_type: MediaType,
        channel: Channel,
        territories: list[str],
        content_tags: list[str] | None = None,
        at: datetime | None = None,
        sublicensed_from_id: strawberry.ID | None = None,
        as_of: datetime | None = None,
        ai_label: bool | None = None,
        machine_readable_mark: bool | None = None,
    ) -> UsageCheck:
        with info.context.reading():
            planned = await history.check_usage(
                info.context,
                list(twin_ids),
                publisher_id,
                media_type.value,
                channel.value,
                territories,
                content_tags,
                at,
                sublicensed_from_id,
                as_of,
                ai_label,
                machine_readable_mark,
            )
        _admit(info, len(planned.check.twins))
        return UsageCheck.of(planned)

    @strawberry.field(
        description="An organization's own assets with the consents they ran under, and its "
        "consents expiring soon."
    )
    async def usage_history(
        self,
        info: Info[Context, None],
        organization_id: strawberry.ID,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        as_of: datetime | None = None,
        expiring_within_days: int = 30,
        first: int = 500,
    ) -> UsageHistory:
        with info.context.reading():
            own = await history.usage_history(
                info.context, organization_id, from_, to, as_of, expiring_within_days, first
            )
        _admit(info, sum(len(use.verdicts) for use in own.uses) + len(own.expiring_consents))
        return UsageHistory.of(own)

    @strawberry.field(description="Per consent of the person: agreed terms, uses and payments recorded.")
    async def compensation(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        as_of: datetime | None = None,
    ) -> list[ConsentCompensation]:
        with info.context.reading():
            pays = await history.compensation(info.context, person_id, from_, to, as_of)
        _admit(info, sum(1 + len(pay.payments) for pay in pays))
        return [ConsentCompensation.of(pay) for pay in pays]

    @strawberry.field(
        description="One box for ids, names and hashes: the node with that id, the assets, captures and "
        "sightings with that sha256, the assets near that phash, the persons and organizations whose "
        "names start with its words; exact matches first, only what the caller may see."
    )
    async def search(self, info: Info[Context, None], text: str, first: int = 20) -> list[SearchHit]:
        with info.context.reading():
            hits = await search_resolver.search(info.context, text, first)
        _admit(info, len(hits))
        return [SearchHit.of(hit) for hit in hits]

    @strawberry.field(
        description="Every stored verdict span of one asset, oldest first: holdsFrom and holdsUntil are "
        "the instants where its verdicts change (empty when the caller may not see the asset)."
    )
    async def verdict_history(self, info: Info[Context, None], asset_id: strawberry.ID) -> list[Verdict]:
        with info.context.reading():
            spans = await search_resolver.verdict_history(info.context, asset_id)
        _admit(info, len(spans))
        return [Verdict.of(span.verdict, start=span.since, end=span.until) for span in spans]

    @strawberry.field(
        description="The laws at asOf (default now): each ENACTED one in force that day and the PROPOSED "
        "ones, marked as such; with a jurisdiction, those whose own jurisdiction covers it (SE: the EU's "
        "too; US-NY: the United States' too)."
    )
    def laws(
        self, info: Info[Context, None], as_of: datetime | None = None, jurisdiction: str | None = None
    ) -> list[Law]:
        found = laws.laws(as_of, jurisdiction)
        _admit(info, len(found))
        return [Law.of(pack) for pack in found]

    @strawberry.field(description="Who the credential says the caller is: its role and the party it acts as.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return Viewer.of(search_resolver.viewer(info.context))


# the query families kept in modules of their own (alerts; webhooks), merged beside the root's own fields
EXTRA_QUERIES: tuple[type, ...] = (AlertQueries, WebhookQueries)

Query = merge_types("Query", (_OwnQuery, *EXTRA_QUERIES))

__all__ = ["Mutation", "Query", "Subscription"]
