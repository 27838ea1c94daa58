"""Images: sha256 of the bytes and imagehash's phash of the upright picture, exactly; refusals name `file`."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import imagehash
import pytest
from PIL import Image, ImageOps

from likeness.errors import InvalidInput
from likeness.media.hashing import MAX_FILE_BYTES, hash_file
from likeness.media.images import phash_distance
from tests.media.media_factories import encoded, scene


def reference_phash(data: bytes, tmp_path: Path) -> str:
    """The phash as docs/api.md's recipe computes it, straight from imagehash and Pillow."""
    path = tmp_path / "reference"
    path.write_bytes(data)
    with Image.open(path) as image:
        return str(imagehash.phash(ImageOps.exif_transpose(image)))


@pytest.mark.parametrize(
    ("format", "options", "mime_type"),
    [
        ("JPEG", {"quality": 90}, "image/jpeg"),
        ("PNG", {}, "image/png"),
        ("WEBP", {"quality": 80}, "image/webp"),
        ("GIF", {}, "image/gif"),
    ],
)
def test_an_image_hashes_to_its_sha256_and_exactly_imagehash_phash(
    format: str, options: dict[str, object], mime_type: str, tmp_path: Path
) -> None:
    data = encoded(scene(0), format, **options)
    path = tmp_path / f"picture.{format.lower()}"
    path.write_bytes(data)

    hashes = hash_file(path)

    assert hashes.sha256 == hashlib.sha256(data).hexdigest()
    assert hashes.phash == reference_phash(data, tmp_path)
    assert len(hashes.phash) == 16 and hashes.phash == hashes.phash.lower()
    assert (hashes.media_type, hashes.format, hashes.mime_type) == ("IMAGE", format, mime_type)
    assert (hashes.width, hashes.height, hashes.duration) == (320, 240, None)
    assert hashes.frame_phashes == (hashes.phash,)


def test_bytes_and_the_path_of_the_same_file_hash_alike(tmp_path: Path) -> None:
    data = encoded(scene(1), "PNG")
    path = tmp_path / "same.png"
    path.write_bytes(data)

    assert hash_file(data) == hash_file(path)


def test_exif_orientation_is_applied_before_hashing(tmp_path: Path) -> None:
    upright = scene(0, size=(240, 320))  # portrait, as the camera's user saw it
    # stored as a camera stores it: pixels turned a quarter, EXIF orientation 6 (rotate 90° clockwise to show)
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encoded(stored, "JPEG", quality=95, exif=exif.tobytes())

    hashes = hash_file(data, filename="portrait.jpg")

    upright_phash = reference_phash(encoded(upright, "JPEG", quality=95), tmp_path)
    stored_phash = str(imagehash.phash(stored))
    assert phash_distance(hashes.phash, upright_phash) <= 2
    assert phash_distance(hashes.phash, stored_phash) >= 16
    assert (hashes.width, hashes.height) == (240, 320)


def test_a_gif_is_hashed_on_its_first_frame(tmp_path: Path) -> None:
    first, second = scene(0), scene(1)
    data = encoded(first, "GIF", save_all=True, append_images=[second], duration=200, loop=0)
    with Image.open(io.BytesIO(data)) as animation:
        assert getattr(animation, "n_frames", 1) == 2

    hashes = hash_file(data)

    assert hashes.phash == reference_phash(data, tmp_path)
    assert phash_distance(hashes.phash, str(imagehash.phash(first))) <= 4  # the GIF palette's rounding
    assert phash_distance(hashes.phash, str(imagehash.phash(second))) >= 16


def test_the_type_is_told_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "really-a-png.jpg"
    path.write_bytes(encoded(scene(2), "PNG"))

    assert hash_file(path).format == "PNG"


def refusal(source: object, **options: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        hash_file(source, **options)  # type: ignore[arg-type]
    assert caught.value.code == "BAD_INPUT" and caught.value.field == "file"
    return caught.value


def test_an_unsupported_file_is_refused_naming_file_and_what_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a picture at all\n")

    error = refusal(path)

    assert "notes.txt" in error.message
    assert "JPEG, PNG, WebP or GIF images, MP4, MOV or WebM videos" in error.message


def test_an_unsupported_image_format_is_refused(tmp_path: Path) -> None:
    error = refusal(encoded(scene(0), "BMP"), filename="scan.bmp")
    assert "scan.bmp" in error.message and "accepted" in error.message


def test_a_truncated_jpeg_is_refused_as_corrupt() -> None:
    data = encoded(scene(0), "JPEG", quality=90)

    error = refusal(data[: len(data) // 2], filename="cut.jpg")

    assert "cut.jpg" in error.message and "cannot be decoded" in error.message


def test_a_png_with_a_broken_chunk_is_refused_as_corrupt() -> None:
    data = bytearray(encoded(scene(1), "PNG"))
    data[60:80] = bytes(20)  # inside the image data: its checksum no longer holds

    error = refusal(bytes(data), filename="broken.png")

    assert "cannot be decoded" in error.message


def test_an_image_with_too_many_pixels_is_refused_before_decoding() -> None:
    data = bytearray(encoded(Image.new("L", (1, 1)), "PNG"))
    header = struct.pack(">II", 30_000, 30_000) + bytes(data[24:29])  # 900 megapixels claimed
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))

    error = refusal(bytes(data), filename="bomb.png")

    assert "too many pixels" in error.message


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(encoded(scene(0), "PNG"))
    size = path.stat().st_size

    error = refusal(path, max_bytes=size - 1)

    assert f"is {size} bytes" in error.message and f"at most {size - 1} bytes" in error.message
    assert hash_file(path, max_bytes=size).format == "PNG"
    assert MAX_FILE_BYTES == 100 * 1024 * 1024


def test_missing_and_empty_files_are_refused(tmp_path: Path) -> None:
    assert "no such file" in refusal(tmp_path / "absent.jpg").message
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert "is empty" in refusal(empty).message
    assert "not a regular file" in refusal(tmp_path).message


def test_distance_to_is_the_hamming_distance_in_bits() -> None:
    hashes = hash_file(encoded(scene(0), "PNG"))
    flipped = f"{int(hashes.phash, 16) ^ 0b1011:016x}"

    assert hashes.distance_to(hashes.phash) == 0
    assert hashes.distance_to(flipped) == 3
    assert imagehash.hex_to_hash(hashes.phash) - imagehash.hex_to_hash(flipped) == 3


def test_the_phash_definition_holds_known_values(c2pa_fixtures: Path) -> None:
    # a change of imagehash, scipy or Pillow's resampling that moved these would move every stored phash
    assert hash_file(encoded(scene(0), "PNG")).phash == "b4b44b4ab6b2b4b4"
    assert hash_file(encoded(scene(1), "PNG")).phash == "bfbfc0e6c2c2c2c0"
    assert hash_file(c2pa_fixtures / "sample1.png").phash == "979c61c6032439ff"
