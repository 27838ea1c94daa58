"""The contract's enums, as GraphQL sees them (their words live in likeness.events.vocabulary)."""

from __future__ import annotations

import strawberry

from likeness.events import vocabulary

OrganizationKind = strawberry.enum(vocabulary.OrganizationKind)
CaptureKind = strawberry.enum(vocabulary.CaptureKind)
ConsentPurpose = strawberry.enum(vocabulary.ConsentPurpose)
MediaType = strawberry.enum(vocabulary.MediaType)
Channel = strawberry.enum(vocabulary.Channel)
CompensationBasis = strawberry.enum(vocabulary.CompensationBasis)
LiabilityRole = strawberry.enum(vocabulary.LiabilityRole)
