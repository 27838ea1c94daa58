"""Files sent with a mutation or a trace (GraphQL multipart requests): their bytes, their hashes and
Content Credentials (likeness.media), and what an event records of them.

Hashing decodes images and video frames and validates C2PA manifests, CPU and memory work: it runs in a
worker process (likeness.media.workers), bounded in number, and stopped at the request's deadline, so that
the server keeps answering other requests meanwhile and gets its memory back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from likeness.errors import InvalidInput, Refused
from likeness.events import fields
from likeness.events.contract import SPECS
from likeness.media.workers import FileWorkers
from likeness.resolvers.context import Context
from likeness.resolvers.faces import recorded_matches, search_faces

if TYPE_CHECKING:
    from likeness.media.credentials import ContentCredentials
    from likeness.media.hashing import MediaHashes

FILE = "file"


# how much of an upload is read and handed to its worker at a time
_CHUNK_BYTES = 1024 * 1024


def _readable(upload: Any) -> Any:
    """The upload's async `read`; refused naming `file` when the value is not a file sent as a part of a
    multipart request (a string in JSON variables, say)."""
    read = getattr(upload, "read", None)
    if read is None or isinstance(upload, str | bytes):
        raise InvalidInput(
            FILE,
            upload,
            "expected a file sent as a part of a GraphQL multipart request (Content-Type "
            "multipart/form-data with `operations`, `map` and the file; docs/api.md, Uploads)",
        )
    return read


async def _chunks(read: Any) -> AsyncIterator[bytes]:
    """The upload's bytes, a megabyte at a time (read only once a worker takes the file)."""
    while chunk := await read(_CHUNK_BYTES):
        if not isinstance(chunk, bytes):
            raise InvalidInput(FILE, type(chunk).__name__, "expected the bytes of a file")
        yield chunk


def chunks_of(upload: Any) -> AsyncIterator[bytes]:
    """The upload's bytes, a megabyte at a time, from where it stands (seek(0) first to read it again)."""
    return _chunks(_readable(upload))


def shown_name(upload: Any) -> str | None:
    """The upload's file name as messages show it (at most 200 characters), if it has one."""
    name = getattr(upload, "filename", None)
    return name[:200] if isinstance(name, str) and name else None


async def hash_upload(upload: Any, context: Context) -> MediaHashes:
    """The hashes and Content Credentials of an uploaded file, computed by the app's file workers (BAD_INPUT
    naming `file` for a file that is empty, of no accepted format, corrupt or over the budget; BUSY when
    the workers admit no more files; QUERY_TIMEOUT when the request's deadline passes, the work stopped)."""
    read = _readable(upload)
    files = context.files or FileWorkers(workers=1, waiting=0)
    try:
        return await files.hash(_chunks(read), filename=shown_name(upload), deadline=context.bounds.deadline)
    except TimeoutError:
        raise context.bounds.timed_out() from None


def recorded_credentials(credentials: ContentCredentials | None) -> dict[str, Any] | None:
    """What an event records of a file's Content Credentials (the contract's `contentCredentials`): None
    when the C2PA SDK reads none from the file's format (WebM); `trusted` beside a VALID or INVALID state."""
    if credentials is None:
        return None
    state = credentials.validation_state.upper()
    if state == "NONE":
        remote = credentials.remote_manifest_url
        return _without_nulls({"validationState": "NONE", "remoteManifestUrl": remote})
    signer = credentials.signer
    return _without_nulls(
        {
            "validationState": state,
            # the signing certificate chains to a configured trust anchor (LIKENESS_C2PA_TRUST_ANCHORS)
            "trusted": credentials.trusted,
            "failures": list(dict.fromkeys(failure.code for failure in credentials.failures)),
            "manifestLabel": credentials.manifest_label,
            "claimGenerator": credentials.claim_generator,
            "signer": signer.common_name if signer else None,
            "signerOrganization": signer.issuer if signer else None,
            "signedAt": fields.format_instant(credentials.signed_at) if credentials.signed_at else None,
            "digitalSourceTypes": list(credentials.digital_source_types),
            "declaresAiGeneration": credentials.declares_ai_generation,
            "ingredients": [
                _without_nulls(
                    {
                        "title": ingredient.title,
                        "format": ingredient.format,
                        "relationship": ingredient.relationship,
                        "documentId": ingredient.document_id,
                        "instanceId": ingredient.instance_id,
                        "activeManifest": ingredient.active_manifest,
                        "declaresAiGeneration": ingredient.declares_ai_generation,
                        "dataSha256": ingredient.data_sha256,
                        "thumbnailPhash": ingredient.thumbnail_phash,
                    }
                )
                for ingredient in credentials.ingredients
            ],
        }
    )


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    """The facts a manifest states: an empty or blank text (a certificate without a CN) is none."""
    return {
        name: value
        for name, value in values.items()
        if value is not None and not (isinstance(value, str) and not value.strip())
    }


@dataclass(frozen=True)
class Filed:
    """A mutation's input completed from its file, and the face template an enrolment records beside it
    (never in the input: no log entry, export or answer carries it)."""

    data: dict[str, Any]
    template: tuple[float, ...] | None = field(default=None, repr=False)
    mime_type: str | None = None  # the file's, told from its bytes
    filename: str | None = None  # as messages show it


async def with_file(op: str, data: dict[str, Any], upload: Any, *, context: Context) -> Filed:
    """The input of a mutation that takes a file (its spec's `file`) completed from the file sent with it:
    its sha256 and phash (a declared one that differs is refused, naming it), its Content Credentials and
    the enrolled people its faces show (faceMatches, likeness.resolvers.faces); a declared mediaType must
    be the file's. An enrolment takes the one face of the capture's file."""
    hashes = await hash_upload(upload, context)
    accepted = SPECS[op].fields
    if op == "enrollLikeness":
        return _enrolment(data, hashes, context)
    completed = dict(data)
    for name, computed in (("sha256", hashes.sha256), ("phash", hashes.phash)):
        declared = data.get(name)
        if declared is not None and isinstance(declared, str) and declared.lower() != computed:
            raise InvalidInput(
                name, declared, f"differs from the file's {name} ({computed}); send the file's own or none"
            )
        completed[name] = computed
    if data.get("mediaType") not in (None, hashes.media_type):
        raise InvalidInput(
            "mediaType", data.get("mediaType"), f"the file is {hashes.format}, a {hashes.media_type} file"
        )
    credentials = recorded_credentials(hashes.content_credentials)
    if credentials is not None:
        completed["contentCredentials"] = credentials
    if "faceMatches" in accepted:
        found = await search_faces(context, hashes.faces, sha256=hashes.sha256, purpose=op)
        matches = recorded_matches(found, context.faces.threshold)
        if matches:
            completed["faceMatches"] = matches
    return Filed(completed, mime_type=hashes.mime_type, filename=shown_name(upload))


def _enrolment(data: dict[str, Any], hashes: MediaHashes, context: Context) -> Filed:
    """An enrolment's input completed from the capture's file: exactly one face (NO_FACE, SEVERAL_FACES
    naming `file` otherwise), its box and model, the file's sha256 (checked against the capture's in the
    write), the instant; and the face's template beside it."""
    scan = hashes.faces
    if scan.found == 0:
        raise Refused(
            "NO_FACE",
            FILE,
            "no face was found in the file (dlib's frontal face detector, docs/faces.md); enrol her from a "
            "capture showing her face clearly, from the front",
        )
    if scan.found > 1 or len(scan.faces) != 1:
        raise Refused(
            "SEVERAL_FACES",
            FILE,
            f"{scan.found} faces were found in the file; an enrolment takes a capture showing her face alone",
        )
    (face,) = scan.faces
    completed = {
        **data,
        "sha256": hashes.sha256,
        "box": face.box.as_list(),
        "model": scan.model,
        "enrolledAt": fields.format_instant(context.now()),
    }
    return Filed(completed, template=tuple(face.vector))
