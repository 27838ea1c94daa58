"""Likeness matching's shapes beside the nodes' (schema.nodes: FaceBox, FaceMatch): a traced face and an
enrolment. None carries a vector: the API never answers one (docs/faces.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from likeness.events.fields import parse_instant
from likeness.resolvers.trace import TracedFaceRecord
from likeness.schema.nodes import FaceBox, FaceMatch


def _box(box: Any) -> FaceBox:
    left, top, right, bottom = box
    return FaceBox(left=left, top=top, right=right, bottom=bottom)


@strawberry.type(description="A face found in a traced file, with the enrolled people it matches.")
class TracedFace:
    box: FaceBox
    frame_time: float = strawberry.field(description="Seconds into a video; 0 for an image.")
    matches: list[FaceMatch] = strawberry.field(
        description="Nearest first; only the matches the caller may see (docs/faces.md, Who sees a match)."
    )

    @classmethod
    def of(cls, traced: TracedFaceRecord) -> TracedFace:
        return cls(
            box=_box(traced.box),
            frame_time=traced.frame_time,
            matches=[FaceMatch.of(match) for match in traced.matches],
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
            box=_box(data["box"]),
            model=data["model"],
            enrolled_at=parse_instant(data["enrolledAt"]),
        )
