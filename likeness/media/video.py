"""A video's sampled frames: the first frame at or after each whole second, each hashed like an image."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import av
from av.container import InputContainer
from av.error import FFmpegError
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from likeness.errors import InvalidInput
from likeness.media.formats import ACCEPTED, MediaFormat
from likeness.media.images import phash

SAMPLE_INTERVAL_SECONDS = 1
MAX_SAMPLED_FRAMES = 120  # so the first two minutes of a video are hashed, and no more

# the display rotation (counter-clockwise degrees, as FFmpeg reports it) undone by each transpose
_UPRIGHT = {
    90: Image.Transpose.ROTATE_90,
    -90: Image.Transpose.ROTATE_270,
    270: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    -180: Image.Transpose.ROTATE_180,
}


@dataclass(frozen=True)
class SampledVideo:
    """The phashes of a video's sampled frames, the time of each, and the video's displayed size."""

    frame_phashes: tuple[str, ...]
    frame_times: tuple[float, ...]  # seconds after the first frame
    width: int
    height: int
    duration: float | None  # seconds, as the container or stream declares it


def upright_picture(frame: VideoFrame) -> Image.Image:
    """The frame as an RGB picture, turned as a player displays it (the stream's display rotation)."""
    picture = frame.to_image()
    transpose = _UPRIGHT.get(round(frame.rotation))
    return picture.transpose(transpose) if transpose is not None else picture


def _frame_time(frame: VideoFrame, index: int, rate: Fraction | None) -> Fraction:
    """The frame's presentation time in seconds, exact (no float rounding at whole seconds)."""
    timestamp = frame.pts if frame.pts is not None else frame.dts
    if timestamp is not None and frame.time_base is not None:
        return timestamp * frame.time_base
    return Fraction(index) / rate if rate else Fraction(index)


def _sampled_frames(container: InputContainer, stream: VideoStream) -> Iterator[tuple[Fraction, VideoFrame]]:
    """The first frame at or after each whole second after the first frame, each once, in order."""
    rate = Fraction(stream.average_rate) if stream.average_rate else None
    origin: Fraction | None = None
    due = Fraction(0)
    for index, frame in enumerate(container.decode(stream)):
        time = _frame_time(frame, index, rate)
        if origin is None:
            origin = time
        elapsed = time - origin
        if elapsed >= due:
            yield elapsed, frame
            due = Fraction((elapsed // SAMPLE_INTERVAL_SECONDS + 1) * SAMPLE_INTERVAL_SECONDS)


def _duration(container: InputContainer, stream: VideoStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def sample_video(data: bytes, media_format: MediaFormat, shown: str) -> SampledVideo:
    """The phashes of the video's frames sampled one per second, at most MAX_SAMPLED_FRAMES.

    Raises InvalidInput naming `file` when the bytes do not open as `media_format`, hold no video
    stream, or decode to no frame."""
    phashes: list[str] = []
    times: list[float] = []
    size = (0, 0)
    try:
        # the demuxer is named, never probed: a file is read only as the format its first bytes show
        with av.open(io.BytesIO(data), mode="r", format=media_format.demuxer) as container:
            if not container.streams.video:
                raise InvalidInput(
                    "file", shown, f"is a {media_format.name} file with no video stream; accepted: {ACCEPTED}"
                )
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for elapsed, frame in _sampled_frames(container, stream):
                picture = upright_picture(frame)
                if not phashes:
                    size = picture.size
                phashes.append(phash(picture))
                times.append(float(elapsed))
                if len(phashes) == MAX_SAMPLED_FRAMES:
                    break
            duration = _duration(container, stream)
    except FFmpegError as error:
        raise InvalidInput(
            "file",
            shown,
            f"starts like a {media_format.name} video but cannot be decoded ({error}); "
            f"accepted: {ACCEPTED}, complete and uncorrupted",
        ) from error
    if not phashes:
        raise InvalidInput("file", shown, f"is a {media_format.name} video with no decodable frame")
    return SampledVideo(tuple(phashes), tuple(times), size[0], size[1], duration)
