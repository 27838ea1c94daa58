"""A video's sampled frames: the first frame at or after each whole second, each hashed like an image; and
the faces of a few of them, spread evenly (likeness.media.faces)."""

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
from likeness.media.faces import (
    FACE_MAX_FRAME_PIXELS,
    MAX_FACE_FRAMES,
    FacePicture,
    FaceScan,
    face_picture,
    find_faces,
)
from likeness.media.formats import ACCEPTED, MediaFormat
from likeness.media.images import phash, refuse_pixels

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
    faces: FaceScan | None = None  # when asked for: of the sampled frames FaceFrames keeps


@dataclass
class FaceFrames:
    """The sampled frames whose faces are found: of n sampled frames, those whose index is a multiple of
    the smallest power of two s for which they are at most MAX_FACE_FRAMES (faces.frames_for_faces), kept
    as they arrive (at most one more than MAX_FACE_FRAMES held at once, each scaled down for its faces)."""

    kept: list[tuple[int, FacePicture]]
    stride: int = 1

    def offer(self, index: int, picture: Image.Image, elapsed: float) -> None:
        if index % self.stride:
            return
        prepared = face_picture(picture, frame_time=elapsed, max_pixels=FACE_MAX_FRAME_PIXELS)
        self.kept.append((index, prepared))
        if len(self.kept) > MAX_FACE_FRAMES:
            self.stride *= 2
            self.kept = [(kept, frame) for kept, frame in self.kept if kept % self.stride == 0]

    def scan(self) -> FaceScan:
        return find_faces(frame for _, frame in self.kept)


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


def _sampled_frames(
    container: InputContainer, stream: VideoStream, budget: FrameBudget
) -> Iterator[tuple[Fraction, VideoFrame]]:
    """The first frame at or after each whole second after the first frame, each once, in order; refused
    (naming `file`) when a frame is larger, or more frames must be decoded, than the budget allows."""
    rate = Fraction(stream.average_rate) if stream.average_rate else None
    origin: Fraction | None = None
    due = Fraction(0)
    for index, frame in enumerate(container.decode(stream)):
        budget.check(index + 1, frame.width, frame.height)
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


@dataclass(frozen=True)
class FrameBudget:
    """How much of a video may be decoded to sample it: frames at most `max_frames` (None: no limit), each
    of at most `max_pixels`. Checked from what the stream declares before decoding (its frame size; its
    frame rate over the sampled two minutes), and again on every decoded frame, as headers can lie."""

    shown: str
    max_frames: int | None = None
    max_pixels: int | None = None

    def check_declared(self, stream: VideoStream, duration: float | None) -> None:
        refuse_pixels((stream.width, stream.height), self.max_pixels, self.shown, "video frame")
        rate = stream.average_rate or stream.guessed_rate
        if self.max_frames is None or not rate or not duration:
            return  # nothing declared to go by: the frames are counted as they are decoded
        frames = int(min(duration, MAX_SAMPLED_FRAMES * SAMPLE_INTERVAL_SECONDS) * float(rate))
        if frames > self.max_frames:
            self._refuse(
                f"declares about {frames:,} frames in its first two minutes ({float(rate):g} a second)"
            )

    def check(self, decoded: int, width: int, height: int) -> None:
        refuse_pixels((width, height), self.max_pixels, self.shown, "video frame")
        if self.max_frames is not None and decoded > self.max_frames:
            self._refuse(f"needs more than {self.max_frames:,} frames decoded")

    def _refuse(self, found: str) -> None:
        raise InvalidInput(
            "file",
            self.shown,
            f"the video has too many frames to sample: it {found}; at most {self.max_frames:,} frames are "
            "decoded (LIKENESS_MAX_VIDEO_FRAMES), enough for its first two minutes at "
            f"{(self.max_frames or 0) // (MAX_SAMPLED_FRAMES * SAMPLE_INTERVAL_SECONDS):,} frames a second. "
            "Send a shorter clip, or one at a lower frame rate",
        )


def sample_video(
    data: bytes,
    media_format: MediaFormat,
    shown: str,
    *,
    max_frames: int | None = None,
    max_pixels: int | None = None,
    faces: bool = False,
) -> SampledVideo:
    """The phashes of the video's frames sampled one per second, at most MAX_SAMPLED_FRAMES, and with
    `faces` the faces of at most MAX_FACE_FRAMES of them (FaceFrames).

    Raises InvalidInput naming `file` when the bytes do not open as `media_format`, hold no video
    stream, decode to no frame, or need more than `max_frames` frames decoded, or frames of more than
    `max_pixels` pixels (None: no limit)."""
    budget = FrameBudget(shown, max_frames, max_pixels)
    phashes: list[str] = []
    times: list[float] = []
    size = (0, 0)
    face_frames = FaceFrames([]) if faces else None
    try:
        # the demuxer is named, never probed: a file is read only as the format its first bytes show
        with av.open(io.BytesIO(data), mode="r", format=media_format.demuxer) as container:
            if not container.streams.video:
                raise InvalidInput(
                    "file", shown, f"is a {media_format.name} file with no video stream; accepted: {ACCEPTED}"
                )
            stream = container.streams.video[0]
            budget.check_declared(stream, _duration(container, stream))
            stream.thread_type = "AUTO"
            for elapsed, frame in _sampled_frames(container, stream, budget):
                picture = upright_picture(frame)
                if not phashes:
                    size = picture.size
                phashes.append(phash(picture))
                times.append(float(elapsed))
                if face_frames is not None:
                    face_frames.offer(len(phashes) - 1, picture, float(elapsed))
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
    scan = face_frames.scan() if face_frames is not None else None
    return SampledVideo(tuple(phashes), tuple(times), size[0], size[1], duration, scan)
