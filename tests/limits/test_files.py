"""Files through the API are bounded: hashed in worker processes, at most so many admitted (then BUSY with
Retry-After), within a pixel and frame budget, and stopped at their request's deadline — the worker killed,
the next file answered. Real Neo4j, real multipart requests, real worker processes."""

from __future__ import annotations

import asyncio
import io
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from PIL import Image

from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.media.hashing import hash_file
from likeness.media.workers import FileWorkers
from tests.api.uploads import ok, post_files, refused
from tests.media.media_factories import encoded, scene, video

TRACE = """
query Trace($file: Upload) { trace(file: $file) { sha256 phash framesHashed mediaType matches { kind } } }
"""


def slow_png() -> bytes:
    """A near-limit picture that costs little to send and much to decode: 9,400 × 9,400 of one colour
    (88 megapixels, ~260 KB), whose decoding takes well over a second on any machine."""
    return encoded(Image.new("RGB", (9400, 9400), (200, 40, 90)), "PNG")


@asynccontextmanager
async def app_with(
    graph: Graph, settings: Settings, **changes: Any
) -> AsyncIterator[tuple[Any, Callable[..., Any]]]:
    """The app with some settings changed (`file_workers=1` sets LIKENESS_FILE_WORKERS), and a function that
    traces a file through it."""
    app = create_app(
        settings.model_copy(update={f"likeness_{name}": value for name, value in changes.items()}),
        graph=graph,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=120
    ) as client:

        async def trace(data: bytes, name: str = "found.png", kind: str = "image/png") -> httpx.Response:
            return await post_files(client, TRACE, {"file": None}, {"file": (name, data, kind)})

        yield app, trace


async def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(0.01)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_file_past_the_admission_limit_is_refused_busy_with_retry_after(
    graph: Graph, settings: Settings
) -> None:
    async with app_with(graph, settings, file_workers=1, file_waiting=0, query_timeout=0) as (app, trace):
        files: FileWorkers = app.state.files
        first = asyncio.ensure_future(trace(slow_png(), "near-limit.png"))
        await until(lambda: files.admitted == 1)

        busy = await trace(encoded(scene(0), "PNG"))

        assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
        (error,) = refused(busy)
        assert error["extensions"] == {"code": "BUSY", "field": "file"}
        assert "1 running, 0 waiting" in error["message"] and "LIKENESS_FILE_WORKERS" in error["message"]
        answered = await ok(await first)  # the admitted file is answered
        assert answered["trace"]["mediaType"] == "IMAGE"
        assert files.admitted == 0
        again = await ok(await trace(encoded(scene(0), "PNG")))  # and the next file after it
        assert again["trace"]["phash"] == hash_file(encoded(scene(0), "PNG")).phash


async def test_files_beyond_the_workers_wait_up_to_the_waiting_limit(
    graph: Graph, settings: Settings
) -> None:
    async with app_with(graph, settings, file_workers=1, file_waiting=1, query_timeout=0) as (app, trace):
        files: FileWorkers = app.state.files
        running = asyncio.ensure_future(trace(slow_png(), "first.png"))
        await until(lambda: files.admitted == 1)
        waiting = asyncio.ensure_future(trace(encoded(scene(1), "PNG"), "second.png"))
        await until(lambda: files.admitted == 2)

        third = await trace(encoded(scene(2), "PNG"), "third.png")

        assert refused(third)[0]["extensions"]["code"] == "BUSY"
        first_answer, second_answer = await ok(await running), await ok(await waiting)
        assert first_answer["trace"]["sha256"] and second_answer["trace"]["sha256"]


async def test_a_file_past_its_deadline_is_stopped_its_worker_killed(
    graph: Graph, settings: Settings
) -> None:
    async with app_with(graph, settings, file_workers=1, file_waiting=0, query_timeout=0.5) as (app, trace):
        files: FileWorkers = app.state.files
        await files.start()  # the fork server's first start (imports) is not what the deadline is about
        stopped = asyncio.ensure_future(trace(slow_png(), "near-limit.png"))
        await until(lambda: bool(files.pids))
        (pid,) = files.pids

        answer = await stopped

        (error,) = refused(answer)
        assert error["extensions"]["code"] == "QUERY_TIMEOUT"
        await until(lambda: not alive(pid), seconds=10)  # the worker is gone, not left decoding
        assert files.admitted == 0 and not files.pids
    # the next file has a worker from the same pool (served without a deadline: a busy machine's to wait on)
    async with app_with(graph, settings, query_timeout=0) as (after, trace):
        after.state.files = files
        small = encoded(scene(1), "PNG")
        answered = await ok(await trace(small))
        assert answered["trace"]["phash"] == hash_file(small).phash


async def test_an_image_over_the_pixel_budget_is_refused_naming_file(
    graph: Graph, settings: Settings
) -> None:
    async with app_with(graph, settings, max_picture_pixels=320 * 240 - 1) as (_, trace):
        (error,) = refused(await trace(encoded(scene(0), "PNG"), "wide.png"))
        assert error["extensions"] == {"code": "BAD_INPUT", "field": "file"}
        assert "320 × 240 = 76,800" in error["message"] and "at most 76,799" in error["message"]
        assert "LIKENESS_MAX_PICTURE_PIXELS" in error["message"]

        (frame_error,) = refused(await trace(video([(scene(1), 3)]), "clip.mp4", "video/mp4"))
        assert frame_error["extensions"] == {"code": "BAD_INPUT", "field": "file"}
        assert "video frame has too many pixels" in frame_error["message"]


async def test_a_video_over_the_frame_budget_is_refused_naming_file(graph: Graph, settings: Settings) -> None:
    clip = video([(scene(0), 10), (scene(1), 10)], rate=10)  # 2 s at 10 frames a second: 20 frames
    async with app_with(graph, settings, max_video_frames=15) as (_, trace):
        (error,) = refused(await trace(clip, "clip.mp4", "video/mp4"))
        assert error["extensions"] == {"code": "BAD_INPUT", "field": "file"}
        assert "too many frames" in error["message"] and "LIKENESS_MAX_VIDEO_FRAMES" in error["message"]
    async with app_with(graph, settings, max_video_frames=20) as (_, trace):
        answered = await ok(await trace(clip, "clip.mp4", "video/mp4"))
        assert answered["trace"]["framesHashed"] == 2


async def test_a_file_hashed_by_a_worker_hashes_as_in_process(graph: Graph, settings: Settings) -> None:
    files = [encoded(scene(kind), format) for kind in range(3) for format in ("PNG", "JPEG")]
    large = io.BytesIO()
    scene(2, (2400, 2400)).save(large, "JPEG", quality=90)  # decoded at half its size
    files.append(large.getvalue())
    async with app_with(graph, settings) as (_, trace):
        for data in files:
            answered = await ok(await trace(data, "found.bin", "application/octet-stream"))
            expected = hash_file(data)
            assert (answered["trace"]["sha256"], answered["trace"]["phash"]) == (
                expected.sha256,
                expected.phash,
            )
