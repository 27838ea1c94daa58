"""`likeness hash FILE…`: each file's sha256, perceptual hash, Content Credentials and faces (boxes, never
templates), one JSON object a line.

No Neo4j needed: a file is read and hashed here (likeness.media), nothing is recorded.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from likeness.errors import InvalidInput

if TYPE_CHECKING:
    from likeness.media.faces import FaceScan
    from likeness.media.hashing import MediaHashes

hash_app = typer.Typer()

# what only a video has; an image's single frame is its phash
_VIDEO_ONLY = ("frame_phashes", "frame_times", "duration")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _plain(value: Any) -> Any:
    """A dataclass tree as JSON values: camelCase keys, instants in ISO 8601, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_camel(field.name): _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def hashes_as_json(file: str, hashes: MediaHashes) -> dict[str, Any]:
    """The JSON object `likeness hash` prints for one file (docs/hashing.md shows one)."""
    answer: dict[str, Any] = {"file": file}
    for field in dataclasses.fields(hashes):
        if hashes.media_type == "IMAGE" and field.name in _VIDEO_ONLY:
            continue
        if field.name == "faces":
            answer["faces"] = faces_as_json(hashes.faces, video=hashes.media_type == "VIDEO")
            continue
        answer[_camel(field.name)] = _plain(getattr(hashes, field.name))
    return answer


def faces_as_json(scan: FaceScan, *, video: bool) -> dict[str, Any]:
    """The faces as printed: how many were found and described, and each one's box ([left, top, right,
    bottom] in the upright picture's pixels) and, for a video, its frame's time. Never a template."""
    faces: list[dict[str, Any]] = []
    for face in scan.faces:
        shown: dict[str, Any] = {"box": face.box.as_list()}
        if video:
            shown["frameTime"] = face.frame_time
        faces.append(shown)
    return {"model": scan.model, "found": scan.found, "described": len(scan.faces), "faces": faces}


@hash_app.command("hash")
def hash_command(
    files: list[Path] = typer.Argument(
        ..., metavar="FILE", help="Image or video files: JPEG, PNG, WebP, GIF, MP4, MOV, WebM."
    ),
    trust_anchors: Path | None = typer.Option(
        None,
        "--trust-anchors",
        exists=True,
        dir_okay=False,
        help="PEM certificates: Content Credentials signed under them read as trusted "
        "(default: LIKENESS_C2PA_TRUST_ANCHORS).",
    ),
) -> None:
    """Print each file's sha256, phash, Content Credentials and faces: one JSON object a line.

    A video gets a phash per sampled frame. Faces are listed by their boxes (never their templates). A bad
    file gets an error object, and the exit code is 1.
    """
    # imported here: Pillow, PyAV, imagehash, the C2PA SDK and dlib load only when a file is hashed
    from likeness.config import get_settings
    from likeness.media.credentials import load_trust_anchors
    from likeness.media.hashing import hash_file

    settings = get_settings()
    if trust_anchors is not None:
        settings = settings.model_copy(update={"likeness_c2pa_trust_anchors": trust_anchors})
    try:
        anchors = load_trust_anchors(settings)
    except InvalidInput as error:
        typer.echo(f"Error: {error.message}", err=True)
        raise typer.Exit(2) from None
    failed = False
    for path in files:
        try:
            hashes = hash_file(path, filename=str(path), trust_anchors=anchors)
        except InvalidInput as error:
            failed = True
            refusal = {"code": error.code, "field": error.field, "message": error.message}
            typer.echo(json.dumps({"file": str(path), "error": refusal}))
            continue
        typer.echo(json.dumps(hashes_as_json(str(path), hashes)))
    if failed:
        raise typer.Exit(1)
