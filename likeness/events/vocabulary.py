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
    # the person's consent to having her face matched for her protection (GDPR art. 9(2)(a), BIPA §15(b)):
    # it names no grantee and no twins; enrolment (enrollLikeness) needs one in force
    MATCHING = "MATCHING"


class ConsentRepresentation(StrEnum):
    """How the person was represented when she signed a consent (NY GOL s. 5-302, Cal. Lab. Code s. 927)."""

    COUNSEL = "COUNSEL"  # by a lawyer
    UNION = "UNION"  # under a collective bargaining agreement
    NONE = "NONE"


class AiTraining(StrEnum):
    """Whether a USE consent lets the files published under it be used to train or feed AI models, or be
    mined: what a signed file's cawg.training-mining assertion says (likeness.media.signing). A consent that
    says nothing allows none of it."""

    ALLOWED = "ALLOWED"
    NOT_ALLOWED = "NOT_ALLOWED"
    CONSTRAINED = "CONSTRAINED"  # allowed under terms the consent's description states


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


class NoticeOutcome(StrEnum):
    """How a platform answered a takedown notice."""

    REMOVED = "REMOVED"
    REFUSED = "REFUSED"
    COUNTER_NOTICE = "COUNTER_NOTICE"


class NoticeCategory(StrEnum):
    """What a takedown notice is about, as far as the laws' clocks tell kinds apart."""

    INTIMATE = "INTIMATE"  # intimate imagery (US TAKE IT DOWN Act: 48 hours)
    OTHER = "OTHER"


class NoticeStatus(StrEnum):
    """Where a takedown notice stands as of an instant (one of these at a time)."""

    OPEN = "OPEN"  # no answer yet, its response window still running
    ANSWERED = "ANSWERED"  # refused or counter-noticed, its response window still running
    REMOVED = "REMOVED"  # the platform answered that it removed the content
    OVERDUE = "OVERDUE"  # its window has closed without a removal: NOTICE_UNANSWERED holds


class LiabilityRole(StrEnum):
    PRIMARY = "PRIMARY"
    SECONDARY = "SECONDARY"


def words(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """A vocabulary's words in their declared order."""
    return tuple(member.value for member in vocabulary)
