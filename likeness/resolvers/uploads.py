"""Files sent with a mutation or a trace (GraphQL multipart requests): their bytes, their hashes and
Content Credentials (likeness.media), and what an event records of them.

Hashing decodes images and video frames and validates C2PA manifests, all CPU work: it runs in a worker
thread so that the server keeps answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from likeness.errors import InvalidInput
from likeness.events import fields

if TYPE_CHECKING:
    from likeness.media.credentials import ContentCredentials
    from likeness.media.hashing import MediaHashes

FILE = "file"


async def file_bytes(upload: Any) -> tuple[bytes, str | None]:
    """The bytes of an uploaded file and its name; refused naming `file` when the value is not a file
    sent as a part of a multipart request (a string in JSON variables, say)."""
    read = getattr(upload, "read", None)
    if read is None or isinstance(upload, str | bytes):
        raise InvalidInput(
            FILE,
            upload,
            "expected a file sent as a part of a GraphQL multipart request (Content-Type "
            "multipart/form-data with `operations`, `map` and the file; docs/api.md, Uploads)",
        )
    data = await read()
    if not isinstance(data, bytes):
        raise InvalidInput(FILE, type(data).__name__, "expected the bytes of a file")
    name = getattr(upload, "filename", None)
    return data, name if isinstance(name, str) else None


async def hash_upload(upload: Any) -> MediaHashes:
    """The hashes and Content Credentials of an uploaded file (BAD_INPUT naming `file` for a file that is
    empty, of no accepted format, or corrupt)."""
    # imported here: Pillow, PyAV, imagehash and the C2PA SDK load when a file is first hashed
    from likeness.media.hashing import hash_file

    data, name = await file_bytes(upload)
    shown = name[:200] if name else None
    return await asyncio.to_thread(hash_file, data, filename=shown)


def recorded_credentials(credentials: ContentCredentials | None) -> dict[str, Any] | None:
    """What an event records of a file's Content Credentials (the contract's `contentCredentials`): None
    when the C2PA SDK reads none from the file's format (WebM)."""
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


async def with_file(op: str, data: dict[str, Any], upload: Any) -> dict[str, Any]:
    """The input of a mutation that takes a file (its spec's `file`) completed from the file sent with it:
    its sha256 and phash (a declared one that differs is refused, naming it), and its Content Credentials;
    a declared mediaType must be the file's."""
    hashes = await hash_upload(upload)
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
    return completed
