"""How much of a file is decoded: a large JPEG at a reduced scale (docs/hashing.md's reference recipe, bit
for bit), and the pixel and frame budgets, refused naming `file` before the picture or the frames over it
are decoded."""

from __future__ import annotations

import io

import imagehash
import pytest
from PIL import Image, ImageOps

from likeness.errors import InvalidInput
from likeness.media.hashing import hash_file
from likeness.media.images import jpeg_scale, phash_distance
from tests.media.media_factories import encoded, scene, video


def test_a_large_jpeg_hashes_as_the_documented_reduced_decoding() -> None:
    data = encoded(scene(1, (4400, 3300)), "JPEG", quality=90)
    with Image.open(io.BytesIO(data)) as image:
        image.draft(None, (1024, 1024))  # docs/hashing.md, "How much of a picture is decoded"
        assert image.size == (2200, 1650)  # decoded at half its size: 3300 // 1024 = 3, below 4
        reference = str(imagehash.phash(ImageOps.exif_transpose(image)))
    with Image.open(io.BytesIO(data)) as image:
        full = str(imagehash.phash(ImageOps.exif_transpose(image)))

    hashes = hash_file(data)

    assert hashes.phash == reference
    assert phash_distance(hashes.phash, full) <= 8  # within what matching tolerates
    assert (hashes.width, hashes.height) == (4400, 3300)  # the size is the file's, not the decoded one


def test_a_jpeg_below_twice_the_hash_side_is_decoded_whole() -> None:
    assert jpeg_scale(2047, 4000) == 1 and jpeg_scale(2048, 2048) == 2 and jpeg_scale(9400, 9400) == 8


def refusal(data: bytes, **budget: int) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        hash_file(data, filename="found", **budget)  # type: ignore[arg-type]
    assert caught.value.code == "BAD_INPUT" and caught.value.field == "file"
    return caught.value


def test_an_image_over_the_pixel_budget_is_refused_and_one_at_it_is_hashed() -> None:
    data = encoded(scene(0), "PNG")  # 320 × 240

    error = refusal(data, max_pixels=320 * 240 - 1)

    assert "320 × 240 = 76,800" in error.message and "LIKENESS_MAX_PICTURE_PIXELS" in error.message
    assert hash_file(data, max_pixels=320 * 240).phash == hash_file(data).phash


def test_a_video_over_the_frame_budget_is_refused_and_one_within_it_is_hashed() -> None:
    clip = video([(scene(0), 10), (scene(1), 10)], rate=10)  # 20 frames, 2 s

    error = refusal(clip, max_frames=19)

    assert "too many frames" in error.message and "LIKENESS_MAX_VIDEO_FRAMES" in error.message
    assert hash_file(clip, max_frames=20).frame_phashes == hash_file(clip).frame_phashes


def test_a_video_whose_frames_are_over_the_pixel_budget_is_refused() -> None:
    clip = video([(scene(0), 3)])

    error = refusal(clip, max_pixels=320 * 240 - 1)

    assert "video frame has too many pixels" in error.message
