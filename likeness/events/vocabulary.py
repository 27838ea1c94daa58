"""The contract's vocabularies, defined once: the GraphQL enums, the input checks and the rules'
words all come from these."""

from __future__ import annotations

from enum import StrEnum


class OrganizationKind(StrEnum):
    BRAND = "BRAND"
    VENDOR = "VENDOR"
    AGENCY = "AGENCY"
    STUDIO = "STUDIO"
    PLATFORM = "PLATFORM"


class CaptureKind(StrEnum):
    PHOTO = "PHOTO"
    VIDEO = "VIDEO"
    SCAN_3D = "SCAN_3D"
    VOICE = "VOICE"


class ConsentPurpose(StrEnum):
    BUILD = "BUILD"
    USE = "USE"


class MediaType(StrEnum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"


class Channel(StrEnum):
    INSTAGRAM = "INSTAGRAM"
    TIKTOK = "TIKTOK"
    YOUTUBE = "YOUTUBE"
    WEB = "WEB"
    ECOMMERCE = "ECOMMERCE"
    PRINT = "PRINT"
    OUT_OF_HOME = "OUT_OF_HOME"
    TV = "TV"


class CompensationBasis(StrEnum):
    FLAT = "FLAT"
    PER_USE = "PER_USE"
    ROYALTY = "ROYALTY"


class LiabilityRole(StrEnum):
    PRIMARY = "PRIMARY"
    SECONDARY = "SECONDARY"


def words(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """A vocabulary's words in their declared order."""
    return tuple(member.value for member in vocabulary)
