"""What signing adds to a publish: `publishAsset(input, file)` against `publishAsset(input, file, sign: true)`
over HTTP, against a running API serving the demo world with signing keys (scripts/serve-demo.sh signs with
the shared C2PA test chain when it is beside the clone).

    python -m bench.signing --url http://127.0.0.1:8000 --token "$(cat data/admin-token)" [--requests 15]

Each request publishes a new asset of Liv's 2026 twin for Nordhem (a use her consent permits) with its own
file: a 1920 × 1080 JPEG of random pixels (~1.9 MB), or, with `--small`, a 320 × 240 one. Unsigned and
signed publishes alternate, after one untimed warm-up of each. Prints p50 and p90 of each, in ms, and what
signing adds at the median, as one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import time
import uuid
from typing import Any

import httpx
import numpy as np
from PIL import Image

PUBLISH = """mutation($input: AssetInput!, $file: Upload, $sign: Boolean!) {
  publishAsset(input: $input, file: $file, sign: $sign) { id sha256 }
}"""


def picture(seed: int, size: tuple[int, int]) -> bytes:
    width, height = size
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


def asset(asset_id: str) -> dict[str, Any]:
    return {
        "id": asset_id,
        "publisherId": "brand-nordhem",
        "campaignId": "campaign-nordhem-ss26",
        "twinIds": ["twin-liv-v2"],
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2026-07-01T08:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }


async def publish(client: httpx.AsyncClient, token: str, data: bytes, sign: bool) -> float:
    operations = {
        "query": PUBLISH,
        "variables": {"input": asset(f"asset-bench-{uuid.uuid4().hex[:12]}"), "file": None, "sign": sign},
    }
    started = time.perf_counter()
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("render.jpg", data, "image/jpeg")},
        headers={"Authorization": f"Bearer {token}"},
    )
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"publishAsset(sign: {sign}) was refused: {body}")
    return elapsed


async def run(url: str, token: str, requests: int, size: tuple[int, int]) -> dict[str, Any]:
    timings: dict[bool, list[float]] = {False: [], True: []}
    async with httpx.AsyncClient(base_url=url, timeout=60.0) as client:
        for sign in (False, True):  # untimed: the first of each plans its statements and forks its worker
            await publish(client, token, picture(10_000 + sign, size), sign)
        for index in range(requests):
            for sign in (False, True):
                timings[sign].append(await publish(client, token, picture(2 * index + sign, size), sign))

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "p50": round(statistics.median(ordered), 1),
            "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
        }

    unsigned, signed = summary(timings[False]), summary(timings[True])
    return {
        "picture": f"{size[0]}x{size[1]} JPEG",
        "requests": requests,
        "unsigned_ms": unsigned,
        "signed_ms": signed,
        "signing_adds_p50_ms": round(signed["p50"] - unsigned["p50"], 1),
    }


def main(argv: list[str] | None = None) -> None:
    described = (__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m bench.signing", description=described)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("LIKENESS_BENCH_TOKEN"))
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--small", action="store_true", help="320 × 240 pictures instead of 1920 × 1080")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or LIKENESS_BENCH_TOKEN): a key that may publish for brand-nordhem")
    size = (320, 240) if args.small else (1920, 1080)
    print(json.dumps(asyncio.run(run(args.url, args.token, args.requests, size))))


if __name__ == "__main__":
    main()
