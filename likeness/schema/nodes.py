"""The graph's node types. Relationship fields load raw nodes through the per-request DataLoaders of
likeness.resolvers (no N+1) and wrap them here."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import orjson
import strawberry
from strawberry.types import Info

from likeness.resolvers import face_matches, lists, lookups, related, search, sightings
from likeness.resolvers.context import Context
from likeness.resolvers.records import FaceMatchRecord, Node, PersonFaceMatchRecord
from likeness.schema.connections import AssetFilter, AssetOrder, Connection, OrderDirection, selected
from likeness.schema.convert import from_node, from_nodes, from_optional, plain_input
from likeness.schema.credentials import ContentCredentials
from likeness.schema.enums import (
    AiTraining,
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    ConsentRepresentation,
    MediaType,
    NoticeCategory,
    NoticeOutcome,
    NoticeStatus,
    OrganizationKind,
)
from likeness.schema.readalong import NOT_READ, READ_ALONG
from likeness.schema.verdicts import Verdict

T = TypeVar("T")

_FACE_MATCHES = (
    "The enrolled persons whose faces the file this {what} shows, by person (the nearest face of each): "
    "seen by regulators, investigators and admins, by the person herself and her agency while it "
    "represents her, and on an asset by its publisher; never otherwise by a brand or a vendor."
)


def _kept(name: str) -> str:
    """The private attribute where a page leaves the answer of the field `name` it read along (fastexec's
    READ_ALONG names it in the field's metadata)."""
    return "_" + name


async def _page(
    info: Info[Context, None],
    kind: type[T],
    relation: str,
    node_id: str,
    first: int,
    after: str | None,
    **how: Any,
) -> Connection[T]:
    """A page of the node's list: only the properties its selection needs, its count only when asked, the
    single neighbours it selects read with it (an asset's publisher)."""
    asked = selected(info, kind)
    found = await lists.page(
        info.context,
        relation,
        node_id,
        first=first,
        after=after,
        props=asked.props,
        count=asked.total_count,
        ones=asked.ones,
        **how,
    )
    connection = Connection.of(kind, found, edges=asked.edges)
    for name, neighbours in found.ones.items():
        # the answer of the field `name` of each node, kept where its resolver (or fastexec) finds it
        one_type = _READ_ALONG[(kind.__name__, name)]
        made: dict[int, Any] = {}
        for obj, neighbour in zip(connection.nodes, neighbours, strict=True):
            if neighbour is not None and id(neighbour) not in made:
                made[id(neighbour)] = from_node(one_type, neighbour)
            setattr(obj, _kept(name), None if neighbour is None else made[id(neighbour)])
    return connection


async def _assets(
    info: Info[Context, None],
    relation: str,
    node_id: str,
    first: int,
    after: str | None,
    order_by: AssetOrder | None,
    flt: AssetFilter | None,
) -> Connection[Asset]:
    """A page of an asset list in the order asked, kept by the filter."""
    order = order_by or AssetOrder()
    filters = lists.asset_filter(None if flt is None else plain_input(flt))
    descending = order.direction is OrderDirection.DESC
    return await _page(
        info,
        Asset,
        relation,
        node_id,
        first,
        after,
        order=order.field.value,
        descending=descending,
        filters=filters,
    )


@strawberry.type(
    description="A published file Likeness signed with Content Credentials (C2PA): its manifest names the "
    "asset, the consents the use runs under and the log entry that recorded it (docs/credentials.md)."
)
class SignedFile:
    sha256: str = strawberry.field(description="The signed file's sha256: the asset's own.")
    url: str = strawberry.field(
        description="Where the API serves the signed bytes to a caller who may see the asset (GET, with "
        "the same bearer token); 404 where this server does not hold them (an imported record)."
    )
    mime_type: str
    size: int = strawberry.field(description="Of the signed file, in bytes.")
    source_sha256: str = strawberry.field(description="The sha256 of the file sent, before it was signed.")
    manifest_sha256: str = strawberry.field(description="The sha256 of the manifest store embedded.")
    consent_ids: list[strawberry.ID] = strawberry.field(description="The consents the manifest names.")
    log_seq: int = strawberry.field(
        description="The sequence number of the log entry the manifest names: the one that recorded the "
        "publication (the hash-chained log `likeness log verify` walks)."
    )

    @classmethod
    def of(cls, asset_id: str, sha256: str, recorded: str | None) -> SignedFile | None:
        if recorded is None:
            return None
        facts = orjson.loads(recorded)
        return cls(
            sha256=sha256,
            url=f"/signed/{quote(asset_id, safe='')}",
            mime_type=facts["mimeType"],
            size=facts["size"],
            source_sha256=facts["sourceSha256"],
            manifest_sha256=facts["manifestSha256"],
            consent_ids=[strawberry.ID(consent) for consent in facts["consentIds"]],
            log_seq=facts["logSeq"],
        )


@strawberry.type
class Person:
    id: strawberry.ID
    name: str
    jurisdiction: str | None
    recorded_at: datetime | None
    _birth_date: strawberry.Private[date | None]

    @strawberry.field(description="Personal: visible to the person, her agency, regulators and admins.")
    def birth_date(self, info: Info[Context, None]) -> date | None:
        return related.personal(info.context, self.id, self._birth_date)

    @strawberry.field(description="The captures depicting the person, by capturedAt.")
    async def captures(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Capture]:
        return await _page(info, Capture, "person.captures", self.id, first, after)

    @strawberry.field(description="The twins of the person, by builtAt.")
    async def twins(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Twin]:
        return await _page(info, Twin, "person.twins", self.id, first, after)

    @strawberry.field(description="The consents the person granted, by signedAt.")
    async def consents(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Consent]:
        return await _page(info, Consent, "person.consents", self.id, first, after)

    @strawberry.field
    async def agencies(self, info: Info[Context, None]) -> list[Organization]:
        return from_nodes(Organization, await related.many(info.context, "person.agencies", self.id))

    @strawberry.field(
        description="The sightings and assets whose files show her face, most recent first (at most "
        f"{face_matches.PERSON_MATCHES_LIMIT}): seen by her, her agency while it represents her, regulators, "
        "investigators and admins; a publisher sees only those on its own assets."
    )
    async def face_matches(self, info: Info[Context, None]) -> list[PersonFaceMatch]:
        return [PersonFaceMatch.of(found) for found in await face_matches.of_person(info.context, self.id)]


@strawberry.type
class Organization:
    id: strawberry.ID
    name: str
    kind: OrganizationKind
    jurisdiction: str | None = strawberry.field(
        description="Where it is established (ISO 3166-1 or 3166-2); a platform's decides which notice "
        "rules apply."
    )
    recorded_at: datetime | None

    @strawberry.field(description="The assets it published, by publishedAt (or id), kept by `filter`.")
    async def assets(
        self,
        info: Info[Context, None],
        first: int = 50,
        after: str | None = None,
        order_by: AssetOrder | None = None,
        filter: AssetFilter | None = None,
    ) -> Connection[Asset]:
        return await _assets(info, "organization.assets", self.id, first, after, order_by, filter)

    @strawberry.field(description="The campaigns it runs, by id.")
    async def campaigns(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Campaign]:
        return await _page(info, Campaign, "organization.campaigns", self.id, first, after)

    @strawberry.field(description="The twins it built, by builtAt.")
    async def twins_built(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Twin]:
        return await _page(info, Twin, "organization.twinsBuilt", self.id, first, after)

    @strawberry.field(description="The consents granted to it, by signedAt.")
    async def consents_received(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Consent]:
        return await _page(info, Consent, "organization.consentsReceived", self.id, first, after)

    @strawberry.field(description="The persons it represents or represented, by id.")
    async def represents(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Person]:
        return await _page(info, Person, "organization.represents", self.id, first, after)


Party = Annotated[Person | Organization, strawberry.union("Party")]


def _party(node: Node | None) -> Person | Organization | None:
    """A party node as the GraphQL type its labels name."""
    if node is None:
        return None
    if "Person" in node["_labels"]:
        return from_node(Person, node)
    return from_node(Organization, node)


@strawberry.type
class Capture:
    id: strawberry.ID
    kind: CaptureKind
    sha256: str
    phash: str | None
    captured_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def persons(self, info: Info[Context, None]) -> list[Person]:
        return from_nodes(Person, await related.many(info.context, "capture.persons", self.id))

    @strawberry.field
    async def captured_by(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "capture.capturedBy", self.id))


@strawberry.type
class Twin:
    id: strawberry.ID
    version: int | None
    built_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return from_optional(Person, await related.one(info.context, "twin.person", self.id))

    @strawberry.field
    async def vendor(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "twin.vendor", self.id))

    @strawberry.field(description="The captures the twin was trained on, by capturedAt.")
    async def captures(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Capture]:
        return await _page(info, Capture, "twin.captures", self.id, first, after)

    @strawberry.field
    async def supersedes(self, info: Info[Context, None]) -> Twin | None:
        return from_optional(Twin, await related.one(info.context, "twin.supersedes", self.id))

    @strawberry.field
    async def commissioned_by(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "twin.commissionedBy", self.id))

    @strawberry.field(description="The assets rendering the twin, by publishedAt (or id), kept by `filter`.")
    async def assets(
        self,
        info: Info[Context, None],
        first: int = 50,
        after: str | None = None,
        order_by: AssetOrder | None = None,
        filter: AssetFilter | None = None,
    ) -> Connection[Asset]:
        return await _assets(info, "twin.assets", self.id, first, after, order_by, filter)

    @strawberry.field(description="The consents covering the twin, by signedAt.")
    async def consents(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Consent]:
        return await _page(info, Consent, "twin.consents", self.id, first, after)

    @strawberry.field(
        description="The verdicts holding on the twin itself as of an instant (default now), e.g. "
        "UNCONSENTED_BUILD; an asset's are its provenance's."
    )
    async def verdicts(self, info: Info[Context, None], as_of: datetime | None = None) -> list[Verdict]:
        found = await search.subject_verdicts(info.context, self.id, as_of)
        info.context.bounds.admit(len(found))
        return [Verdict.of(verdict) for verdict in found]


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
    representation: ConsentRepresentation | None = strawberry.field(
        description="How she was represented when she signed (null: not known)."
    )
    replaces_in_person_work: bool | None = strawberry.field(
        description="Whether the replica replaces work she would otherwise do in person (null: not known)."
    )
    ai_training: AiTraining | None = strawberry.field(
        description="Whether files published under it may train or feed AI models, or be mined (null: the "
        "consent says nothing, so not allowed)."
    )
    recorded_at: datetime | None
    _compensation_amount: strawberry.Private[str | None]
    _compensation_currency: strawberry.Private[str | None]
    _compensation_basis: strawberry.Private[str | None]

    @strawberry.field
    def compensation(self) -> Compensation | None:
        return Consent.compensation_of(
            {
                "compensationAmount": self._compensation_amount,
                "compensationCurrency": self._compensation_currency,
                "compensationBasis": self._compensation_basis,
            }
        )

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
    async def person(self, info: Info[Context, None]) -> Person | None:
        return from_optional(Person, await related.one(info.context, "consent.person", self.id))

    @strawberry.field
    async def grantee(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "consent.grantee", self.id))

    @strawberry.field
    async def twins(self, info: Info[Context, None]) -> list[Twin]:
        return from_nodes(Twin, await related.many(info.context, "consent.twins", self.id))

    @strawberry.field
    async def signed_by(self, info: Info[Context, None]) -> Party | None:
        return _party(await related.one(info.context, "consent.signedBy", self.id))

    @strawberry.field
    async def guardian(self, info: Info[Context, None]) -> Person | None:
        return from_optional(Person, await related.one(info.context, "consent.guardian", self.id))

    @strawberry.field
    async def negotiated_by(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "consent.negotiatedBy", self.id))

    @strawberry.field(description="The payments under the consent, by paidAt.")
    async def payments(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Payment]:
        return await _page(info, Payment, "consent.payments", self.id, first, after)


@strawberry.type
class Campaign:
    id: strawberry.ID
    name: str
    starts_at: datetime | None
    ends_at: datetime | None
    recorded_at: datetime | None

    @strawberry.field
    async def brand(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "campaign.brand", self.id))

    @strawberry.field(description="The assets in the campaign, by publishedAt (or id), kept by `filter`.")
    async def assets(
        self,
        info: Info[Context, None],
        first: int = 50,
        after: str | None = None,
        order_by: AssetOrder | None = None,
        filter: AssetFilter | None = None,
    ) -> Connection[Asset]:
        return await _assets(info, "campaign.assets", self.id, first, after, order_by, filter)


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
    machine_readable_mark: bool = strawberry.field(
        description="Whether the asset carries a machine-readable AI mark: published with its file, whether "
        "the file's Content Credentials are VALID (trusted or not: see contentCredentials.trust) and "
        "declare AI generation; else what the publisher declared."
    )
    content_tags: list[str] | None
    recorded_at: datetime | None
    _declared_machine_readable_mark: strawberry.Private[bool | None]
    # what Likeness signed, as JSON (publishAsset with `sign: true`)
    _signed_file: strawberry.Private[str | None]
    # the publisher when the page listing this asset read it along (NOT_READ: the resolver loads it)
    _publisher: strawberry.Private[Any] = dataclasses.field(init=False, default=NOT_READ)

    @strawberry.field(description="The machineReadableMark the publisher declared.")
    def declared_machine_readable_mark(self) -> bool:
        declared = self._declared_machine_readable_mark
        return self.machine_readable_mark if declared is None else declared

    @strawberry.field(
        description="The Content Credentials of the file the asset was published with; null without one."
    )
    async def content_credentials(self, info: Info[Context, None]) -> ContentCredentials | None:
        return ContentCredentials.of(await lookups.credentials(info.context, self.id))

    @strawberry.field(
        description="The file as Likeness signed it (publishAsset with sign: true); null when not signed."
    )
    def signed_file(self) -> SignedFile | None:
        return SignedFile.of(self.id, self.sha256, self._signed_file)

    @strawberry.field(description=_FACE_MATCHES.format(what="asset was published with"))
    async def face_matches(self, info: Info[Context, None]) -> list[FaceMatch]:
        return [FaceMatch.of(match) for match in await face_matches.on_subject(info.context, self.id)]

    @strawberry.field
    async def twins(self, info: Info[Context, None]) -> list[Twin]:
        return from_nodes(Twin, await related.many(info.context, "asset.twins", self.id))

    @strawberry.field(metadata={READ_ALONG: _kept("publisher")})
    async def publisher(self, info: Info[Context, None]) -> Organization | None:
        if self._publisher is not NOT_READ:
            return self._publisher  # type: ignore[no-any-return]
        return from_optional(Organization, await related.one(info.context, "asset.publisher", self.id))

    @strawberry.field
    async def campaign(self, info: Info[Context, None]) -> Campaign | None:
        return from_optional(Campaign, await related.one(info.context, "asset.campaign", self.id))

    @strawberry.field
    async def sublicensed_from(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "asset.sublicensedFrom", self.id))

    @strawberry.field(description="The sightings matching the asset, by observedAt.")
    async def sightings(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Sighting]:
        return await _page(info, Sighting, "asset.sightings", self.id, first, after)


@strawberry.type
class Sighting:
    id: strawberry.ID
    url: str
    observed_at: datetime
    sha256: str | None
    phash: str | None
    recorded_at: datetime | None

    @strawberry.field(
        description="The registered assets this sighting matches, by publishedAt (or id), kept by `filter`."
    )
    async def assets(
        self,
        info: Info[Context, None],
        first: int = 50,
        after: str | None = None,
        order_by: AssetOrder | None = None,
        filter: AssetFilter | None = None,
    ) -> Connection[Asset]:
        return await _assets(info, "sighting.assets", self.id, first, after, order_by, filter)

    @strawberry.field(
        description="The Content Credentials of the file the sighting was reported with; null without one."
    )
    async def content_credentials(self, info: Info[Context, None]) -> ContentCredentials | None:
        return ContentCredentials.of(await lookups.credentials(info.context, self.id))

    @strawberry.field(
        description="True when the sighting was reported with a file that carries no Content Credentials "
        "while an asset it matches (one the caller sees) was recorded with a VALID manifest: the copy "
        "lost them downstream (docs/credentials.md, Stripped copies)."
    )
    async def credentials_stripped(self, info: Info[Context, None]) -> bool:
        return bool(await sightings.lost_manifests(info.context, self.id))

    @strawberry.field(description=_FACE_MATCHES.format(what="sighting was reported with"))
    async def face_matches(self, info: Info[Context, None]) -> list[FaceMatch]:
        return [FaceMatch.of(match) for match in await face_matches.on_subject(info.context, self.id)]

    @strawberry.field
    async def platform(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "sighting.platform", self.id))

    @strawberry.field(
        description="The captures this sighting resembles (same sha256, or perceptual hash within 8 "
        "bits), by capturedAt."
    )
    async def captures(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[Capture]:
        return await _page(info, Capture, "sighting.captures", self.id, first, after)

    @strawberry.field(description="The takedown notices sent about this sighting, by sentAt.")
    async def notices(
        self, info: Info[Context, None], first: int = 50, after: str | None = None
    ) -> Connection[TakedownNotice]:
        return await _page(info, TakedownNotice, "sighting.notices", self.id, first, after)

    @strawberry.field(
        description="The verdicts holding as of an instant (default now) on what this sighting shows: its "
        "own (NOTICE_UNANSWERED, UNREGISTERED_USE), then those of each registered asset it matches."
    )
    async def verdicts(self, info: Info[Context, None], as_of: datetime | None = None) -> list[Verdict]:
        found = await sightings.sighting_verdicts(info.context, self.id, as_of)
        info.context.bounds.admit(len(found))
        return [Verdict.of(verdict) for verdict in found]


@strawberry.type(description="A face's box in pixels of the upright picture (after EXIF orientation).")
class FaceBox:
    left: int
    top: int
    right: int
    bottom: int


@strawberry.type(
    description="A face in a file that is an enrolled person's: within the threshold of a template of hers "
    "(Euclidean distance between face descriptors; no descriptor is ever answered)."
)
class FaceMatch:
    person: Person
    distance: float
    threshold: float
    model: str
    box: FaceBox
    frame_time: float = strawberry.field(description="Seconds into a video; 0 for a still image.")
    _capture_id: strawberry.Private[str]

    @strawberry.field(description="The enrolled capture whose template is nearest; null if not visible.")
    async def capture(self, info: Info[Context, None]) -> Capture | None:
        return from_optional(Capture, await lookups.node(info.context, self._capture_id, "Capture"))

    @staticmethod
    def of(match: FaceMatchRecord) -> FaceMatch:
        left, top, right, bottom = match.box
        return FaceMatch(
            person=from_node(Person, match.person),
            distance=match.distance,
            threshold=match.threshold,
            model=match.model,
            box=FaceBox(left=left, top=top, right=right, bottom=bottom),
            frame_time=match.frame_time,
            _capture_id=match.capture_id,
        )


@strawberry.type(description="A sighting or an asset whose file shows the person's face, and the match.")
class PersonFaceMatch:
    sighting: Sighting | None
    asset: Asset | None
    match: FaceMatch

    @staticmethod
    def of(found: PersonFaceMatchRecord) -> PersonFaceMatch:
        subject = found.subject
        is_sighting = "Sighting" in subject["_labels"]
        return PersonFaceMatch(
            sighting=from_node(Sighting, subject) if is_sighting else None,
            asset=None if is_sighting else from_node(Asset, subject),
            match=FaceMatch.of(found.match),
        )


@strawberry.type
class NoticeResponse:
    responded_at: datetime
    outcome: NoticeOutcome
    note: str | None


@strawberry.type
class TakedownNotice:
    id: strawberry.ID
    sent_at: datetime
    response_hours: int = strawberry.field(
        description="Hours the platform has to act: as given, else the law's clock (clockLaw), else 72."
    )
    basis: str | None = strawberry.field(description="Why the content is unlawful (the notice's reasons).")
    due_at: datetime = strawberry.field(
        description="When the response window closes: sentAt + responseHours."
    )
    clock_law: str | None = strawberry.field(
        description="The law that set responseHours, as id@version (US-TAKE-IT-DOWN@1); null when the hours "
        "were given or no law set them (72)."
    )
    category: NoticeCategory | None = strawberry.field(description="What it is about (null: not said).")
    exact_location: str | None = strawberry.field(description="The exact URL of the content.")
    notifier_name: str | None
    notifier_email: str | None
    good_faith: bool | None = strawberry.field(
        description="Whether the notifier stated her good faith that the notice is accurate and complete."
    )
    recorded_at: datetime | None
    _platform_id: strawberry.Private[str]
    _sent_by_id: strawberry.Private[str]
    _ordered: strawberry.Private[bool | None]
    _response_hours_given: strawberry.Private[bool | None]

    @strawberry.field(description="Whether an authority ordered the takedown.")
    def ordered(self) -> bool:
        return self._ordered is True

    @strawberry.field(description="Whether responseHours was given with the notice (else the law set it).")
    def response_hours_given(self) -> bool:
        return self._response_hours_given is not False

    @strawberry.field(
        description="Where the notice stands as of an instant (default now; null before it was sent): "
        "REMOVED, else OVERDUE once its window closed (NOTICE_UNANSWERED holds), else ANSWERED, else OPEN."
    )
    async def status(self, info: Info[Context, None], as_of: datetime | None = None) -> NoticeStatus | None:
        found, _, _ = await sightings.notice_standing(info.context, self._fields(), as_of)
        return None if found is None else NoticeStatus(found)

    @strawberry.field(description="The platform's answers, oldest first.")
    async def responses(self, info: Info[Context, None]) -> list[NoticeResponse]:
        answers = await sightings.notice_answers(info.context, self.id)
        return [
            NoticeResponse(
                responded_at=answer["respondedAt"],
                outcome=NoticeOutcome(answer["outcome"]),
                note=answer["note"],
            )
            for answer in answers
        ]

    @strawberry.field
    async def sighting(self, info: Info[Context, None]) -> Sighting | None:
        return from_optional(Sighting, await related.one(info.context, "notice.sighting", self.id))

    @strawberry.field
    async def platform(self, info: Info[Context, None]) -> Organization | None:
        return from_optional(Organization, await related.one(info.context, "notice.platform", self.id))

    @strawberry.field
    async def sent_by(self, info: Info[Context, None]) -> Party | None:
        return _party(await related.one(info.context, "notice.sentBy", self.id))

    def _fields(self) -> dict[str, Any]:
        """The notice as the rules read it (the node's own fields)."""
        return {
            "id": self.id,
            "sentAt": self.sent_at,
            "responseHours": self.response_hours,
            "basis": self.basis,
            "platformId": self._platform_id,
            "sentById": self._sent_by_id,
        }


@strawberry.type
class Payment:
    id: strawberry.ID
    amount: Decimal
    currency: str
    paid_at: datetime
    recorded_at: datetime | None

    @strawberry.field
    async def consent(self, info: Info[Context, None]) -> Consent | None:
        return from_optional(Consent, await related.one(info.context, "payment.consent", self.id))


@strawberry.type
class Representation:
    agency_id: strawberry.ID
    person_id: strawberry.ID
    since: date
    until: date | None


NODE_TYPES: dict[str, Any] = {
    "Person": Person,
    "Organization": Organization,
    "Capture": Capture,
    "Twin": Twin,
    "Consent": Consent,
    "Campaign": Campaign,
    "Asset": Asset,
    "Sighting": Sighting,
    "Payment": Payment,
    "TakedownNotice": TakedownNotice,
}

# the type of each single neighbour a page reads along with its rows (resolvers.lists.read_along)
_READ_ALONG: dict[tuple[str, str], type] = {("Asset", "publisher"): Organization}
