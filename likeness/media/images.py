"""The perceptual hash of a picture, and the decoding of a still image file (its first frame)."""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageOps

from likeness.errors import InvalidInput
from likeness.media.formats import ACCEPTED, MediaFormat

# what Pillow raises on a file it cannot decode (truncated, broken chunks, bad headers)
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, KeyError)


def phash(picture: Image.Image) -> str:
    """imagehash's phash of an upright picture, as imagehash writes it: 16 hexadecimal characters."""
    return str(imagehash.phash(picture))


def phash_distance(a: str, b: str) -> int:
    """The Hamming distance between two phashes: how many of their 64 bits differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class StillImage:
    """A still image's phash and its size as displayed (after its EXIF orientation)."""

    phash: str
    width: int
    height: int


def hash_still(data: bytes, media_format: MediaFormat, shown: str) -> StillImage:
    """The phash of the image in `data` (its first frame), after applying its EXIF orientation.

    Raises InvalidInput naming `file` when the bytes do not decode as `media_format`, or when the image
    has more pixels than Pillow's decompression-bomb limit (Image.MAX_IMAGE_PIXELS)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[media_format.name]) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                return StillImage(phash(upright), upright.width, upright.height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidInput(
            "file", shown, f"the image has too many pixels to decode safely ({error}); send a smaller image"
        ) from error
    except _DECODE_ERRORS as error:
        raise InvalidInput(
            "file",
            shown,
            f"starts like a {media_format.name} image but cannot be decoded ({error}); "
            f"accepted: {ACCEPTED}, complete and uncorrupted",
        ) from error
