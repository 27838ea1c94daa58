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
