"""The perceptual hash of a picture, and the decoding of a still image file (its first frame).

A picture is decoded no larger than its phash needs where its format allows (docs/hashing.md, "How much of
a picture is decoded"): a large JPEG at a reduced scale (libjpeg's DCT scaling, Pillow's `draft`). The
EXIF orientation turns the decoded picture, and nothing else copies it: phash's own greyscale picture is
the one other copy (a byte a pixel).
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

import imagehash
from PIL import ExifTags, Image

from likeness.errors import InvalidInput
from likeness.media.faces import FaceScan, face_picture, find_faces
from likeness.media.formats import ACCEPTED, MediaFormat

# what Pillow raises on a file it cannot decode (truncated, broken chunks, bad headers)
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, KeyError)

# a JPEG at least twice this on both sides is decoded at 1/2, 1/4 or 1/8 of its size, keeping at least this
# many pixels on each side (docs/hashing.md says why 1024)
HASH_SIDE = 1024
# the JPEG scales libjpeg decodes at directly (1/8 … 1/1), largest reduction first
_JPEG_SCALES = (8, 4, 2, 1)
# what the EXIF orientation tag asks for, as Pillow's ImageOps.exif_transpose applies it
_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def phash(picture: Image.Image) -> str:
    """imagehash's phash of an upright picture, as imagehash writes it: 16 hexadecimal characters."""
    return str(imagehash.phash(picture))


def phash_distance(a: str, b: str) -> int:
    """The Hamming distance between two phashes: how many of their 64 bits differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class StillImage:
    """A still image's phash, its size as displayed (after its EXIF orientation), and its faces when they
    were asked for."""

    phash: str
    width: int
    height: int
    faces: FaceScan | None = None


def jpeg_scale(width: int, height: int, side: int = HASH_SIDE) -> int:
    """The denominator of the scale a JPEG is decoded at: the largest of 8, 4, 2, 1 that keeps both sides
    at least `side` pixels (as Pillow's `draft` chooses it for a requested size of `side` × `side`)."""
    fits = min(width // side, height // side)
    return next((scale for scale in _JPEG_SCALES if fits >= scale), 1)


def hash_picture(image: Image.Image, side: int = HASH_SIDE) -> tuple[str, int, int]:
    """The phash and displayed size of an opened image file, decoded no larger than the hash needs (a large
    JPEG at a reduced scale), then turned by its EXIF orientation."""
    picture, width, height = upright(image, side)
    return phash(picture), width, height


def upright(image: Image.Image, side: int = HASH_SIDE) -> tuple[Image.Image, int, int]:
    """An opened image file decoded no larger than its phash needs (a large JPEG at a reduced scale) and
    turned by its EXIF orientation, with its displayed size (of the whole picture, before any reduction)."""
    width, height = image.size
    orientation = _ORIENTATIONS.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    if image.format == "JPEG" and jpeg_scale(width, height, side) > 1:
        image.draft(None, (side, side))  # DCT scaling: decodes at 1/2, 1/4 or 1/8 directly
    image.load()
    picture = image.transpose(orientation) if orientation is not None else image
    shown = (height, width) if orientation in _TURNED else (width, height)
    return picture, shown[0], shown[1]


# the orientations that turn a picture a quarter: width and height swap as displayed
_TURNED = {
    Image.Transpose.TRANSPOSE,
    Image.Transpose.ROTATE_270,
    Image.Transpose.TRANSVERSE,
    Image.Transpose.ROTATE_90,
}


def hash_still(
    data: bytes, media_format: MediaFormat, shown: str, *, max_pixels: int | None = None, faces: bool = False
) -> StillImage:
    """The phash of the image in `data` (its first frame), after applying its EXIF orientation, and with
    `faces` the faces found in the same decoded picture (likeness.media.faces).

    Raises InvalidInput naming `file` when the bytes do not decode as `media_format`, when the image has
    more pixels than `max_pixels` (checked from its header, before decoding), or more than Pillow's
    decompression-bomb limit (Image.MAX_IMAGE_PIXELS)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # not closed at once: the decoded picture is the one the faces are found in too
            image = Image.open(io.BytesIO(data), formats=[media_format.name])
            refuse_pixels(image.size, max_pixels, shown, "image")
            picture, width, height = upright(image)
            found = phash(picture)
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
    if picture is not image:
        image.close()  # the turned copy is the picture now
    del image
    if not faces:
        return StillImage(found, width, height)
    prepared = face_picture(picture, (width, height))
    del picture  # a converted or scaled copy is all the faces need
    return StillImage(found, width, height, find_faces([prepared]))


def refuse_pixels(size: tuple[int, int], max_pixels: int | None, shown: str, what: str) -> None:
    """Refuse (naming `file`) a picture of more pixels than the budget, from its declared size."""
    width, height = size
    if max_pixels and width * height > max_pixels:
        raise InvalidInput(
            "file",
            shown,
            f"the {what} has too many pixels: {width} × {height} = {width * height:,}; at most "
            f"{max_pixels:,} are decoded (LIKENESS_MAX_PICTURE_PIXELS). Send a smaller {what}",
        )
