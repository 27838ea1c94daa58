"""How far a large JPEG's phash moves when it is decoded at a reduced scale (docs/hashing.md, "How much of
a picture is decoded"): the phash Likeness computes against imagehash's phash of the full-size decode, over
the shared fixtures (photos, C2PA samples) enlarged and the test scenes at camera sizes, beside how far a
plain JPEG re-save of the same picture moves it (what matching must tolerate anyway).

    python -m bench.phash_reduction [--fixtures ../shared/fixtures]

Prints one line per group: how many JPEGs were decoded reduced, the histogram of distances (bits), max.
"""

from __future__ import annotations

import argparse
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import imagehash
from PIL import Image, ImageOps

from likeness.media.images import HASH_SIDE, hash_picture, jpeg_scale, phash_distance
from tests.media.media_factories import scene


def encoded(picture: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)
    return out.getvalue()


def full_phash(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        return str(imagehash.phash(ImageOps.exif_transpose(image)))


def ours(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        return hash_picture(image)[0]


def corpus(fixtures: Path) -> Iterator[tuple[str, str, bytes]]:
    """(group, name, JPEG bytes) of every picture at least 2 × HASH_SIDE on both sides."""
    for path in sorted([*fixtures.glob("*/*.jpg"), *fixtures.glob("*/*.png")]):
        with Image.open(path) as image:
            picture = image.convert("RGB")
        group = (
            "photos" if path.parent.name == "faces" or path.name in ("A.jpg", "CA.jpg") else "c2pa renders"
        )
        for factor in (1, 2, 3, 4, 6):
            size = (picture.width * factor, picture.height * factor)
            if min(size) >= 2 * HASH_SIDE:
                yield (
                    group,
                    f"{path.name} x{factor}",
                    encoded(picture.resize(size, Image.Resampling.BICUBIC), 90),
                )
    for kind in range(3):
        for size in ((2800, 2100), (4000, 3000), (6000, 4500)):
            yield "test scenes", f"scene {kind} {size}", encoded(scene(kind, size), 90)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.phash_reduction")
    parser.add_argument(
        "--fixtures", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "fixtures"
    )
    args = parser.parse_args(argv)
    reduced: dict[str, Counter[int]] = {}
    resaved: dict[str, Counter[int]] = {}
    for group, name, data in corpus(args.fixtures):
        with Image.open(io.BytesIO(data)) as image:
            assert jpeg_scale(*image.size) > 1, name
            again = encoded(image.convert("RGB"), 85)
        reference = full_phash(data)
        reduced.setdefault(group, Counter())[phash_distance(reference, ours(data))] += 1
        resaved.setdefault(group, Counter())[phash_distance(reference, full_phash(again))] += 1
    for group, counts in reduced.items():
        print(
            f"{group}: {sum(counts.values())} JPEGs; reduced decoding {dict(sorted(counts.items()))} "
            f"(max {max(counts)}); a quality-85 re-save {dict(sorted(resaved[group].items()))} "
            f"(max {max(resaved[group])})"
        )


if __name__ == "__main__":
    main()
