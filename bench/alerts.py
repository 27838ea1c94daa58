"""Webhook delivery at volume: `python -m bench.alerts [--alerts 10000] [--rate 100] [--out FILE]`.

A Neo4j of its own (or NEO4J_URI with --wipe), the API as a uvicorn process (as `likeness serve` runs it:
the fan-out and the sender in its lifespan), one brand with one webhook pointing at a local receiver (an
HTTP server in this process, keep-alive, answering 200). The alerts are written by this process as the
outbox writes them (graph.alerts.emit, under the writers' turn, in batches), FOR the brand, at `--rate`
a second (0: as fast as it can): for the API they are commits of another replica, which it learns of by
polling (LIKENESS_WEBHOOK_POLL_SECONDS). Measured:

- throughput: alerts received a second, from the first commit to the last receipt;
- delay: from each alert's `at` (its commit clock) to its receipt, p50 / p99 / max;
- the API's resident memory sampled every second (start, peak, end, and the first and last quarters'
  means: flat when they are near);
- duplicates (at least once allows them) and a signature check of every 100th request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
from standardwebhooks import Webhook as Verifier

from bench.machine import load, machine
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph, wipe
from likeness.access import keys, log
from likeness.graph.alerts import emit
from likeness.graph.driver import Graph

REGISTER = """mutation($url: String!) { registerWebhook(id: "bench-hook", url: $url, types: [CONSENT_REVOKED])
  { secret } }"""
ORGANIZATION = (
    """mutation { registerOrganization(input: {id: "brand-bench", name: "Bench", kind: BRAND}) { id } }"""
)
BATCH = 50


class Receiver:
    """Records each alert's receipt (first and repeated), verifying every 100th signature."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.at: dict[str, datetime] = {}
        self.requests = 0
        self.duplicates = 0
        self.verified = 0
        self.bad_signatures = 0
        self.secret = ""
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.time()
                alert = orjson.loads(body)
                with receiver.lock:
                    receiver.requests += 1
                    check = receiver.requests % 100 == 1
                    if alert["id"] in receiver.first:
                        receiver.duplicates += 1
                    else:
                        receiver.first[alert["id"]] = now
                        receiver.at[alert["id"]] = datetime.fromisoformat(alert["at"])
                if check:
                    try:
                        Verifier(receiver.secret).verify(body, dict(self.headers.items()))
                        receiver.verified += 1
                    except Exception:  # noqa: BLE001 - counted, reported
                        receiver.bad_signatures += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        # a listen backlog for every connection the sender opens at once (the default 5 drops the others'
        # SYNs, and each retries a second later)
        ThreadingHTTPServer.request_queue_size = 128
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self) -> int:
        with self.lock:
            return len(self.first)


async def write_alerts(graph: Graph, count: int, rate: float, party: str) -> tuple[float, float]:
    """Write `count` alerts FOR the party, in batches, at about `rate` a second (0: at once); answers the
    first and last commit times."""
    started = time.monotonic()
    first = last = 0.0
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        alerts = [
            {
                "id": f"alert-bench-{uuid.uuid4().hex}",
                "type": "CONSENT_REVOKED",
                "subjectId": party,
                "subjectKind": "CONSENT",
                "summary": "bench",
                "only": [party],
            }
            for _ in range(size)
        ]

        async def work(tx: Any, alerts: list[dict[str, Any]] = alerts) -> None:
            await log.take_turn(tx)
            await emit(tx, alerts, datetime.now(UTC))

        await graph.write(work)
        last = time.time()
        first = first or last
        written += size
        if rate > 0:
            ahead = started + written / rate - time.monotonic()
            if ahead > 0:
                await asyncio.sleep(ahead)
    return first, last


async def run(args: argparse.Namespace) -> dict[str, Any]:
    spec = Neo4jSpec(
        uri=os.environ.get("NEO4J_URI"),
        data_dir=Path(tempfile.mkdtemp(prefix="likeness-bench-alerts-")),
        heap=args.heap,
        pagecache=args.pagecache,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
    )
    if spec.uri is not None and not args.wipe:
        raise SystemExit("with NEO4J_URI, pass --wipe to allow emptying that database")
    receiver = Receiver()
    with neo4j(spec, "alerts") as uri:
        graph = await open_bench_graph(spec, uri)
        await wipe(graph)
        os.environ.update(
            LIKENESS_WEBHOOK_ALLOW_PRIVATE="1",
            LIKENESS_WARM_UP="0",
            LIKENESS_QUERY_TIMEOUT="120",
        )
        api = Api(uri=uri, spec=spec)
        api.start(spec.data_dir)
        samples: list[float] = []
        try:
            base = f"http://127.0.0.1:{api.port}/graphql"
            async with httpx.AsyncClient(timeout=120) as client:
                admin = {"Authorization": f"Bearer {api.token}"}
                await client.post(base, json={"query": ORGANIZATION}, headers=admin)
                brand = (await keys.create(graph, role="BRAND", party_id="brand-bench")).secret
                made = await client.post(
                    base,
                    json={"query": REGISTER, "variables": {"url": receiver.url}},
                    headers={"Authorization": f"Bearer {brand}"},
                )
                receiver.secret = made.json()["data"]["registerWebhook"]["secret"]
            samples.append(api.memory()["rss_mib"])
            writing = asyncio.create_task(write_alerts(graph, args.alerts, args.rate, "brand-bench"))
            deadline = time.monotonic() + args.timeout
            while receiver.received() < args.alerts and time.monotonic() < deadline:
                await asyncio.sleep(1.0)
                samples.append(api.memory()["rss_mib"])
            first_commit, last_commit = await writing
            samples.append(api.memory()["rss_mib"])
        finally:
            api.stop()
            await graph.close()
    receiver.server.shutdown()
    return summary(args, receiver, samples, first_commit, last_commit)


def summary(
    args: argparse.Namespace,
    receiver: Receiver,
    samples: list[float],
    first_commit: float,
    last_commit: float,
) -> dict[str, Any]:
    delays = sorted(receiver.first[key] - receiver.at[key].timestamp() for key in receiver.first)
    received = len(delays)
    last_receipt = max(receiver.first.values(), default=first_commit)
    quarter = max(len(samples) // 4, 1)

    def percentile(share: float) -> float | None:
        return round(delays[min(int(share * received), received - 1)], 3) if delays else None

    return {
        "alerts": args.alerts,
        "rate_asked_per_s": args.rate,
        "received": received,
        "duplicates": receiver.duplicates,
        "signatures_checked": receiver.verified,
        "bad_signatures": receiver.bad_signatures,
        "written_per_s": round(args.alerts / max(last_commit - first_commit, 1e-9), 1),
        "delivered_per_s": round(received / max(last_receipt - first_commit, 1e-9), 1),
        "delay_s": {
            "p50": percentile(0.50),
            "p99": percentile(0.99),
            "max": round(delays[-1], 3) if delays else None,
            "mean": round(statistics.fmean(delays), 3) if delays else None,
        },
        "api_rss_mib": {
            "start": samples[0] if samples else None,
            "peak": max(samples) if samples else None,
            "end": samples[-1] if samples else None,
            "first_quarter_mean": round(statistics.fmean(samples[:quarter]), 1) if samples else None,
            "last_quarter_mean": round(statistics.fmean(samples[-quarter:]), 1) if samples else None,
            "samples": len(samples),
        },
        "load_average": load(),
        "machine": machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.alerts", description=__doc__)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="alerts written a second (0: at once)")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up after this many seconds")
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="256m")
    parser.add_argument("--wipe", action="store_true", help="with NEO4J_URI: allow emptying that database")
    parser.add_argument("--out", type=Path, help="also write the summary (JSON) here")
    args = parser.parse_args()
    found = asyncio.run(run(args))
    text = json.dumps(found, indent=2, default=str)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
