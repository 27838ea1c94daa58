"""The contract's enums."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class OrganizationKind(Enum):
    BRAND = "BRAND"
    VENDOR = "VENDOR"
    AGENCY = "AGENCY"
    STUDIO = "STUDIO"
    PLATFORM = "PLATFORM"


@strawberry.enum
class CaptureKind(Enum):
    PHOTO = "PHOTO"
    VIDEO = "VIDEO"
    SCAN_3D = "SCAN_3D"
    VOICE = "VOICE"


@strawberry.enum
class ConsentPurpose(Enum):
    BUILD = "BUILD"
    USE = "USE"


@strawberry.enum
class MediaType(Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"


@strawberry.enum
class Channel(Enum):
    INSTAGRAM = "INSTAGRAM"
    TIKTOK = "TIKTOK"
    YOUTUBE = "YOUTUBE"
    WEB = "WEB"
    ECOMMERCE = "ECOMMERCE"
    PRINT = "PRINT"
    OUT_OF_HOME = "OUT_OF_HOME"
    TV = "TV"


@strawberry.enum
class CompensationBasis(Enum):
    FLAT = "FLAT"
    PER_USE = "PER_USE"
    ROYALTY = "ROYALTY"


@strawberry.enum
class LiabilityRole(Enum):
    PRIMARY = "PRIMARY"
    SECONDARY = "SECONDARY"
