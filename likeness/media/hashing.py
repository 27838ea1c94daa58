"""The hashes of a file: sha256 of its bytes, phash of its picture (every sampled frame of a video), and
its Content Credentials. The definitions, exact enough to recompute anywhere, are in docs/hashing.md."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from likeness.errors import InvalidInput
from likeness.media.credentials import ContentCredentials, read_content_credentials
from likeness.media.faces import NO_FACES, FaceScan
from likeness.media.formats import ACCEPTED, MediaKind, sniff_format
from likeness.media.images import hash_still, phash_distance
from likeness.media.video import sample_video

MAX_FILE_BYTES = 100 * 1024 * 1024  # 100 MB


@dataclass(frozen=True)
class MediaHashes:
    """What one file hashes to. For an image, frame_phashes is (phash,) and frame_times (0.0,)."""

    sha256: str  # of the file's exact bytes, 64 lowercase hexadecimal characters
    media_type: MediaKind
    format: str  # JPEG, PNG, WEBP, GIF, MP4, MOV, WEBM: told from the bytes, not the name
    mime_type: str
    phash: str  # of the image, or of a video's first frame
    frame_phashes: tuple[str, ...]
    frame_times: tuple[float, ...]  # seconds after the first frame, one per phash
    width: int  # as displayed: after the EXIF orientation or the video's display rotation
    height: int
    duration: float | None  # seconds, for a video whose container declares it
    content_credentials: ContentCredentials | None  # None when the C2PA SDK reads none from the format
    # the faces of the image, or of a few of a video's sampled frames (likeness.media.faces); their templates
    # never appear in a repr. Empty (found 0) when hash_file was asked for no faces
    faces: FaceScan = NO_FACES

    def distance_to(self, phash: str) -> int:
        """The smallest Hamming distance from `phash` to any of this file's frames: a clip matches a
        phash when any sampled frame is within the distance."""
        return min(phash_distance(frame, phash) for frame in self.frame_phashes)


def hash_file(
    source: str | os.PathLike[str] | bytes,
    *,
    filename: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    trust_anchors: str | None = None,
    max_pixels: int | None = None,
    max_frames: int | None = None,
    faces: bool = True,
) -> MediaHashes:
    """The hashes and Content Credentials of the file at a path, or of a file's bytes.

    `filename` is only shown in messages. `trust_anchors`: PEM certificates whose signers count as
    trusted. `max_pixels`: the most pixels of a picture (an image, a video frame) decoded, `max_frames`
    the most frames of a video (None: Pillow's own limit, and none). `faces`: find the faces too, in the
    pictures decoded for the phash (docs/hashing.md, "Faces"). Raises InvalidInput naming `file`
    for a missing, empty, oversized, unsupported or corrupt file, or one over the budget; the message
    says what is accepted."""
    data, shown = _read(source, filename, max_bytes)
    media_format = sniff_format(data[:64])
    if media_format is None:
        raise InvalidInput(
            "file",
            shown,
            f"is not a file of an accepted format (told from its first bytes); accepted: {ACCEPTED}",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    if media_format.media_type == "IMAGE":
        still = hash_still(data, media_format, shown, max_pixels=max_pixels, faces=faces)
        frames, times = (still.phash,), (0.0,)
        width, height, duration = still.width, still.height, None
        scan = still.faces
    else:
        video = sample_video(
            data, media_format, shown, max_frames=max_frames, max_pixels=max_pixels, faces=faces
        )
        frames, times = video.frame_phashes, video.frame_times
        width, height, duration = video.width, video.height, video.duration
        scan = video.faces
    return MediaHashes(
        sha256=sha256,
        media_type=media_format.media_type,
        format=media_format.name,
        mime_type=media_format.mime_type,
        phash=frames[0],
        frame_phashes=frames,
        frame_times=times,
        width=width,
        height=height,
        duration=duration,
        content_credentials=read_content_credentials(
            data, media_format.mime_type, trust_anchors=trust_anchors
        ),
        faces=scan or NO_FACES,
    )


def _read(source: str | os.PathLike[str] | bytes, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
    """The file's bytes (refused past max_bytes before they are read) and the name messages show."""
    limit = f"at most {max_bytes} bytes ({max_bytes / 1024 / 1024:g} MB) are accepted"
    if isinstance(source, bytes):
        data, shown = source, filename or f"{len(source)} bytes"
    else:
        path = Path(source)
        shown = filename or str(path)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise InvalidInput("file", shown, "is not a regular file")
            if size > max_bytes:  # refused before a byte is read
                raise InvalidInput("file", shown, f"is {size} bytes; {limit}")
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise InvalidInput("file", shown, "no such file") from error
        except OSError as error:
            raise InvalidInput("file", shown, f"cannot be read ({error.strerror or error})") from error
    if len(data) > max_bytes:
        raise InvalidInput("file", shown, f"is {len(data)} bytes; {limit}")
    if not data:
        raise InvalidInput("file", shown, f"is empty; accepted: {ACCEPTED}")
    return data, shown
