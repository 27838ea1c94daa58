"""File jobs in worker processes: a file sent to the API is hashed (likeness.media.hashing) in a process of
its own, never in the API's, so that its memory goes back when the job ends and the job can be stopped.

One job, one process, forked from a server that has the media libraries loaded already (multiprocessing's
forkserver, ~10 ms a fork): the process ends with its job, so whatever a hostile file made a decoder hold
is returned to the system, and a job past its request's deadline is killed (SIGKILL) without touching any
other. The API admits at most `workers` jobs running and `waiting` more waiting for a worker; one more is
refused at once with BUSY (a queue that grows would only time out later, holding its upload meanwhile).
docs/limits.md says what each setting bounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import sys
import threading
import traceback
import types
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from time import monotonic
from typing import TYPE_CHECKING, cast

from likeness.errors import Busy, InvalidInput, LikenessError

if TYPE_CHECKING:
    from likeness.config import Settings
    from likeness.media.hashing import MediaHashes
    from likeness.media.signing import Publication, SignedBytes, SigningKeys

# the workers are forked from a server that imported these once (a fork shares them, copy-on-write);
# imagehash imports scipy.fftpack only when it first hashes, which would cost every worker ~2 s; the face
# models (likeness.media.preload) would cost each about 0.4 s
_PRELOADED = ["likeness.media.hashing", "likeness.media.signing", "scipy.fftpack", "likeness.media.preload"]
# a worker yields the processor to the API and to Neo4j: a file job is the least urgent work on the host
WORKER_NICENESS = 10
# how long a killed or finished worker is waited for before its process handle is let go
_REAP_SECONDS = 10.0


@dataclass(frozen=True)
class FileBudget:
    """What one file job may decode (0 or None: no limit of its own; Pillow's still holds for images)."""

    max_pixels: int | None = None  # of one picture: an image, a video frame
    max_frames: int | None = None  # of one video, to sample its first two minutes
    # PEM certificates whose signers count as trusted (LIKENESS_C2PA_TRUST_ANCHORS, read once at start)
    trust_anchors: str | None = None


@dataclass
class FileWorkers:
    """The API's file jobs: at most `workers` running at once, each in its own process, and `waiting` more
    admitted to wait for one; stopped at their request's deadline."""

    workers: int
    waiting: int
    budget: FileBudget = field(default_factory=FileBudget)
    admitted: int = 0  # jobs running or waiting now
    pids: set[int] = field(default_factory=set)  # the worker processes alive now (until each is reaped)
    _running: asyncio.Semaphore | None = field(default=None, repr=False)

    @classmethod
    def of(cls, settings: Settings) -> FileWorkers:
        """The workers the settings ask for; a trust anchors' bundle that cannot be used is refused here
        (InvalidInput naming LIKENESS_C2PA_TRUST_ANCHORS), when the app is made."""
        anchors = None
        if settings.likeness_c2pa_trust_anchors is not None:
            # the C2PA SDK loads in the API's process only when there is a bundle for it to check
            from likeness.media.credentials import load_trust_anchors

            anchors = load_trust_anchors(settings)
        return cls(
            workers=max(1, settings.likeness_file_workers),
            waiting=max(0, settings.likeness_file_waiting),
            budget=FileBudget(
                max_pixels=settings.likeness_max_picture_pixels or None,
                max_frames=settings.likeness_max_video_frames or None,
                trust_anchors=anchors,
            ),
        )

    async def start(self) -> None:
        """Start the fork server the workers are forked from (done by the first file otherwise: it imports
        the media libraries, a second or two)."""
        _context()
        await asyncio.to_thread(_ensure_server)

    @property
    def limit(self) -> int:
        """How many jobs may be admitted at once: running and waiting."""
        return self.workers + self.waiting

    async def hash(
        self, chunks: AsyncIterator[bytes], *, filename: str | None, deadline: float | None
    ) -> MediaHashes:
        """The hashes of the file whose bytes `chunks` yields, computed in a worker process.

        Raises Busy at once when `limit` jobs are admitted already; TimeoutError when `deadline`
        (time.monotonic()) passes first, waiting or running: the worker is then killed. A file the
        hashing refuses is refused as it says (a LikenessError naming `file`)."""
        reply = await self._admitted(chunks, filename, deadline, ("hash", self.budget))
        return cast("MediaHashes", reply)

    async def sign(
        self,
        chunks: AsyncIterator[bytes],
        *,
        filename: str | None,
        deadline: float | None,
        mime_type: str,
        publication: Publication,
        keys: SigningKeys,
    ) -> Signed:
        """The file whose bytes `chunks` yields signed for `publication` (likeness.media.signing), and the
        hashes and Content Credentials of the signed file, in a worker process; admitted, bounded and
        stopped like `hash`."""
        job = ("sign", self.budget, mime_type, publication, keys)
        return cast("Signed", await self._admitted(chunks, filename, deadline, job))

    async def _admitted(
        self,
        chunks: AsyncIterator[bytes],
        filename: str | None,
        deadline: float | None,
        job: tuple[object, ...],
    ) -> object:
        if self.admitted >= self.limit:
            raise Busy(
                "file",
                f"the server is hashing as many files as it admits at once ({self.workers} running, "
                f"{self.waiting} waiting: LIKENESS_FILE_WORKERS, LIKENESS_FILE_WAITING); nothing was read "
                "or recorded. Send it again in a few seconds (Retry-After)",
            )
        if self._running is None:
            self._running = asyncio.Semaphore(self.workers)
        self.admitted += 1
        try:
            async with asyncio.timeout(None if deadline is None else deadline - monotonic()):
                async with self._running:
                    return await _run_job(chunks, filename, job, self.pids)
        finally:
            self.admitted -= 1


@dataclass(frozen=True)
class Signed:
    """A file signed in a worker: its bytes with the manifest, and what hashing the signed file found."""

    signed: SignedBytes
    hashes: MediaHashes


def _context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOADED)
    return context


async def _run_job(
    chunks: AsyncIterator[bytes], filename: str | None, job: tuple[object, ...], pids: set[int]
) -> object:
    """Start a worker, send it the file, and answer its reply; the worker is killed if this is left early
    (a deadline, a cancelled request) and let go once it has ended."""
    context = _context()
    ours, theirs = context.Pipe()
    process = context.Process(target=hash_in_worker, args=(theirs,), name="likeness-file", daemon=True)
    try:
        await _started(process)
        pids.add(process.pid or 0)
        theirs.close()  # the worker holds its end now: its exit reads here as the end of the pipe
        ours.send((filename, job))
        async for chunk in chunks:
            if chunk:
                await asyncio.to_thread(ours.send_bytes, chunk)
        await asyncio.to_thread(ours.send_bytes, b"")
        reply = await _reply(ours)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        await asyncio.to_thread(process.join, _REAP_SECONDS)
        raise InvalidInput(
            "file",
            filename or "the file",
            f"its decoding ended the worker hashing it (exit code {process.exitcode}); accepted: complete, "
            "uncorrupted files within the limits of docs/limits.md",
        ) from None
    finally:
        theirs.close()
        ours.close()
        _stop(process, pids)
    return _answer(reply)


async def _started(process: BaseProcess) -> None:
    """Start the worker: a fork from the fork server, milliseconds, once the server runs (its first start,
    which imports the media libraries, is waited for in a thread)."""
    await asyncio.to_thread(_ensure_server)
    with _no_main():
        process.start()


def _ensure_server() -> None:
    with _no_main():
        forkserver.ensure_running()


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_main() -> Iterator[None]:
    """While the fork server starts and a worker is started: a __main__ with no file and no spec, so that
    neither imports the API's own main module again. multiprocessing runs the parent's __main__ in every
    process it starts, to find what the parent pickled there; the workers' target is in this module, and
    `likeness serve`'s main module imports the whole API (~0.9 s a file: docs/limits.md, Files)."""
    with _MAIN_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


async def _reply(connection: Connection) -> object:
    """The worker's one reply, awaited without holding a thread (EOFError when it ended without one). A
    reply larger than the pipe holds (a signed file) arrives in pieces after the first is readable, and an
    event loop may have made the descriptor non-blocking (uvloop does): it is read blocking, in a thread."""
    loop = asyncio.get_running_loop()
    readable = loop.create_future()
    descriptor = connection.fileno()
    loop.add_reader(descriptor, lambda: readable.done() or readable.set_result(None))
    try:
        await readable
    finally:
        loop.remove_reader(descriptor)
    os.set_blocking(descriptor, True)
    return await asyncio.to_thread(connection.recv)


def _answer(reply: object) -> object:
    """What a worker replied (hashes, a signed file), or its refusal raised again here."""
    match reply:
        case ("hashed", hashes):
            return hashes
        case ("signed", signed):
            return signed
        case ("refused", str(code), field_name, str(message)):
            refused = LikenessError(message, field=field_name if isinstance(field_name, str) else None)
            refused.code = code
            raise refused
        case ("failed", str(trace)):
            raise RuntimeError(f"hashing a file failed in its worker process:\n{trace}")
    raise RuntimeError(f"a file worker replied {reply!r:.200}")


def _stop(process: BaseProcess, pids: set[int]) -> None:
    """Kill the worker if it still runs, and let its handle go once it has ended (in a thread)."""
    if process.pid is None:
        return
    if process.exitcode is None:
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(RuntimeError):
        asyncio.get_running_loop().run_in_executor(None, _reap, process, pids)


def _reap(process: BaseProcess, pids: set[int]) -> None:
    pid = process.pid
    process.join(_REAP_SECONDS)
    if process.exitcode is not None:
        pids.discard(pid or 0)
        with contextlib.suppress(ValueError):
            process.close()


def hash_in_worker(connection: Connection) -> None:
    """A worker's whole life: read one file, hash it (or sign it and hash the signed file), reply, end (a
    refusal or a failure is a reply too)."""
    os.nice(WORKER_NICENESS)
    filename, job = connection.recv()
    chunks: list[bytes] = []
    while chunk := connection.recv_bytes():
        chunks.append(chunk)
    data = b"".join(chunks)
    chunks.clear()
    try:
        reply: tuple[object, ...] = _work(data, filename, job)
    except LikenessError as error:
        reply = ("refused", error.code, error.field, error.message)
    except Exception:  # noqa: BLE001 - anything else is the server's fault: reported, with its traceback
        reply = ("failed", traceback.format_exc())
    connection.send(reply)
    connection.close()


def _work(data: bytes, filename: str | None, job: tuple[object, ...]) -> tuple[object, ...]:
    from likeness.media.hashing import hash_file
    from likeness.media.signing import Publication, SigningKeys, sign

    match job:
        case ("hash", FileBudget() as budget):
            return ("hashed", _hash(hash_file, data, filename, budget))
        case (
            "sign",
            FileBudget() as budget,
            str(mime_type),
            Publication() as publication,
            SigningKeys() as keys,
        ):
            signed = sign(data, mime_type, publication, keys)
            del data
            # the signed file as the record keeps it: its faces were found in the file sent
            hashes = _hash(hash_file, signed.data, filename, budget, faces=False)
            return ("signed", Signed(signed, hashes))
    raise RuntimeError(f"a file worker was given the job {job!r:.200}")


def _hash(
    hash_file: Callable[..., MediaHashes],
    data: bytes,
    filename: str | None,
    budget: FileBudget,
    *,
    faces: bool = True,
) -> MediaHashes:
    return hash_file(
        data,
        filename=filename,
        max_pixels=budget.max_pixels,
        max_frames=budget.max_frames,
        trust_anchors=budget.trust_anchors,
        faces=faces,
    )
