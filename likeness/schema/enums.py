"""The contract's enums as GraphQL types: the vocabularies of likeness.events, registered with strawberry
(in place, so the schema's annotations and the event contract name the very same classes)."""

from __future__ import annotations

import strawberry

from likeness.events.vocabulary import (
    AiTraining,
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    ConsentRepresentation,
    LiabilityRole,
    MediaType,
    NoticeCategory,
    NoticeOutcome,
    NoticeStatus,
    OrganizationKind,
)
from likeness.reports.prov import ProvFormat

for _vocabulary in (
    AiTraining,
    OrganizationKind,
    CaptureKind,
    ConsentPurpose,
    ConsentRepresentation,
    MediaType,
    Channel,
    CompensationBasis,
    LiabilityRole,
    NoticeCategory,
    NoticeOutcome,
    NoticeStatus,
):
    strawberry.enum(_vocabulary)
strawberry.enum(ProvFormat, description="A W3C PROV serialization: PROV-JSON, PROV-N or PROV-O in Turtle.")

__all__ = [
    "AiTraining",
    "CaptureKind",
    "Channel",
    "CompensationBasis",
    "ConsentPurpose",
    "ConsentRepresentation",
    "LiabilityRole",
    "MediaType",
    "NoticeCategory",
    "NoticeOutcome",
    "NoticeStatus",
    "OrganizationKind",
    "ProvFormat",
]
