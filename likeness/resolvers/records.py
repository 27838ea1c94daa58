"""The shapes of the resolvers' answers, as the schema reads them.

A resolver answers plain Python: nodes (their properties by API name, with `_labels`), the rules'
dataclasses, the records below, and the records of its own module (an audit page's rows, a usage
page's). The schema wraps them into GraphQL types and reads nothing else: no storage row, no graph or
rules name. Where an answer is one of the rules' dataclasses (a verdict, a pre-flight check), a protocol
here says what the schema reads of it, so that it is wrapped as it comes, without a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from likeness.rules.facts import Liability, Verdict

# a node as a resolver answers it: its properties by their API (camelCase) names, and its `_labels`
Node = dict[str, Any]


class LiableParty(Protocol):
    """A party liable under a verdict, and its role (PRIMARY or SECONDARY)."""

    @property
    def party_id(self) -> str: ...
    @property
    def role(self) -> str: ...


class VerdictRecord(Protocol):
    """What an answer's verdict holds (rules.facts.Verdict)."""

    @property
    def code(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def liable(self) -> tuple[LiableParty, ...]: ...
    @property
    def consent_ids(self) -> tuple[str, ...]: ...
    @property
    def failed_clauses(self) -> tuple[str, ...]: ...
    @property
    def evidence(self) -> tuple[str, ...]: ...
    @property
    def explanation(self) -> str: ...
    @property
    def laws(self) -> tuple[str, ...]: ...
    @property
    def would_break(self) -> tuple[str, ...]: ...


class TwinCheckRecord(Protocol):
    """How one twin of a planned use fares (rules.facts.TwinUseCheck)."""

    @property
    def twin_id(self) -> str: ...
    @property
    def person_id(self) -> str | None: ...
    @property
    def permitted(self) -> bool: ...
    @property
    def consent_id(self) -> str | None: ...
    @property
    def failed_clauses(self) -> tuple[str, ...]: ...
    @property
    def code(self) -> str | None: ...


class UseCheckRecord(Protocol):
    """A pre-flight answer (rules.facts.UseCheck): permitted or not, the code, and per twin."""

    @property
    def permitted(self) -> bool: ...
    @property
    def code(self) -> str | None: ...
    @property
    def twins(self) -> tuple[TwinCheckRecord, ...]: ...


@dataclass(frozen=True)
class ProvenanceChain:
    """An asset's provenance as of an instant: the chain behind it (each part as far as the caller may see
    it, sorted by id), the verdicts holding on it, and the parties liable across them."""

    as_of: datetime
    asset: Node
    twins: list[Node]
    captures: list[Node]
    persons: list[Node]
    vendors: list[Node]
    publisher: Node | None
    sublicensed_from: Node | None
    campaign: Node | None
    consents: list[Node]  # the consents naming the asset's twins
    verdicts: tuple[Verdict, ...]
    liable: tuple[Liability, ...]  # every liable party once, the primary ones first

    @property
    def nodes(self) -> list[Node]:
        """Every node of the chain: the asset, then each part in order."""
        ones = [node for node in (self.publisher, self.sublicensed_from, self.campaign) if node is not None]
        return [self.asset, *self.twins, *self.captures, *self.persons, *self.vendors, *ones, *self.consents]

    @property
    def permitted(self) -> bool:
        """True when no verdict holds against the asset."""
        return not self.verdicts


@dataclass(frozen=True)
class FaceMatchRecord:
    """A face of an enrolled person in a file: where it is, how near her nearest enrolled capture it lies,
    by which model and threshold. Never a vector."""

    person: Node
    distance: float
    threshold: float
    model: str
    box: tuple[int, int, int, int]  # left, top, right, bottom, in pixels of the upright picture
    frame_time: float
    capture_id: str

    @staticmethod
    def of(match: dict[str, Any]) -> FaceMatchRecord:
        """The record of a face match as graph.face_matches reads it."""
        left, top, right, bottom = (int(side) for side in match["box"])
        return FaceMatchRecord(
            person=match["person"],
            distance=float(match["distance"]),
            threshold=float(match["threshold"]),
            model=str(match["model"]),
            box=(left, top, right, bottom),
            frame_time=float(match["frameTime"]),
            capture_id=str(match["captureId"]),
        )


@dataclass(frozen=True)
class PersonFaceMatchRecord:
    """A sighting or an asset whose file shows the person's face, and the match."""

    subject: Node  # a Sighting or an Asset node
    match: FaceMatchRecord
