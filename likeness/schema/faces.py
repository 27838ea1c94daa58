"""Likeness matching's shapes: a face's box, a match of a face with an enrolled person, a traced face, and
an enrolment. None carries a vector: the API never answers one (docs/faces.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from likeness.events.fields import parse_instant
from likeness.resolvers import lookups
from likeness.resolvers.context import Context
from likeness.resolvers.faces import FoundFace
from likeness.schema.convert import from_optional
from likeness.schema.nodes import Capture, Person


@strawberry.type(description="Where a face is: pixels of the upright picture (after its EXIF orientation).")
class FaceBox:
    left: int
    top: int
    right: int
    bottom: int

    @classmethod
    def of(cls, box: Sequence[int]) -> FaceBox:
        left, top, right, bottom = box
        return cls(left=left, top=top, right=right, bottom=bottom)


@strawberry.type(description="A face within the match distance of an enrolled person's face template.")
class FaceMatch:
    person_id: strawberry.ID
    distance: float = strawberry.field(description="Euclidean distance between the face and her template.")
    threshold: float = strawberry.field(description="The match distance it was found under.")
    model: str = strawberry.field(description="The face model (docs/faces.md).")
    box: FaceBox
    frame_time: float = strawberry.field(description="Seconds into a video; 0 for an image.")
    capture_id: strawberry.ID = strawberry.field(description="The enrolled capture nearest the face.")

    @strawberry.field(description="The person, when the caller may see her.")
    async def person(self, info: Info[Context, None]) -> Person | None:
        return from_optional(Person, await lookups.node(info.context, self.person_id, "Person"))

    @strawberry.field(description="The nearest enrolled capture, when the caller may see it.")
    async def capture(self, info: Info[Context, None]) -> Capture | None:
        return from_optional(Capture, await lookups.node(info.context, self.capture_id, "Capture"))


@strawberry.type(description="A face found in a traced file, with the enrolled people it matches.")
class TracedFace:
    box: FaceBox
    frame_time: float = strawberry.field(description="Seconds into a video; 0 for an image.")
    matches: list[FaceMatch] = strawberry.field(
        description="Nearest first; only the matches the caller may see (docs/faces.md, Who sees a match)."
    )

    @classmethod
    def of(cls, found: FoundFace, threshold: float) -> TracedFace:
        box = FaceBox.of(found.face.box.as_list())
        return cls(
            box=box,
            frame_time=found.face.frame_time,
            matches=[
                FaceMatch(
                    person_id=strawberry.ID(match.person_id),
                    distance=match.distance,
                    threshold=threshold,
                    model=match.model,
                    box=box,
                    frame_time=found.face.frame_time,
                    capture_id=strawberry.ID(match.capture_id),
                )
                for match in found.matches
            ],
        )


@strawberry.type(description="A person's face enrolled for likeness matching (never its template).")
class FaceEnrollment:
    person_id: strawberry.ID
    capture_id: strawberry.ID
    sha256: str = strawberry.field(description="The capture's file the template was computed from.")
    box: FaceBox
    model: str
    enrolled_at: datetime

    @classmethod
    def of(cls, data: dict[str, Any]) -> FaceEnrollment:
        return cls(
            person_id=strawberry.ID(data["personId"]),
            capture_id=strawberry.ID(data["captureId"]),
            sha256=data["sha256"],
            box=FaceBox.of(data["box"]),
            model=data["model"],
            enrolled_at=parse_instant(data["enrolledAt"]),
        )
