"""Videos: the first frame at or after each whole second, hashed like an image; a clip matches by any
frame."""

from __future__ import annotations

import io

import av
import imagehash
import pytest
from PIL import Image

from likeness.errors import InvalidInput
from likeness.media.hashing import hash_file
from likeness.media.images import phash_distance
from likeness.media.video import MAX_SAMPLED_FRAMES
from tests.media.media_factories import scene, video

NEAR = 8  # the distance within which a sighting matches (docs/api.md)


def phash_of(picture: Image.Image) -> str:
    return str(imagehash.phash(picture))


@pytest.mark.parametrize(
    ("container", "codec", "name"),
    [("mp4", "libx264", "MP4"), ("mov", "libx264", "MOV"), ("webm", "libvpx-vp9", "WEBM")],
)
def test_a_three_second_clip_of_two_scenes_hashes_one_frame_a_second(
    container: str, codec: str, name: str
) -> None:
    first, second = scene(0), scene(1)
    assert phash_distance(phash_of(first), phash_of(second)) >= 20
    data = video([(first, 15), (second, 15)], container=container, codec=codec, rate=10)

    hashes = hash_file(data, filename=f"clip.{container}")

    assert (hashes.media_type, hashes.format) == ("VIDEO", name)
    assert hashes.frame_times == (0.0, 1.0, 2.0)
    at_0, at_1, at_2 = hashes.frame_phashes
    assert phash_distance(at_0, phash_of(first)) <= NEAR and phash_distance(at_1, phash_of(first)) <= NEAR
    assert phash_distance(at_2, phash_of(second)) <= NEAR
    assert phash_distance(at_2, phash_of(first)) >= 20
    assert hashes.phash == at_0
    assert (hashes.width, hashes.height) == (320, 240)
    assert hashes.duration == pytest.approx(3.0, abs=0.1)


def test_a_clip_matches_a_picture_by_any_of_its_frames() -> None:
    first, second, other = scene(0), scene(1), scene(2)
    hashes = hash_file(video([(first, 10), (second, 10)], rate=10))

    assert hashes.distance_to(phash_of(second)) <= NEAR  # only the second sampled frame shows it
    assert phash_distance(hashes.phash, phash_of(second)) > NEAR
    assert hashes.distance_to(phash_of(other)) > NEAR


def test_at_most_the_cap_of_frames_is_sampled() -> None:
    small = scene(0, size=(64, 48))
    hashes = hash_file(video([(small, MAX_SAMPLED_FRAMES + 5)], rate=1))

    assert len(hashes.frame_phashes) == MAX_SAMPLED_FRAMES == 120
    assert hashes.frame_times[-1] == MAX_SAMPLED_FRAMES - 1
    assert hashes.duration == pytest.approx(MAX_SAMPLED_FRAMES + 5, abs=1)


def test_a_video_is_hashed_as_displayed_after_its_rotation() -> None:
    picture = scene(0)
    # a phone's portrait clip: stored landscape, shown turned a quarter clockwise
    hashes = hash_file(video([(picture, 10)], rotation=-90))

    shown = picture.transpose(Image.Transpose.ROTATE_270)
    assert (hashes.width, hashes.height) == (240, 320)
    assert phash_distance(hashes.phash, phash_of(shown)) <= NEAR
    assert phash_distance(hashes.phash, phash_of(picture)) > NEAR


def test_a_truncated_video_is_refused_naming_file() -> None:
    data = video([(scene(0), 20)])

    with pytest.raises(InvalidInput) as caught:
        hash_file(data[: len(data) // 2], filename="cut.mp4")

    assert caught.value.field == "file" and caught.value.code == "BAD_INPUT"
    assert "cut.mp4" in caught.value.message and "cannot be decoded" in caught.value.message


def test_a_file_with_sound_and_no_picture_is_refused() -> None:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as muxer:
        stream = muxer.add_stream("aac", rate=8000)
        frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)

    with pytest.raises(InvalidInput) as caught:
        hash_file(out.getvalue(), filename="voice.m4a")

    assert caught.value.field == "file" and "no video stream" in caught.value.message
