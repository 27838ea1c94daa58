"""Likeness matching at the front door: the faces of a file sent to the API searched among the enrolled
people's templates (graph.faces, Neo4j's vector index), each search rate-limited per key and logged like a
regulator's query, and a match shown only to whoever may see it (docs/faces.md).

No vector leaves here: a search answers boxes, people, captures and distances.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from likeness.access import log
from likeness.errors import Refused
from likeness.graph.faces import TemplateMatch, nearest_templates

if TYPE_CHECKING:
    from likeness.config import Settings
    from likeness.media.faces import Face, FaceScan
    from likeness.resolvers.context import Context

# the window a key's face searches are counted over
_WINDOW_SECONDS = 60.0


@dataclass
class FaceSearches:
    """The app's face searches: the match distance, and each key's searches of the last minute."""

    threshold: float = 0.6
    per_minute: int = 30
    _recent: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, settings: Settings) -> FaceSearches:
        return cls(
            threshold=settings.likeness_face_match_distance,
            per_minute=settings.likeness_face_searches_per_minute,
        )

    def admit(self, key: str) -> None:
        """Count one search of `key`; RATE_LIMITED (naming `file`, with the limit and when to come back)
        when it has made `per_minute` in the last minute already. 0 means no limit."""
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        recent = self._recent.setdefault(key, deque())
        while recent and recent[0] <= now - _WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= self.per_minute:
            wait = math.ceil(recent[0] + _WINDOW_SECONDS - now)
            raise Refused(
                "RATE_LIMITED",
                "file",
                f"this key searched faces {len(recent)} times in the last minute; at most {self.per_minute} "
                f"a minute are answered (LIKENESS_FACE_SEARCHES_PER_MINUTE). Send it again in {wait} s",
            )
        recent.append(now)


@dataclass(frozen=True)
class FoundFace:
    """One face of a file: where it is, and the enrolled people it matches (nearest first)."""

    face: Face
    matches: tuple[TemplateMatch, ...]


async def search_faces(context: Context, scan: FaceScan, *, sha256: str, purpose: str) -> list[FoundFace]:
    """Search each face of a file among the templates (rate-limited per key, logged with the file's sha256
    and what was found, never a vector); a file without faces searches nothing and is not counted."""
    if not scan.faces:
        return []
    searches = context.faces
    searches.admit(context.principal.credential or context.principal.name)
    matches = await nearest_templates(
        context.graph,
        [face.vector for face in scan.faces],
        threshold=searches.threshold,
        at=context.now(),
    )
    found = [
        FoundFace(face, tuple(match for match in matches if match.face == index))
        for index, face in enumerate(scan.faces)
    ]
    await log.append_now(
        context.graph,
        principal=context.principal.name,
        operation=f"faceSearch {purpose}",
        target=sha256,
        variables={
            "faces": scan.found,
            "searched": len(scan.faces),
            "matches": sorted({match.person_id for match in matches}),
        },
    )
    return found


def recorded_matches(found: Sequence[FoundFace], threshold: float) -> list[dict[str, Any]]:
    """What a sighting or an asset records of its file's matches (the contract's `faceMatches`): the
    nearest face of each person shown."""
    nearest: dict[str, dict[str, Any]] = {}
    for item in found:
        for match in item.matches:
            kept = nearest.get(match.person_id)
            if kept is None or match.distance < kept["distance"]:
                nearest[match.person_id] = {
                    "personId": match.person_id,
                    "captureId": match.capture_id,
                    "distance": match.distance,
                    "box": item.face.box.as_list(),
                    "frameTime": item.face.frame_time,
                    "model": match.model,
                    "threshold": threshold,
                }
    return [nearest[person] for person in sorted(nearest)]
