"""What persisted queries and conditional GET save on provenance: the same question three ways, interleaved,
against a running API serving the demo world (scripts/serve-demo.sh):

    python -m bench.persisted --url http://127.0.0.1:8000 --token "$(cat data/admin-token)" [--requests 200]

- `post`: POST with the full document, as a client without persisted queries sends it;
- `get`: GET by hash alone (Apollo's automatic persisted queries), asOf pinned, no If-None-Match: the answer
  runs and is sent with its ETag;
- `304`: the same GET with If-None-Match naming that ETag: answered 304 after authentication and one read
  of the log's head.

One untimed request of each first (it registers the document and plans its statements). Prints p50 and p90
of each, in ms, as one JSON object. Every request is checked (200 with data, or 304).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import time
from typing import Any

import httpx

from bench.questions import PROVENANCE_GQL

ASSET = "asset-maren-liv-knockoff"
AS_OF = "2026-06-01T00:00:00Z"
VARIABLES = {"id": ASSET, "asOf": AS_OF}
EXTENSIONS = {
    "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(PROVENANCE_GQL.encode()).hexdigest()}
}


class Ways:
    """The three requests, each timed from send to the last byte read."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.auth = {"Authorization": f"Bearer {token}"}
        self.params = {"variables": json.dumps(VARIABLES), "extensions": json.dumps(EXTENSIONS)}
        self.etag = ""

    async def post(self) -> float:
        started = time.perf_counter()
        response = await self.client.post(
            "/graphql", json={"query": PROVENANCE_GQL, "variables": VARIABLES}, headers=self.auth
        )
        return _checked(response, 200, started)

    async def get(self) -> float:
        started = time.perf_counter()
        response = await self.client.get("/graphql", params=self.params, headers=self.auth)
        elapsed = _checked(response, 200, started)
        self.etag = response.headers.get("etag", "")
        if not self.etag:
            raise SystemExit(f"the persisted GET carries no ETag: {dict(response.headers)}")
        return elapsed

    async def not_modified(self) -> float:
        started = time.perf_counter()
        response = await self.client.get(
            "/graphql", params=self.params, headers={**self.auth, "If-None-Match": self.etag}
        )
        return _checked(response, 304, started)

    async def register(self) -> None:
        response = await self.client.post(
            "/graphql",
            json={"query": PROVENANCE_GQL, "variables": VARIABLES, "extensions": EXTENSIONS},
            headers=self.auth,
        )
        _checked(response, 200, time.perf_counter())


def _checked(response: httpx.Response, status: int, started: float) -> float:
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != status or (status == 200 and response.json().get("errors")):
        raise SystemExit(f"expected {status}, got {response.status_code}: {response.text[:500]}")
    return elapsed


async def run(url: str, token: str, requests: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"post": [], "get": [], "304": []}
    async with httpx.AsyncClient(base_url=url, timeout=60.0) as client:
        ways = Ways(client, token)
        await ways.register()
        await ways.post()
        await ways.get()
        await ways.not_modified()
        for _ in range(requests):
            timings["post"].append(await ways.post())
            timings["get"].append(await ways.get())
            timings["304"].append(await ways.not_modified())

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "p50": round(statistics.median(ordered), 2),
            "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 2),
        }

    return {
        "question": "provenance",
        "requests": requests,
        **{f"{way}_ms": summary(t) for way, t in timings.items()},
    }


def main(argv: list[str] | None = None) -> None:
    described = (__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m bench.persisted", description=described)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("LIKENESS_BENCH_TOKEN"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or LIKENESS_BENCH_TOKEN): a key that may read the demo world's provenance")
    print(json.dumps(asyncio.run(run(args.url, args.token, args.requests))))


if __name__ == "__main__":
    main()
