"""Faces from files (docs/hashing.md, "Faces"; docs/performance.md, "Faces"): what finding the faces and
their templates costs, in the process and in a file worker, how a worker's memory peaks on a bomb, and how
well the templates match on the shared photographs and on transformed copies of them.

    python -m bench.faces [--fixtures ../shared/fixtures/faces] [--runs 7] [--out bench/results/faces.json]

Timing: p50 (and min, max) of `runs` runs of each (and, in the process, the processor time used), on
JPEGs made from obama.jpg at 1 and 4 megapixels. "direct" calls hash_file in this process (faces and
phash; "no faces" with faces=False; "faces only" the detector and the templates on the decoded picture).
"worker" sends the file through FileWorkers (a fork of the fork server, the models preloaded), and "worker,
models not preloaded" the same with a fork server that did not load them (what each file cost before the
preload). Memory: the worker's peak resident memory (VmHWM, polled every 5 ms) on a 40-megapixel PNG bomb,
a 4 MP photograph and a 200-face picture. Accuracy: every pair of faces, originals and transformed copies
(crop, 25 %, JPEG q30, greyscale, mirror), counted as a false match (different people within the
threshold) or a missed one (the same person beyond it, or a copy in which no face is found).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import statistics
import time
from collections.abc import AsyncIterator, Callable
from importlib import metadata
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from bench.machine import load, machine, rss_kib, shown_path, versions
from likeness.config import Settings
from likeness.media import workers as workers_module
from likeness.media.faces import face_distance, face_picture, find_faces, models
from likeness.media.hashing import hash_file
from likeness.media.workers import FileWorkers
from tests.media.media_factories import video

THRESHOLD = Settings.model_fields["likeness_face_match_distance"].default
PEOPLE = {
    "obama.jpg": "Barack Obama",
    "obama2.jpg": "Barack Obama",
    "biden.jpg": "Joe Biden",
    "alex1.jpg": "Alex Lacamoire",
    "lin-manuel-miranda.png": "Lin-Manuel Miranda",
}
# the faces of obama_and_biden.jpg, told by where they are (the third is a stranger in the background)
TOGETHER = {1133: "Barack Obama", 737: "Joe Biden"}


def encoded(picture: Image.Image, format: str = "PNG", **options: Any) -> bytes:
    out = io.BytesIO()
    picture.save(out, format, **options)
    return out.getvalue()


def rgb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def at_megapixels(picture: Image.Image, megapixels: float) -> Image.Image:
    scale = (megapixels * 1_000_000 / (picture.width * picture.height)) ** 0.5
    return picture.resize(
        (round(picture.width * scale), round(picture.height * scale)), Image.Resampling.LANCZOS
    )


def summary(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_s": round(statistics.median(seconds), 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "runs": len(seconds),
    }


def timed(run: Callable[[], object], runs: int) -> dict[str, float]:
    """Wall-clock seconds of each run, and the p50 of the processor seconds it used (this process's: on a
    shared machine, less moved by the others' load than the wall clock)."""
    run()  # warm: the models, scipy's FFT
    seconds, cpu = [], []
    for _ in range(runs):
        started, processor = time.perf_counter(), time.process_time()
        run()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
    return {**summary(seconds), "cpu_p50_s": round(statistics.median(cpu), 3)}


def crowd(portrait: Image.Image, box: list[int]) -> Image.Image:
    """One face tiled 200 times (20 × 10, 140 pixels each)."""
    tile = portrait.crop((box[0] - 40, box[1] - 40, box[2] + 40, box[3] + 40)).resize((140, 140))
    picture = Image.new("RGB", (140 * 20, 140 * 10))
    for row, column in itertools.product(range(10), range(20)):
        picture.paste(tile, (column * 140, row * 140))
    return picture


async def in_worker(data: bytes, runs: int) -> tuple[dict[str, float], int, int]:
    """Job times, the worker's peak resident memory (KiB, the largest over the runs) and the faces found."""
    workers = FileWorkers(workers=1, waiting=0)
    await workers.start()

    async def chunks() -> AsyncIterator[bytes]:
        yield data

    seconds: list[float] = []
    peak = 0
    found = 0
    for run in range(runs + 1):
        started = time.perf_counter()
        job = asyncio.ensure_future(workers.hash(chunks(), filename="bench", deadline=None))
        while not job.done():
            for pid in list(workers.pids):
                peak = max(peak, rss_kib(pid).get("VmHWM", 0))
            await asyncio.sleep(0.005)
        found = job.result().faces.found
        if run:  # the first is a warm-up
            seconds.append(time.perf_counter() - started)
    return summary(seconds), peak, found


def fork_server_rss() -> dict[str, int]:
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # noqa: SLF001 - measured, not used
    return rss_kib(pid) if pid else {}


def accuracy(fixtures: Path) -> dict[str, Any]:
    """Every pair of faces among the photographs and their transformed copies, at the threshold."""
    faces: list[tuple[str, str, str, tuple[float, ...]]] = []  # (person, photograph, copy, template)
    missing: list[str] = []
    for name, person in PEOPLE.items():
        original = rgb(fixtures / name)
        (face,) = hash_file(fixtures / name).faces.faces
        left, top, right, bottom = face.box.as_list()
        margin = (right - left) // 2
        copies = {
            "original": original,
            "crop": original.crop((left - margin, top - margin, right + margin, bottom + margin)),
            "resize 25 %": original.resize(
                (original.width // 4, original.height // 4), Image.Resampling.LANCZOS
            ),
            "jpeg q30": Image.open(io.BytesIO(encoded(original, "JPEG", quality=30))),
            "greyscale": original.convert("L"),
            "mirror": ImageOps.mirror(original),
        }
        for copy, picture in copies.items():
            scan = hash_file(encoded(picture)).faces
            if not scan.faces:
                missing.append(f"{name} {copy}")
                continue
            faces.append((person, name, copy, scan.faces[0].vector))
    for face in hash_file(fixtures / "obama_and_biden.jpg").faces.faces:
        person = TOGETHER.get(face.box.left, "stranger")
        faces.append((person, "obama_and_biden.jpg", "original", face.vector))
    false_matches, missed, same, different = [], [], [], []
    for a, b in itertools.combinations(faces, 2):
        if a[1] == b[1]:
            continue  # copies of one photograph: not a question of recognising a person
        distance = round(face_distance(a[3], b[3]), 3)
        pair = f"{a[1]} {a[2]} / {b[1]} {b[2]}: {distance}"
        if a[0] == b[0] and a[0] != "stranger":
            same.append(distance)
            if distance > THRESHOLD:
                missed.append(pair)
        else:
            different.append(distance)
            if distance <= THRESHOLD:
                false_matches.append(pair)
    return {
        "threshold": THRESHOLD,
        "faces": len(faces),
        "copies_with_no_face_found": missing,
        "same_person_pairs": len(same),
        "same_person_distance": [min(same), max(same)] if same else None,
        "missed_matches": missed,
        "different_people_pairs": len(different),
        "different_people_distance": [min(different), max(different)] if different else None,
        "false_matches": false_matches,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faces")
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "faces",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/results/faces.json"))
    args = parser.parse_args(argv)
    face_packages = ("dlib-bin", "face-recognition-models", "pillow", "numpy")
    result: dict[str, Any] = {
        "face_versions": {name: metadata.version(name) for name in face_packages},
        "machine": machine(),
        "versions": versions(),
        "fixtures": shown_path(args.fixtures),
    }
    started, processor = time.perf_counter(), time.process_time()
    models()  # the first in this process: what a worker not forked from a preloaded server pays per file
    result["models_load"] = {
        "s": round(time.perf_counter() - started, 3),
        "cpu_s": round(time.process_time() - processor, 3),
    }
    print(f"models load: {result['models_load']}", flush=True)
    portrait = rgb(args.fixtures / "obama.jpg")
    pictures = {mp: encoded(at_megapixels(portrait, mp), "JPEG", quality=90) for mp in (1, 4)}

    direct: dict[str, Any] = {}
    for mp, data in pictures.items():
        with Image.open(io.BytesIO(data)) as image:
            decoded = image.convert("RGB")
        direct[f"{mp} MP"] = {
            "size": list(decoded.size),
            "hash_file": timed(lambda data=data: hash_file(data), args.runs),
            "hash_file, no faces": timed(lambda data=data: hash_file(data, faces=False), args.runs),
            "faces only": timed(lambda decoded=decoded: find_faces([face_picture(decoded)]), args.runs),
        }
        print(f"direct {mp} MP: {direct[f'{mp} MP']}", flush=True)
    result["direct"] = direct

    (face,) = hash_file(args.fixtures / "obama.jpg").faces.faces
    bomb = encoded(Image.new("RGB", (8000, 5000), (128, 120, 110)), optimize=True)
    files = {
        "1 MP photograph": pictures[1],
        "4 MP photograph": pictures[4],
        "200 faces (2800 x 1400)": encoded(crowd(portrait, face.box.as_list())),
        f"40 MP PNG bomb ({len(bomb):,} bytes)": bomb,
    }
    files["video, 200 s at 2 frames a second, 720 x 900 (faces of 4 frames)"] = video(
        [(portrait.resize((720, 900)), 400)], rate=2
    )
    for label in list(files)[2:]:
        data = files[label]
        direct[label] = {
            "hash_file": timed(lambda data=data: hash_file(data), max(3, args.runs // 2)),
            "hash_file, no faces": timed(
                lambda data=data: hash_file(data, faces=False), max(3, args.runs // 2)
            ),
        }
        print(f"direct {label}: {direct[label]}", flush=True)
    worker: dict[str, Any] = {}
    for label, data in files.items():
        seconds, peak, found = asyncio.run(in_worker(data, args.runs))
        worker[label] = {**seconds, "peak_rss_mib": round(peak / 1024, 1), "faces_found": found}
        print(f"worker {label}: {worker[label]}", flush=True)
    worker["fork server"] = {key: round(value / 1024, 1) for key, value in fork_server_rss().items()}
    result["worker"] = worker

    # what each file cost before the fork server preloaded the models: a new fork server without them
    forkserver._forkserver._stop()  # noqa: SLF001 - the bench's own fork server, restarted
    workers_module._PRELOADED[:] = [name for name in workers_module._PRELOADED if "preload" not in name]  # noqa: SLF001
    seconds, peak, _ = asyncio.run(in_worker(pictures[4], args.runs))
    result["worker, models not preloaded"] = {
        "4 MP photograph": {**seconds, "peak_rss_mib": round(peak / 1024, 1)}
    }
    print(f"worker, models not preloaded: {result['worker, models not preloaded']}", flush=True)

    result["accuracy"] = accuracy(args.fixtures)
    print(json.dumps(result["accuracy"], indent=1), flush=True)
    result["load_at_end"] = load()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
