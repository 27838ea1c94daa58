"""Faces from files (docs/hashing.md, "Faces"): each face's box and template, on the shared photographs of
public figures (../shared/fixtures/faces), on transformed copies, in a video's sampled frames, and on
hostile files: bounded answers, templates never shown."""

from __future__ import annotations

import itertools
import json
import pickle
import re
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from typer.testing import CliRunner

from likeness.cli import app
from likeness.config import Settings
from likeness.demo import photos
from likeness.errors import InvalidInput
from likeness.media.faces import (
    DIMENSIONS,
    FACE_MAX_FRAME_PIXELS,
    FACE_MAX_PIXELS,
    FACE_MODEL,
    MAX_FACE_FRAMES,
    MAX_FACES,
    Face,
    FaceScan,
    face_distance,
    face_picture,
    frames_for_faces,
)
from likeness.media.hashing import MediaHashes, hash_file
from likeness.media.workers import FileWorkers
from tests import needs
from tests.media.media_factories import encoded, video

THRESHOLD = Settings.model_fields["likeness_face_match_distance"].default
# who each single-person photograph shows (SOURCES.md)
PEOPLE = {
    "obama.jpg": "Barack Obama",
    "obama2.jpg": "Barack Obama",
    "biden.jpg": "Joe Biden",
    "alex1.jpg": "Alex Lacamoire",
    "lin-manuel-miranda.png": "Lin-Manuel Miranda",
}


def only_face(source: Path | bytes) -> Face:
    scan = hash_file(source).faces
    assert scan.found == 1 and len(scan.faces) == 1, scan
    return scan.faces[0]


def picture(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def test_the_threshold_is_dlibs_0_6() -> None:
    assert THRESHOLD == 0.6


def test_each_single_person_photograph_holds_one_face_and_the_pair_photograph_two_or_three(
    faces_fixtures: Path,
) -> None:
    for name in PEOPLE:
        face = only_face(faces_fixtures / name)
        assert len(face.vector) == DIMENSIONS and all(isinstance(value, float) for value in face.vector)
        assert face.frame_time == 0.0

    scan = hash_file(faces_fixtures / "obama_and_biden.jpg").faces
    assert 2 <= scan.found <= 3 and len(scan.faces) == scan.found
    assert scan.model == FACE_MODEL == "dlib-resnet-v1"


def test_the_same_person_is_within_the_threshold_and_different_people_beyond_it(faces_fixtures: Path) -> None:
    templates = {name: only_face(faces_fixtures / name).vector for name in PEOPLE}

    for a, b in itertools.combinations(PEOPLE, 2):
        distance = face_distance(templates[a], templates[b])
        if PEOPLE[a] == PEOPLE[b]:
            assert distance <= THRESHOLD, (a, b, distance)
        else:
            assert distance > THRESHOLD, (a, b, distance)

    # in the photograph of both, each is matched to his own portrait, and nobody else is
    together = hash_file(faces_fixtures / "obama_and_biden.jpg").faces.faces
    for name in ("obama.jpg", "biden.jpg", "alex1.jpg", "lin-manuel-miranda.png"):
        near = [face for face in together if face_distance(face.vector, templates[name]) <= THRESHOLD]
        assert len(near) == (1 if name in ("obama.jpg", "biden.jpg") else 0), name


def test_a_box_is_where_the_face_is_largest_face_first(faces_fixtures: Path) -> None:
    face = only_face(faces_fixtures / "obama.jpg")
    width, height = picture(faces_fixtures / "obama.jpg").size

    box = face.box
    assert 0 <= box.left < box.right <= width and 0 <= box.top < box.bottom <= height
    assert box.as_list() == [box.left, box.top, box.right, box.bottom]
    # the face is a good part of this portrait, in its upper half
    assert box.right - box.left > width // 5 and box.bottom < height * 0.6

    together = hash_file(faces_fixtures / "obama_and_biden.jpg").faces.faces
    areas = [(face.box.right - face.box.left) * (face.box.bottom - face.box.top) for face in together]
    assert areas == sorted(areas, reverse=True)


@pytest.mark.parametrize("transform", ["mirror", "quarter", "jpeg-q30", "greyscale", "crop"])
def test_a_transformed_copy_is_still_the_same_person(faces_fixtures: Path, transform: str) -> None:
    original = picture(faces_fixtures / "obama.jpg")
    width, height = original.size
    box = only_face(faces_fixtures / "obama.jpg").box
    copies = {
        "mirror": lambda: encoded(ImageOps.mirror(original), "PNG"),
        "quarter": lambda: encoded(
            original.resize((width // 4, height // 4), Image.Resampling.LANCZOS), "PNG"
        ),
        "jpeg-q30": lambda: encoded(original, "JPEG", quality=30),
        "greyscale": lambda: encoded(original.convert("L"), "PNG"),
        "crop": lambda: encoded(
            original.crop((box.left - 100, box.top - 100, box.right + 100, box.bottom + 100)), "PNG"
        ),
    }
    other_photograph = only_face(faces_fixtures / "obama2.jpg").vector
    someone_else = only_face(faces_fixtures / "biden.jpg").vector

    copy = only_face(copies[transform]())

    assert face_distance(copy.vector, other_photograph) <= THRESHOLD
    assert face_distance(copy.vector, someone_else) > THRESHOLD


def test_a_picture_stored_sideways_gets_boxes_in_the_upright_picture(faces_fixtures: Path) -> None:
    upright = picture(faces_fixtures / "obama.jpg")
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # stored turned a quarter ...
    exif = Image.Exif()
    exif[0x0112] = 6  # ... with the EXIF orientation that turns it back (ROTATE_270)
    data = encoded(sideways, "PNG", exif=exif)
    expected = only_face(encoded(upright, "PNG"))

    found = hash_file(data)

    assert (found.width, found.height) == upright.size
    (face,) = found.faces.faces
    assert face.box == expected.box
    assert face_distance(face.vector, expected.vector) < 0.01


def test_a_video_gets_the_faces_of_its_sampled_frames_with_their_times(faces_fixtures: Path) -> None:
    portrait = picture(faces_fixtures / "obama.jpg").resize((456, 568))  # even sides, for yuv420p
    clip = video([(portrait, 30)], rate=10)  # three seconds: frames sampled at 0, 1 and 2 s

    hashes = hash_file(clip)

    assert hashes.frame_times == (0.0, 1.0, 2.0)
    assert hashes.faces.found == 3
    assert [face.frame_time for face in hashes.faces.faces] == [0.0, 1.0, 2.0]
    other_photograph = only_face(faces_fixtures / "obama2.jpg").vector
    for face in hashes.faces.faces:
        assert face_distance(face.vector, other_photograph) <= THRESHOLD
        assert 0 <= face.box.left < face.box.right <= 456 and 0 <= face.box.top < face.box.bottom <= 568


def test_a_long_video_gets_the_faces_of_a_bounded_number_of_frames_spread_evenly(
    faces_fixtures: Path,
) -> None:
    portrait = picture(faces_fixtures / "obama.jpg").resize((256, 320))
    clip = video([(portrait, 200)], rate=1)  # 200 s: 120 frames sampled (the first two minutes)

    hashes = hash_file(clip)

    assert len(hashes.frame_times) == 120
    assert frames_for_faces(120) == 32
    assert [face.frame_time for face in hashes.faces.faces] == [0.0, 32.0, 64.0, 96.0]
    assert hashes.faces.found == MAX_FACE_FRAMES == 4


def test_the_frames_for_faces_are_those_at_the_smallest_power_of_two_stride() -> None:
    counts = (0, 1, 4, 5, 8, 9, 16, 17, 120)
    assert [frames_for_faces(count) for count in counts] == [1, 1, 1, 2, 2, 4, 4, 8, 32]


def test_an_image_of_two_hundred_faces_counts_them_all_and_describes_max_faces(faces_fixtures: Path) -> None:
    portrait = picture(faces_fixtures / "obama.jpg")
    box = only_face(faces_fixtures / "obama.jpg").box
    tile = portrait.crop((box.left - 40, box.top - 40, box.right + 40, box.bottom + 40)).resize((140, 140))
    crowd = Image.new("RGB", (140 * 20, 140 * 10))
    for row, column in itertools.product(range(10), range(20)):
        crowd.paste(tile, (column * 140, row * 140))

    scan = hash_file(encoded(crowd, "PNG")).faces

    assert scan.found == 200
    assert len(scan.faces) == MAX_FACES == 20


def test_a_40_megapixel_bomb_is_bounded_its_faces_found_in_a_scaled_copy() -> None:
    bomb = Image.new("L", (8000, 5000), 128)
    data = encoded(bomb, "PNG", optimize=True)
    assert len(data) < 100_000  # a small file that decodes to 40 million pixels

    prepared = face_picture(bomb)
    assert prepared.pixels.width * prepared.pixels.height <= FACE_MAX_PIXELS
    assert prepared.pixels.mode == "RGB" and (prepared.width, prepared.height) == (8000, 5000)

    hashes = hash_file(data)
    assert (hashes.width, hashes.height) == (8000, 5000)
    assert hashes.faces == FaceScan(faces=(), found=0)


def test_a_large_picture_gives_boxes_in_its_own_pixels(faces_fixtures: Path) -> None:
    portrait = picture(faces_fixtures / "obama.jpg")  # 910 × 1137
    large = portrait.resize((portrait.width * 3, portrait.height * 3))  # 9.3 MP, scaled for its faces
    expected = only_face(encoded(portrait, "PNG")).box

    face = only_face(encoded(large, "PNG"))

    # the same face, in the large picture's pixels (the detector's own boxes differ a little by scale)
    assert overlap(face.box.as_list(), [3 * side for side in expected.as_list()]) > 0.8


def overlap(a: list[int], b: list[int]) -> float:
    """Intersection over union of two boxes [left, top, right, bottom]."""
    width = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])
    return width * height / (area - width * height)


def test_video_frames_are_scaled_to_their_own_budget() -> None:
    frame = Image.new("RGB", (1920, 1080))
    prepared = face_picture(frame, max_pixels=FACE_MAX_FRAME_PIXELS)
    assert prepared.pixels.width * prepared.pixels.height <= FACE_MAX_FRAME_PIXELS
    assert prepared.pixels.width / prepared.pixels.height == pytest.approx(1920 / 1080, rel=0.01)


def test_pictures_of_no_face_and_of_any_mode_get_an_empty_scan() -> None:
    noise = np.random.default_rng(7).integers(0, 256, (300, 400), dtype=np.uint8)
    for mode in ("L", "RGB", "RGBA", "P", "I;16"):
        deep = Image.fromarray(noise.astype("<u2") * 256)  # 16-bit greyscale
        image = deep if mode == "I;16" else Image.fromarray(noise).convert(mode)
        scan = hash_file(encoded(image, "PNG")).faces
        assert scan.found == 0 and scan.faces == (), mode


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7 not an image at all", "is not a file of an accepted format"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, "cannot be decoded"),
    ],
)
def test_a_corrupt_or_non_image_file_is_refused_naming_file(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        hash_file(data, filename="found.jpg")
    assert refused.value.code == "BAD_INPUT" and refused.value.field == "file"
    assert reason in refused.value.message


def test_a_truncated_photograph_is_refused(faces_fixtures: Path) -> None:
    data = (faces_fixtures / "obama.jpg").read_bytes()
    with pytest.raises(InvalidInput) as refused:
        hash_file(data[: len(data) // 3], filename="obama.jpg")
    assert refused.value.code == "BAD_INPUT" and "cannot be decoded" in refused.value.message


def test_faces_can_be_left_out() -> None:
    data = encoded(Image.new("RGB", (64, 48)), "PNG")
    assert hash_file(data, faces=False).faces == FaceScan(faces=(), found=0)


def _floats(vector: tuple[float, ...]) -> list[str]:
    return [repr(value) for value in vector] + [f"{value:.4f}" for value in vector]


def test_no_template_appears_in_any_repr_or_str(faces_fixtures: Path) -> None:
    hashes = hash_file(faces_fixtures / "obama_and_biden.jpg")
    shown = [repr(hashes), str(hashes), repr(hashes.faces), str(hashes.faces)]
    shown += [text for face in hashes.faces.faces for text in (repr(face), str(face))]

    for face in hashes.faces.faces:
        for value in _floats(face.vector):
            assert not any(value in text for text in shown)
    assert all("vector" not in text for text in shown)


def test_hashes_with_faces_pickle_whole(faces_fixtures: Path) -> None:
    hashes = hash_file(faces_fixtures / "obama.jpg")

    again = pickle.loads(pickle.dumps(hashes))

    assert isinstance(again, MediaHashes) and again == hashes
    assert again.faces.faces[0].vector == hashes.faces.faces[0].vector  # compare=False: checked apart


async def test_a_worker_answers_the_faces_through_its_pipe(faces_fixtures: Path) -> None:
    data = (faces_fixtures / "obama.jpg").read_bytes()
    workers = FileWorkers(workers=1, waiting=0)

    async def chunks() -> AsyncIterator[bytes]:
        yield data

    hashes = await workers.hash(chunks(), filename="obama.jpg", deadline=None)

    (face,) = hashes.faces.faces
    assert face.vector == only_face(data).vector and face.box == only_face(data).box


def demo_photo(which: tuple[str, str]) -> Path:
    try:
        return photos.photo(which)
    except FileNotFoundError as error:
        needs.missing(f"{which[0]} (requirements.lock installs it): {error}")


def test_grace_hopper_holds_one_face_and_the_astronaut_one_above_her_mission_patch() -> None:
    only_face(demo_photo(photos.GRACE_HOPPER))

    astronaut = demo_photo(photos.ASTRONAUT)
    whole = hash_file(astronaut).faces
    # the HOG detector also fires on the round patch on her suit (photos.py says so): two, hers the larger
    assert whole.found == 2
    face, patch = whole.faces
    assert face.box.bottom <= photos.ASTRONAUT_HEAD[3] < patch.box.top
    assert face_distance(face.vector, patch.vector) > THRESHOLD
    with Image.open(astronaut) as image:
        head = encoded(image.crop(photos.ASTRONAUT_HEAD), "PNG")
    assert only_face(head).box == face.box


def test_the_hash_command_prints_boxes_and_no_template(faces_fixtures: Path) -> None:
    result = CliRunner().invoke(app, ["hash", str(faces_fixtures / "obama_and_biden.jpg")])

    assert result.exit_code == 0
    assert not re.search(r"(-?\d+\.\d+\s*,\s*){8,}", result.stdout)  # no long list of floats anywhere
    answer = json.loads(result.stdout)["faces"]
    assert answer["model"] == FACE_MODEL and answer["found"] == answer["described"] == len(answer["faces"])
    for face in answer["faces"]:
        assert set(face) == {"box"} and all(isinstance(side, int) for side in face["box"])
    expected = [face.box.as_list() for face in hash_file(faces_fixtures / "obama_and_biden.jpg").faces.faces]
    assert [face["box"] for face in answer["faces"]] == expected
