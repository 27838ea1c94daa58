"""Files against a running API: bursts of ten concurrent traces, the API's memory meanwhile, and a normal
question's latency meanwhile (issue 21: bounded file work).

    python -m bench.files --url http://127.0.0.1:8000 --token "$BRAND_KEY" --pid "$API_PID"

Two bursts, each of ten traces sent at once, each file in its own multipart request:

- ten near-limit PNGs: 9,400 × 9,400 pixels of one colour (88 megapixels, ~260 KB each, different colours);
- ten 40 MiB JPEGs: random pixels at quality 100 (each its own seed).

Meanwhile a normal question (an asset and its publisher, the demo world's) is asked every 200 ms on its own
connection. Memory is the API process and every process under it (its file workers and the fork server
they come from), sampled every 50 ms from /proc: the sum of their RSS (shared pages counted in each) and of
their PSS (shared pages divided among them), before the burst (idle), at its peak, and 2 s after it.

Targets: peak under 1 GB above idle, every admitted trace answered (refusals are BUSY, not timeouts), the
normal question under 1 s. It prints one JSON object per burst.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import Image

TRACE = "query Trace($file: Upload) { trace(file: $file) { sha256 phash matches { kind } } }"
NORMAL = '{ asset(id: "asset-ss25-liv-feed") { id publisher { name } } }'
MIB = 1024 * 1024


def near_limit_png(index: int) -> bytes:
    """9,400 × 9,400 of one colour: just under Pillow's 89,478,485-pixel limit, and tiny once compressed."""
    out = io.BytesIO()
    Image.new("RGB", (9400, 9400), (index * 23 % 256, 40, 90)).save(out, "PNG")
    return out.getvalue()


def large_jpeg(index: int, size: int = 40 * MIB) -> bytes:
    """A JPEG of about `size` bytes: random pixels (which do not compress) at quality 100."""
    side = int((size / 1.8) ** 0.5)  # measured: ~1.8 bytes a pixel at quality 100
    pixels = np.random.default_rng(index).integers(0, 256, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=100)
    return out.getvalue()


def process_tree(root: int) -> list[int]:
    """`root` and every process under it (children of children too), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(parents.get(pid, []))
    return tree


def memory_mb(root: int) -> tuple[float, float]:
    """The RSS and PSS of the process tree under `root`, summed, in MB."""
    rss = pss = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


@dataclass
class Sampler:
    """Samples the tree's memory every 50 ms in a thread, keeping the peak."""

    root: int
    peak_rss: float = 0.0
    peak_pss: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.is_set():
            rss, pss = memory_mb(self.root)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            time.sleep(0.05)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def outcome(response: httpx.Response) -> str:
    """answered, or the error code the trace was refused with (BUSY, QUERY_TIMEOUT, …)."""
    try:
        body = response.json()
    except ValueError:
        return f"http {response.status_code}"
    errors = body.get("errors") or []
    if not errors:
        return "answered"
    return str(errors[0].get("extensions", {}).get("code", "error"))


async def burst(url: str, token: str, files: list[tuple[str, bytes, str]], root: int) -> dict[str, Any]:
    """Send every file as its own trace at once; ask the normal question meanwhile; measure."""
    headers = {"Authorization": f"Bearer {token}"}
    idle_rss, idle_pss = memory_mb(root)
    latencies: list[float] = []
    done = asyncio.Event()

    async def normal(client: httpx.AsyncClient) -> None:
        while not done.is_set():
            started = time.perf_counter()
            response = await client.post(url + "/graphql", json={"query": NORMAL}, headers=headers)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            await asyncio.sleep(0.2)

    async def trace(name: str, data: bytes, kind: str) -> tuple[str, float, str | None]:
        started = time.perf_counter()
        async with httpx.AsyncClient(timeout=120) as client:
            response = await client.post(
                url + "/graphql",
                data={
                    "operations": json.dumps({"query": TRACE, "variables": {"file": None}}),
                    "map": json.dumps({"0": ["variables.file"]}),
                },
                files={"0": (name, data, kind)},
                headers=headers,
            )
        return outcome(response), time.perf_counter() - started, response.headers.get("retry-after")

    with Sampler(root) as sampler:
        async with httpx.AsyncClient(timeout=120) as other:
            asker = asyncio.ensure_future(normal(other))
            started = time.perf_counter()
            results = await asyncio.gather(*(trace(*file) for file in files))
            elapsed = time.perf_counter() - started
            done.set()
            await asker
        await asyncio.sleep(2.0)
    after_rss, after_pss = memory_mb(root)
    outcomes: dict[str, int] = {}
    for code, _, _ in results:
        outcomes[code] = outcomes.get(code, 0) + 1
    return {
        "files": len(files),
        "outcomes": outcomes,
        "retry_after": sorted({retry for _, _, retry in results if retry is not None}),
        "trace_seconds": sorted(round(seconds, 2) for _, seconds, _ in results),
        "burst_seconds": round(elapsed, 2),
        "idle_mb": {"rss": round(idle_rss), "pss": round(idle_pss)},
        "peak_above_idle_mb": {
            "rss": round(sampler.peak_rss - idle_rss),
            "pss": round(sampler.peak_pss - idle_pss),
        },
        "after_2s_above_idle_mb": {"rss": round(after_rss - idle_rss), "pss": round(after_pss - idle_pss)},
        "normal_query_seconds": {
            "count": len(latencies),
            "max": round(max(latencies), 3) if latencies else None,
            "median": round(sorted(latencies)[len(latencies) // 2], 3) if latencies else None,
        },
    }


def bursts() -> Iterator[tuple[str, list[tuple[str, bytes, str]]]]:
    yield "ten near-limit PNGs", [(f"near-limit-{n}.png", near_limit_png(n), "image/png") for n in range(10)]
    yield "ten 40 MiB JPEGs", [(f"large-{n}.jpg", large_jpeg(n), "image/jpeg") for n in range(10)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.files", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("LIKENESS_BENCH_TOKEN"), required=False)
    parser.add_argument(
        "--pid", type=int, required=True, help="the API process (its workers are found under it)"
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token (a BRAND key of the demo world) or LIKENESS_BENCH_TOKEN")
    for name, files in bursts():
        sizes = sorted({round(len(data) / MIB, 1) for _, data, _ in files})
        result = asyncio.run(burst(args.url.rstrip("/"), args.token, files, args.pid))
        print(json.dumps({"burst": name, "file_mib": sizes, **result}), flush=True)


if __name__ == "__main__":
    main()
