"""The faces in a picture and their templates: where each face is, and 128 numbers that describe it.

The template is defined exactly in docs/hashing.md, "Faces" (and DESIGN.md, "Likeness matching"): the
upright RGB picture; dlib's HOG frontal face detector, upsampling once; each face aligned by dlib's 5-point
shape predictor and described by dlib's ResNet face recognition model v1 (`compute_face_descriptor`, no
jitter). Two templates are of the same person when their Euclidean distance is at most
LIKENESS_FACE_MATCH_DISTANCE (0.6).

What a file may cost is bounded: a picture larger than FACE_MAX_PIXELS is scaled down before its faces are
found (the template is then of the scaled picture; boxes are still in the upright picture's pixels), at
most MAX_FACES faces of a file are described (every face found is counted), and a video's faces are those
of at most MAX_FACE_FRAMES of its sampled frames, each scaled to FACE_MAX_FRAME_PIXELS.

A template is a biometric identifier: it is never logged, printed or answered (Face's repr leaves it out).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import dlib
import numpy as np
from PIL import Image

FACE_MODEL = "dlib-resnet-v1"  # recorded with every template and every match
DIMENSIONS = 128  # floats in a template
UPSAMPLE = 1  # times the HOG detector doubles the picture before looking: faces from about 40 pixels wide
MAX_FACES = 20  # faces described in one file (largest first); the rest are counted in FaceScan.found
FACE_MAX_PIXELS = 2048 * 2048  # the largest picture whose faces are found as it is; a larger one is scaled
MAX_FACE_FRAMES = 4  # a video's sampled frames whose faces are found, spread evenly over the sampled ones
FACE_MAX_FRAME_PIXELS = 1024 * 1024  # ... each scaled down to at most this many pixels

# the model files of PyPI's face-recognition-models 0.3.0, found without importing the package: its
# __init__ imports pkg_resources only to find them, which only setuptools provides (not a dependency of
# Likeness, deprecated, and absent from a virtualenv of Python 3.12 or later)
_MODELS_PACKAGE = "face_recognition_models"
_SHAPE_PREDICTOR = "models/shape_predictor_5_face_landmarks.dat"
_RESNET = "models/dlib_face_recognition_resnet_model_v1.dat"


@dataclass(frozen=True)
class FaceBox:
    """Where a face is, in pixels of the upright picture (after EXIF orientation or a video's display
    rotation), clipped to it: left and top included, right and bottom excluded (as Pillow's crop box)."""

    left: int
    top: int
    right: int
    bottom: int

    def as_list(self) -> list[int]:
        """[left, top, right, bottom]: how the graph stores a box."""
        return [self.left, self.top, self.right, self.bottom]


@dataclass(frozen=True)
class Face:
    """One face found: its box, the time of its frame, and its template (never logged or answered)."""

    box: FaceBox
    frame_time: float  # 0.0 for a still image; seconds after the first frame for a video's sampled frame
    vector: tuple[float, ...] = field(repr=False, compare=False)  # DIMENSIONS floats


@dataclass(frozen=True)
class FaceScan:
    """The faces of a file: at most MAX_FACES described, `found` detected in all (it may be more)."""

    faces: tuple[Face, ...]
    found: int
    model: str = FACE_MODEL


NO_FACES = FaceScan(faces=(), found=0)


def face_distance(a: Iterable[float], b: Iterable[float]) -> float:
    """The Euclidean distance between two templates: at most LIKENESS_FACE_MATCH_DISTANCE is a match."""
    return math.dist(tuple(a), tuple(b))


@dataclass(frozen=True)
class FacePicture:
    """A picture ready for its faces to be found: RGB, at most its pixel budget, with what maps its pixels
    back to the upright picture's."""

    pixels: Image.Image
    width: int  # the upright picture's size, which boxes are given in and clipped to
    height: int
    frame_time: float = 0.0


def face_picture(
    picture: Image.Image,
    size: tuple[int, int] | None = None,
    *,
    frame_time: float = 0.0,
    max_pixels: int = FACE_MAX_PIXELS,
) -> FacePicture:
    """The upright `picture` as its faces are found in: when it has more than `max_pixels` pixels, scaled
    down (Pillow's resize, box filter) to the largest size of its proportions within them; then converted
    to RGB (Pillow's convert). `size` is the upright picture's displayed size when `picture` was decoded
    smaller (a large JPEG at a reduced scale, docs/hashing.md); boxes are given in it."""
    width, height = size or picture.size
    if picture.width * picture.height > max_pixels:
        # scaled in its own mode, so that a bomb is never copied whole (a palette or 1-bit picture, which
        # Pillow scales only by its nearest pixel, is converted first)
        source = picture if picture.mode in _SCALED_AS_THEY_ARE else _rgb(picture)
        scale = math.sqrt(max_pixels / (picture.width * picture.height))
        scaled = (max(1, math.floor(picture.width * scale)), max(1, math.floor(picture.height * scale)))
        picture = source.resize(scaled, Image.Resampling.BOX)
    rgb = picture if picture.mode == "RGB" else _rgb(picture)
    return FacePicture(rgb, width, height, frame_time)


# the modes Pillow's box filter scales directly (8 bits a channel)
_SCALED_AS_THEY_ARE = {"L", "LA", "RGB", "RGBA", "CMYK"}


def _rgb(picture: Image.Image) -> Image.Image:
    try:
        return picture.convert("RGB")
    except ValueError:  # a mode Pillow turns into RGB only through greyscale (16-bit greyscale, "I;16")
        return picture.convert("L").convert("RGB")


def find_faces(pictures: Iterable[FacePicture], *, limit: int = MAX_FACES) -> FaceScan:
    """The faces of the pictures (a still image's one, or a video's frames in time order): every face
    detected is counted; the first `limit` are described, each picture's largest first."""
    detector, predictor, encoder = models()
    faces: list[Face] = []
    found = 0
    for picture in pictures:
        pixels = np.asarray(picture.pixels, dtype=np.uint8)
        detected = sorted(detector(pixels, UPSAMPLE), key=_largest_first)
        found += len(detected)
        scale_x = picture.width / picture.pixels.width
        scale_y = picture.height / picture.pixels.height
        for rectangle in detected[: max(0, limit - len(faces))]:
            shape = predictor(pixels, rectangle)
            vector = encoder.compute_face_descriptor(pixels, shape, 0)  # num_jitters 0: no jitter
            box = FaceBox(
                left=_clip(rectangle.left() * scale_x, picture.width),
                top=_clip(rectangle.top() * scale_y, picture.height),
                right=_clip((rectangle.right() + 1) * scale_x, picture.width),
                bottom=_clip((rectangle.bottom() + 1) * scale_y, picture.height),
            )
            faces.append(Face(box=box, frame_time=picture.frame_time, vector=tuple(float(v) for v in vector)))
    return FaceScan(faces=tuple(faces), found=found)


def _largest_first(rectangle: dlib.rectangle) -> tuple[int, int, int]:
    return (-rectangle.area(), rectangle.top(), rectangle.left())


def _clip(value: float, limit: int) -> int:
    return min(max(round(value), 0), limit)


def frames_for_faces(count: int, most: int = MAX_FACE_FRAMES) -> int:
    """The stride of the sampled frames whose faces are found: the smallest power of two `s` for which the
    frames 0, s, 2s, … of `count` sampled frames are at most `most`."""
    stride = 1
    while math.ceil(count / stride) > most:
        stride *= 2
    return stride


def model_file(name: str) -> Path:
    """A model file of face-recognition-models, from where the package is installed (not imported)."""
    spec = importlib.util.find_spec(_MODELS_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location) / name
        if path.is_file():
            return path
    raise RuntimeError(f"{name} of the package face-recognition-models is not installed (requirements.lock)")


@cache
def models() -> tuple[dlib.fhog_object_detector, dlib.shape_predictor, dlib.face_recognition_model_v1]:
    """dlib's HOG face detector, 5-point shape predictor and ResNet model, loaded once a process (the file
    workers' fork server loads them before it forks: likeness.media.workers)."""
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(model_file(_SHAPE_PREDICTOR)))
    encoder = dlib.face_recognition_model_v1(str(model_file(_RESNET)))
    return detector, predictor, encoder
