"""The plain facts the rules read: what the graph knows around one asset or one twin.

Every instant is a timezone-aware ``datetime`` in UTC. Windows are half-open: ``[start, end)``.
The graph layer builds these from Neo4j; the rules never see Neo4j, GraphQL or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Purpose = Literal["BUILD", "USE"]
Role = Literal["PRIMARY", "SECONDARY"]

WORLDWIDE = "*"


@dataclass(frozen=True)
class PersonFacts:
    id: str
    birth_date: date | None = None
    # ISO 3166-1 or 3166-2 code (US-NY): the law she lives under, when recorded
    jurisdiction: str | None = None


@dataclass(frozen=True)
class CompensationFacts:
    amount: Decimal
    currency: str
    basis: str  # FLAT | PER_USE | ROYALTY


@dataclass(frozen=True)
class ConsentFacts:
    """One written grant by a person, as recorded (revocation included when known)."""

    id: str
    purpose: Purpose
    person_id: str
    grantee_id: str
    signed_by_id: str
    signed_at: datetime
    valid_from: datetime
    valid_until: datetime | None = None
    twin_ids: frozenset[str] = frozenset()
    guardian_id: str | None = None
    negotiated_by_id: str | None = None
    # None means the consent does not restrict that dimension; territories may hold WORLDWIDE.
    media_types: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    territories: frozenset[str] | None = None
    prohibited_content: frozenset[str] = frozenset()
    description: str | None = None
    compensation: CompensationFacts | None = None
    sublicensable: bool = False
    takedown_days: int = 30
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class TwinFacts:
    id: str
    person_id: str
    vendor_id: str
    built_at: datetime
    capture_ids: frozenset[str] = frozenset()
    # capture id -> ids of the persons that capture depicts
    capture_depicts: dict[str, frozenset[str]] = field(default_factory=dict)
    commissioned_by_id: str | None = None


@dataclass(frozen=True)
class TwinWorld:
    """Everything the build rules need for one twin."""

    twin: TwinFacts
    person: PersonFacts
    # every consent granted by the twin's person (the rules pick the BUILD ones to the vendor)
    consents: tuple[ConsentFacts, ...] = ()


@dataclass(frozen=True)
class AssetFacts:
    id: str
    publisher_id: str
    twin_ids: frozenset[str]
    media_type: str
    channel: str
    territories: frozenset[str]
    published_at: datetime
    ai_label: bool
    machine_readable_mark: bool
    content_tags: frozenset[str] = frozenset()
    sublicensed_from_id: str | None = None
    campaign_id: str | None = None
    campaign_brand_id: str | None = None
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class SightingFacts:
    id: str
    observed_at: datetime
    platform_id: str | None = None


@dataclass(frozen=True)
class FaceMatchFacts:
    """A face in a sighting's or an asset's file that is an enrolled person's (within the threshold): the
    nearest face of hers, recorded with the file (SHOWS_FACE_OF). Never a vector."""

    person_id: str
    capture_id: str  # the enrolled capture whose template is nearest
    distance: float
    threshold: float
    model: str
    box: tuple[int, int, int, int]  # left, top, right, bottom, in pixels of the upright picture
    frame_time: float = 0.0  # seconds into a video; 0 for a still image


@dataclass(frozen=True)
class AssetWorld:
    """Everything the use rules need for one asset."""

    asset: AssetFacts
    # twin id -> the twin's world (its person, and that person's consents)
    twins: dict[str, TwinWorld]
    # sightings that matched this asset
    sightings: tuple[SightingFacts, ...] = ()
    # the enrolled persons whose faces its file shows, by person
    faces: tuple[FaceMatchFacts, ...] = ()


@dataclass(frozen=True)
class NoticeResponseFacts:
    """A platform's answer to a takedown notice: REMOVED, REFUSED or COUNTER_NOTICE."""

    responded_at: datetime
    outcome: str
    note: str | None = None


@dataclass(frozen=True)
class NoticeFacts:
    """A takedown notice about a sighting, sent to a platform, with the answers recorded to it."""

    id: str
    platform_id: str
    sent_by_id: str
    sent_at: datetime
    response_hours: int = 72
    basis: str | None = None
    responses: tuple[NoticeResponseFacts, ...] = ()


@dataclass(frozen=True)
class ResemblanceFacts:
    """A capture a sighting resembles (same sha256, or perceptual hash within 8 bits)."""

    capture_id: str
    person_ids: frozenset[str]
    captured_at: datetime
    distance: int


@dataclass(frozen=True)
class MatchFacts:
    """A registered asset a sighting matches (same sha256, or perceptual hash within 8 bits)."""

    asset_id: str
    published_at: datetime
    distance: int


@dataclass(frozen=True)
class SightingWorld:
    """Everything the sighting rules need for one sighting."""

    sighting: SightingFacts
    url: str = ""
    # the captures it resembles and the assets it matches, whenever they were recorded
    resembles: tuple[ResemblanceFacts, ...] = ()
    matches: tuple[MatchFacts, ...] = ()
    notices: tuple[NoticeFacts, ...] = ()
    # the enrolled persons whose faces its file shows, by person
    faces: tuple[FaceMatchFacts, ...] = ()


@dataclass(frozen=True)
class Liability:
    party_id: str
    role: Role


@dataclass(frozen=True)
class Verdict:
    code: str
    subject_id: str
    liable: tuple[Liability, ...]
    consent_ids: tuple[str, ...] = ()
    failed_clauses: tuple[str, ...] = ()
    # alternating node ids and relationship types: ("A1", "RENDERS", "T1", "REPLICA_OF", "P1", ...)
    evidence: tuple[str, ...] = ()
    explanation: str = ""
    # the laws grounding it and the proposals it would break, as ``ID@version`` (likeness.laws): never
    # set by the rules; the stored verdicts carry them (verdicts.refresh grounds each one)
    laws: tuple[str, ...] = ()
    would_break: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerdictSpan:
    """The verdicts that hold for every as-of instant in ``[start, end)`` (end None = open)."""

    start: datetime
    end: datetime | None
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class Coverage:
    """Whether a use is covered at an instant, and until when."""

    permitted: bool
    # the permitting consents (empty when not permitted)
    consent_ids: tuple[str, ...] = ()
    # the first instant at or after the asked one at which the use is no longer covered
    uncovered_from: datetime | None = None
    # EXPIRED or REVOKED: why coverage ends at uncovered_from
    cause: str | None = None


@dataclass(frozen=True)
class UseRequest:
    """A planned or published use: what checkUsage asks and what an asset is."""

    twin_ids: frozenset[str]
    publisher_id: str
    media_type: str
    channel: str
    territories: frozenset[str]
    at: datetime
    content_tags: frozenset[str] = frozenset()
    sublicensed_from_id: str | None = None


@dataclass(frozen=True)
class TwinUseCheck:
    """How one twin of a planned use fares: the consent that permits it, or the closest failing one."""

    twin_id: str
    # None when the twin is not known to the caller's facts
    person_id: str | None
    permitted: bool
    # the permitting consent, else the candidate failing the fewest clauses, else None
    consent_id: str | None = None
    failed_clauses: tuple[str, ...] = ()
    # the verdict code this twin's use would get (None when permitted)
    code: str | None = None


@dataclass(frozen=True)
class UseCheck:
    """A brand's pre-flight answer: would this use be permitted, and per twin by which consent."""

    permitted: bool
    # the verdict code the use would get: that of the first failing twin by twin id (None if permitted)
    code: str | None = None
    twins: tuple[TwinUseCheck, ...] = ()
