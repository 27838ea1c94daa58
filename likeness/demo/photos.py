"""Two public-domain photographs of faces that registry packages ship, for the demo world's likeness
matching (DESIGN.md, "Likeness matching"): found where the packages are installed, never imported (neither
package is loaded, nothing is downloaded).

- ASTRONAUT: scikit-image's `skimage/data/astronaut.png`, Eileen Collins, NASA astronaut, from NASA's Great
  Images database ("No known copyright restrictions, released into the public domain": the docstring of
  `skimage.data.astronaut` in skimage/data/_fetchers.py).
- GRACE_HOPPER: matplotlib's `mpl-data/sample_data/grace_hopper.jpg`, Rear Admiral Grace Hopper: the
  official US Navy portrait, a work of the US federal government (public domain); matplotlib's wheel
  carries no licence note of its own for the file.

Grace Hopper's photograph holds exactly one face. The astronaut's holds one, but dlib's HOG detector also
finds a second, false "face" in it: the round mission patch on her suit (box [126, 335, 216, 426], 0.74 from
her face, so it matches nobody). Her face is the larger, so the first a FaceScan lists; ASTRONAUT_HEAD crops
the picture to the rows above the patch, where the detector finds her face alone (tests/media/test_faces.py).
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

# (the distribution's top-level package, the file's path inside it)
ASTRONAUT = ("skimage", "data/astronaut.png")
GRACE_HOPPER = ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg")
# the astronaut's head and shoulders, as a Pillow crop box (left, top, right, bottom): above the mission patch
ASTRONAUT_HEAD = (0, 0, 512, 300)


def photo(which: tuple[str, str]) -> Path:
    """The installed file of one of the photographs above. Raises FileNotFoundError naming the package to
    install when it is not there."""
    package, inside = which
    spec = importlib.util.find_spec(package)  # a top-level package is found, not imported
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(location) / inside
        if path.is_file():
            return path
    raise FileNotFoundError(f"{inside} of the package {package} is not installed (requirements.lock has it)")


def astronaut() -> Path:
    """Eileen Collins (NASA): scikit-image's astronaut.png."""
    return photo(ASTRONAUT)


def grace_hopper() -> Path:
    """Grace Hopper (US Navy): matplotlib's sample grace_hopper.jpg."""
    return photo(GRACE_HOPPER)


def deepfake_like(source: Path) -> bytes:
    """A new image of the face in `source`, as a deepfake of her would be: mirrored, cropped, re-toned and
    re-encoded, so that no hash of it is near the original's (phash 30+ bits away) while her face stays
    hers (0.2 from the original's template). The demo's sighting `sighting-pictagram-hedda` was made from
    Grace Hopper's portrait this way; `likeness demo-photos DIR` writes it for trying the explorer."""
    from PIL import Image, ImageOps  # only when asked: the demo package imports nothing heavy

    with Image.open(source) as opened:
        picture = ImageOps.mirror(opened.convert("RGB")).crop((60, 60, 480, 520))
    toned = ImageOps.colorize(ImageOps.grayscale(picture), black=(30, 10, 40), white=(255, 230, 200))
    out = io.BytesIO()
    toned.resize((336, 368)).save(out, "JPEG", quality=80)
    return out.getvalue()


def half_size(source: Path) -> bytes:
    """The picture at half its size, re-encoded as a JPEG (quality 85): the file of the demo's asset
    `asset-ss26-liv-hedda-face`."""
    from PIL import Image

    with Image.open(source) as picture:
        out = io.BytesIO()
        picture.convert("RGB").resize((picture.width // 2, picture.height // 2)).save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_photos() -> dict[str, bytes]:
    """The demo world's pictures by file name, to trace in the explorer (`likeness demo-photos DIR`)."""
    return {
        "hedda-portrait.jpg": grace_hopper().read_bytes(),
        "hedda-deepfake.jpg": deepfake_like(grace_hopper()),
        "hedda-ad.jpg": half_size(grace_hopper()),
        "astronaut.png": astronaut().read_bytes(),
    }
