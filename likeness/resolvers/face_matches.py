"""Face matches: which enrolled persons' faces a sighting's or an asset's file shows, and a person's matches,
as the caller may see them (graph.visibility.face_match_visible filters inside the read). The loaders count
what they answer against the operation's object cap."""

from __future__ import annotations

from likeness.graph.face_matches import PERSON_MATCHES_LIMIT
from likeness.resolvers.context import Context
from likeness.resolvers.records import FaceMatchRecord, PersonFaceMatchRecord

__all__ = ["PERSON_MATCHES_LIMIT", "of_person", "on_subject"]


async def on_subject(context: Context, subject_id: str) -> list[FaceMatchRecord]:
    """The face matches on a sighting or an asset the caller was shown, by person."""
    found = await context.face_matches().load(subject_id)
    return [FaceMatchRecord.of(match) for match in found]


async def of_person(context: Context, person_id: str) -> list[PersonFaceMatchRecord]:
    """The sightings and assets showing the person's face, most recent first, with the match."""
    found = await context.person_face_matches().load(person_id)
    return [
        PersonFaceMatchRecord(subject=subject, match=FaceMatchRecord.of(match)) for subject, match in found
    ]
