"""Which file formats are accepted, told from a file's first bytes (never from its name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# the values of likeness.events.vocabulary.MediaType that a file can have here
MediaKind = Literal["IMAGE", "VIDEO"]


@dataclass(frozen=True)
class MediaFormat:
    """One accepted container format."""

    name: str  # JPEG, PNG, WEBP, GIF, MP4, MOV, WEBM
    mime_type: str
    media_type: MediaKind
    demuxer: str | None = None  # the FFmpeg demuxer a video is opened with (no probing)


JPEG = MediaFormat("JPEG", "image/jpeg", "IMAGE")
PNG = MediaFormat("PNG", "image/png", "IMAGE")
WEBP = MediaFormat("WEBP", "image/webp", "IMAGE")
GIF = MediaFormat("GIF", "image/gif", "IMAGE")
MP4 = MediaFormat("MP4", "video/mp4", "VIDEO", demuxer="mov")
MOV = MediaFormat("MOV", "video/quicktime", "VIDEO", demuxer="mov")
WEBM = MediaFormat("WEBM", "video/webm", "VIDEO", demuxer="matroska")

ACCEPTED = "JPEG, PNG, WebP or GIF images, MP4, MOV or WebM videos"

# QuickTime files written before the ftyp box existed open with one of these top-level boxes
_QUICKTIME_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
# ISO base media brands of still images (HEIF, HEIC, AVIF), which are not accepted as video
_IMAGE_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


def sniff_format(head: bytes) -> MediaFormat | None:
    """The accepted format whose signature starts `head` (a file's first 64 bytes or more), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        if head[8:12] in _IMAGE_BRANDS:
            return None
        # the major brand: "qt  " is QuickTime; every other ISO base media brand reads as MP4
        return MOV if head[8:12] == b"qt  " else MP4
    if head[4:8] in _QUICKTIME_BOXES:
        return MOV
    if head.startswith(_EBML_MAGIC) and b"webm" in head[:64]:
        # the EBML header's DocType; other Matroska files (.mkv) are not accepted
        return WEBM
    return None
