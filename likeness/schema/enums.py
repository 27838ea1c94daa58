"""The contract's enums as GraphQL types: the vocabularies of likeness.events, registered with strawberry
(in place, so the schema's annotations and the event contract name the very same classes)."""

from __future__ import annotations

import strawberry

from likeness.events.vocabulary import (
    CaptureKind,
    Channel,
    CompensationBasis,
    ConsentPurpose,
    LiabilityRole,
    MediaType,
    NoticeOutcome,
    NoticeStatus,
    OrganizationKind,
)
from likeness.reports.prov import ProvFormat

for _vocabulary in (
    OrganizationKind,
    CaptureKind,
    ConsentPurpose,
    MediaType,
    Channel,
    CompensationBasis,
    LiabilityRole,
    NoticeOutcome,
    NoticeStatus,
):
    strawberry.enum(_vocabulary)
strawberry.enum(ProvFormat, description="A W3C PROV serialization: PROV-JSON, PROV-N or PROV-O in Turtle.")

__all__ = [
    "CaptureKind",
    "Channel",
    "CompensationBasis",
    "ConsentPurpose",
    "LiabilityRole",
    "MediaType",
    "NoticeOutcome",
    "NoticeStatus",
    "OrganizationKind",
    "ProvFormat",
]
