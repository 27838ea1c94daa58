"""Content Credentials as GraphQL types: what a file's C2PA manifest says (docs/hashing.md), as recorded
with an asset or sighting, or as read from a traced file."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from likeness.events.fields import parse_instant
from likeness.resolvers import lookups
from likeness.resolvers.context import Context
from likeness.schema.convert import from_optional

if TYPE_CHECKING:
    from likeness.schema.nodes import Asset, Capture


@strawberry.enum
class ValidationState(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    NONE = "NONE"


@strawberry.enum(
    description="Whether a file's Content Credentials can be relied on (docs/credentials.md, Trust): "
    "TRUSTED, valid and signed under a configured trust anchor (LIKENESS_C2PA_TRUST_ANCHORS); UNTRUSTED, "
    "valid (intact and well signed) but the signer chains to no configured anchor; INVALID, tampered with "
    "or broken (the failures give the C2PA status codes); NONE, the file carries no manifest."
)
class CredentialTrust(StrEnum):
    TRUSTED = "TRUSTED"
    UNTRUSTED = "UNTRUSTED"
    INVALID = "INVALID"
    NONE = "NONE"


def trust_of(recorded: dict[str, Any]) -> CredentialTrust:
    """The trust of credentials as an event records them: VALID and trusted, VALID, INVALID or NONE (a
    record made before `trusted` was recorded reads as untrusted)."""
    state = recorded["validationState"]
    if state == "VALID":
        return CredentialTrust.TRUSTED if recorded.get("trusted") else CredentialTrust.UNTRUSTED
    return CredentialTrust(state)


@strawberry.enum
class MatchKind(StrEnum):
    ASSET = "ASSET"
    CAPTURE = "CAPTURE"


async def _node_of(info: Info[Context, None], node_id: str, label: str, kind: str) -> Any:
    from likeness.schema import nodes

    cls = nodes.Asset if label == "Asset" else nodes.Capture
    return (
        from_optional(cls, await lookups.node(info.context, node_id, label))
        if kind == label.upper()
        else None
    )


@strawberry.type(description="A known asset or capture an ingredient is tied to, and by what.")
class IngredientLink:
    kind: MatchKind
    matched_by: str = strawberry.field(description="dataSha256, activeManifest or thumbnailPhash.")
    distance: int | None = strawberry.field(description="The thumbnail's phash distance, when matched by it.")
    _node_id: strawberry.Private[str]

    @strawberry.field
    async def asset(
        self, info: Info[Context, None]
    ) -> Annotated[Asset, strawberry.lazy("likeness.schema.nodes")] | None:
        return await _node_of(info, self._node_id, "Asset", self.kind.value)

    @strawberry.field
    async def capture(
        self, info: Info[Context, None]
    ) -> Annotated[Capture, strawberry.lazy("likeness.schema.nodes")] | None:
        return await _node_of(info, self._node_id, "Capture", self.kind.value)


@strawberry.type(description="A file the manifest says this one was made from.")
class ContentIngredient:
    title: str | None
    format: str | None
    relationship: str | None = strawberry.field(description="parentOf, componentOf or inputTo.")
    document_id: str | None
    instance_id: str | None
    active_manifest: str | None
    declares_ai_generation: bool | None
    data_sha256: str | None
    thumbnail_phash: str | None
    links: list[IngredientLink] = strawberry.field(
        description="The known assets and captures it is tied to (only for recorded credentials)."
    )


@strawberry.type(description="What a file's Content Credentials (C2PA) say, as validated by the C2PA SDK.")
class ContentCredentials:
    validation_state: ValidationState
    trust: CredentialTrust = strawberry.field(
        description="TRUSTED, UNTRUSTED (valid, signer not under a configured anchor), INVALID or NONE."
    )
    failures: list[str] = strawberry.field(description="C2PA validation status codes.")
    manifest_label: str | None
    claim_generator: str | None
    signer: str | None = strawberry.field(description="The CN of the signing certificate's subject.")
    signer_organization: str | None = strawberry.field(
        description="The O of the signing certificate's subject."
    )
    signed_at: datetime | None
    digital_source_types: list[str]
    declares_ai_generation: bool
    ingredients: list[ContentIngredient]
    remote_manifest_url: str | None

    @classmethod
    def of(cls, recorded: dict[str, Any] | None) -> ContentCredentials | None:
        """From the credentials as an event records them (resolvers.uploads); ingredients may carry the
        `links` graph.manifests.credentials_of adds."""
        if recorded is None:
            return None
        signed_at = recorded.get("signedAt")
        return cls(
            validation_state=ValidationState(recorded["validationState"]),
            trust=trust_of(recorded),
            failures=list(recorded.get("failures", [])),
            manifest_label=recorded.get("manifestLabel"),
            claim_generator=recorded.get("claimGenerator"),
            signer=recorded.get("signer"),
            signer_organization=recorded.get("signerOrganization"),
            signed_at=parse_instant(signed_at.replace("Z", "+00:00")) if signed_at else None,
            digital_source_types=list(recorded.get("digitalSourceTypes", [])),
            declares_ai_generation=bool(recorded.get("declaresAiGeneration", False)),
            remote_manifest_url=recorded.get("remoteManifestUrl"),
            ingredients=[
                ContentIngredient(
                    title=item.get("title"),
                    format=item.get("format"),
                    relationship=item.get("relationship"),
                    document_id=item.get("documentId"),
                    instance_id=item.get("instanceId"),
                    active_manifest=item.get("activeManifest"),
                    declares_ai_generation=item.get("declaresAiGeneration"),
                    data_sha256=item.get("dataSha256"),
                    thumbnail_phash=item.get("thumbnailPhash"),
                    links=[
                        IngredientLink(kind=MatchKind(kind), matched_by=by, distance=found, _node_id=node_id)
                        for node_id, kind, by, found in item.get("links", [])
                    ],
                )
                for item in recorded.get("ingredients", [])
            ],
        )
