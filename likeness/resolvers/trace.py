"""trace: from a found file (or its hashes) to the registered assets and captures it matches, its Content
Credentials, and the provenance of the best matching asset."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from likeness.errors import InvalidInput
from likeness.events import fields
from likeness.graph.manifests import Ties, carries_no_manifest, ingredient_ties
from likeness.graph.phash import MAX_SEARCH_DISTANCE
from likeness.graph.trace import Candidate, trace_candidates
from likeness.resolvers import provenance as provenance_resolver
from likeness.resolvers.common import as_of_arg
from likeness.resolvers.context import Context
from likeness.resolvers.faces import FoundFace, search_faces
from likeness.resolvers.records import FaceMatchRecord, Node, ProvenanceChain
from likeness.resolvers.uploads import hash_upload, recorded_credentials

MAX_MATCHES = 100


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    node: Node
    # the matched asset was recorded with a VALID manifest, and the traced file carries none
    credentials_stripped: bool = False


@dataclass(frozen=True)
class TracedFaceRecord:
    """A face of a traced file: its box, and the enrolled people it matches that the caller may see."""

    box: tuple[int, int, int, int]
    frame_time: float
    matches: tuple[FaceMatchRecord, ...]


async def _traced_faces(context: Context, found: list[FoundFace]) -> list[TracedFaceRecord]:
    """Each face with its matches the caller may see (graph.visibility's rule for a file not recorded),
    each with its person."""
    threshold = context.faces.threshold
    shown = [
        [match for match in face.matches if context.principal.sees_face_matches_of(match.person_id)]
        for face in found
    ]
    people = await context.nodes().load_many(
        sorted({match.person_id for matches in shown for match in matches})
    )
    by_id = {person["id"]: person for person in people if person is not None}
    traced: list[TracedFaceRecord] = []
    for face, matches in zip(found, shown, strict=True):
        box = face.face.box
        corners = (box.left, box.top, box.right, box.bottom)
        records = tuple(
            FaceMatchRecord(
                person=by_id[match.person_id],
                distance=match.distance,
                threshold=threshold,
                model=match.model,
                box=corners,
                frame_time=face.face.frame_time,
                capture_id=match.capture_id,
            )
            for match in matches
            if match.person_id in by_id
        )
        traced.append(
            TracedFaceRecord((box.left, box.top, box.right, box.bottom), face.face.frame_time, records)
        )
    return traced


@dataclass(frozen=True)
class Traced:
    """What a trace found, as plain data for the schema."""

    sha256: str | None
    phash: str | None
    frame_phashes: tuple[str, ...] | None  # a file's sampled frames (one for an image)
    media_type: str | None
    format: str | None
    credentials: dict[str, Any] | None  # as an event records them (resolvers.uploads), or None
    remote_manifest_url: str | None
    matches: list[Match]
    provenance: ProvenanceChain | None  # of the best matching asset
    # the file's faces (at most media.faces.MAX_FACES described), each with the matches the caller may see
    faces: list[TracedFaceRecord] = field(default_factory=list)
    faces_found: int | None = None  # None: no file was sent


def _arguments(file: Any, sha256: str | None, phash: str | None, max_distance: int, first: int) -> None:
    if file is not None and (sha256 is not None or phash is not None):
        raise InvalidInput("file", "a file and hashes", "give a file, or its sha256 and/or phash, not both")
    if file is None and sha256 is None and phash is None:
        raise InvalidInput("file", None, "give a file, or a sha256 and/or a phash to trace")
    if not 0 <= max_distance <= MAX_SEARCH_DISTANCE:
        raise InvalidInput(
            "maxDistance", max_distance, f"expected a Hamming distance from 0 to {MAX_SEARCH_DISTANCE}"
        )
    if not 1 <= first <= MAX_MATCHES:
        raise InvalidInput("first", first, f"expected a number of matches from 1 to {MAX_MATCHES}")


async def trace(
    context: Context,
    *,
    file: Any,
    sha256: str | None,
    phash: str | None,
    max_distance: int,
    first: int,
    as_of: datetime | None,
) -> Traced:
    """The file's hashes and credentials, its matches the caller may see (best first, at most `first`),
    and the provenance of the best matching asset as of `as_of` (default now)."""
    moment = as_of_arg(as_of)
    _arguments(file, sha256, phash, max_distance, first)
    credentials: dict[str, Any] | None = None
    remote: str | None = None
    frames: tuple[str, ...] | None = None
    media_type = media_format = None
    faces: list[TracedFaceRecord] = []
    faces_found: int | None = None
    if file is not None:
        hashes = await hash_upload(file, context)
        faces_found = hashes.faces.found
        found_faces = await search_faces(context, hashes.faces, sha256=hashes.sha256, purpose="trace")
        faces = await _traced_faces(context, found_faces)
        sha256, phash, frames = hashes.sha256, hashes.phash, hashes.frame_phashes
        media_type, media_format = hashes.media_type, hashes.format
        credentials = recorded_credentials(hashes.content_credentials)
        if credentials is not None and credentials.get("ingredients"):
            credentials = await _with_ties(context, credentials)
        if credentials is not None and credentials["validationState"] == "NONE":
            remote = credentials.get("remoteManifestUrl")
    else:
        sha256 = fields.sha256("sha256", sha256) if sha256 is not None else None
        phash = fields.phash("phash", phash) if phash is not None else None
    phashes = list(frames) if frames else ([phash] if phash else [])
    candidates = await trace_candidates(
        context.graph, sha256=sha256, phashes=phashes, max_distance=max_distance
    )
    matches = await _visible(context, candidates, first)
    if file is not None and carries_no_manifest(credentials):
        matches = await _stripped(context, matches)
    best_asset = next((match for match in matches if match.candidate.kind == "ASSET"), None)
    found = None
    if best_asset is not None:
        found = await provenance_resolver.provenance(context, best_asset.candidate.id, None, moment)
    return Traced(
        sha256=sha256,
        phash=phash,
        frame_phashes=frames,
        media_type=media_type,
        format=media_format,
        credentials=credentials,
        remote_manifest_url=remote,
        matches=matches,
        provenance=found,
        faces=faces,
        faces_found=faces_found,
    )


async def _stripped(context: Context, matches: list[Match]) -> list[Match]:
    """The matches of a file that carries no manifest, each asset recorded with a VALID one (trusted or
    not) marked as having had its credentials stripped (docs/credentials.md, Stripped copies)."""
    assets = [match.candidate.id for match in matches if match.candidate.kind == "ASSET"]
    recorded = await context.credentials().load_many(assets)
    signed = {
        asset_id
        for asset_id, credentials in zip(assets, recorded, strict=True)
        if credentials is not None and credentials["validationState"] == "VALID"
    }
    return [replace(match, credentials_stripped=match.candidate.id in signed) for match in matches]


async def _with_ties(context: Context, credentials: dict[str, Any]) -> dict[str, Any]:
    """The credentials, each ingredient with the known assets and captures it ties to (graph.manifests;
    read through the caller's visibility when shown)."""
    ingredients = credentials["ingredients"]

    async def work(tx: Any) -> Ties:
        return await ingredient_ties(tx, {"": ingredients})

    ties = await context.graph.read(work)
    linked = [dict(ingredient, links=[]) for ingredient in ingredients]
    for (_, index, node_id), (kind, by, found) in sorted(ties.items()):
        linked[index]["links"].append([node_id, kind, by, found])
    return {**credentials, "ingredients": linked}


async def _visible(context: Context, candidates: list[Candidate], first: int) -> list[Match]:
    """The first `first` candidates the caller may see, as nodes, in order (read a page at a time, so that
    a hash near thousands of items reads no more of them than it answers, give or take a page)."""
    matches: list[Match] = []
    page = max(first, 20)
    for start in range(0, len(candidates), page):
        chunk = candidates[start : start + page]
        nodes = await context.nodes().load_many([candidate.id for candidate in chunk])
        matches.extend(Match(c, node) for c, node in zip(chunk, nodes, strict=True) if node is not None)
        if len(matches) >= first:
            break
    return matches[:first]
