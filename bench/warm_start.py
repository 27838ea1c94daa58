"""The first write after Neo4j restarts: `python -m bench.warm_start [--restarts 3]`.

A Neo4j of its own (in a temporary folder) with the demo world, the real app served by uvicorn; then,
for each restart: stop Neo4j, start it, wait until /readyz says ready (the warm-up of
likeness.ingest.warmup has run), and time the first `publishAsset` over HTTP, then a second one. Prints
one line per restart and a JSON summary. Target (issue 21): the first publish under 1 s. Without the
warm-up (`--cold`, as before it), the first publish took 5.0–5.4 s (issue 21).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette

from bench.servers import free_port
from likeness import app as app_module
from likeness import local_neo4j
from likeness.app import create_app
from likeness.config import Settings
from likeness.demo import DEMO_WORLD
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.ingest.bulk import import_lines
from likeness.local_neo4j import LocalNeo4j

ADMIN = "bench-warm-token"
PUBLISH = "mutation($input: AssetInput!) { publishAsset(input: $input) { id } }"


def _asset(index: int) -> dict[str, Any]:
    return {
        "id": f"asset-warm-{index}",
        "publisherId": "brand-nordhem",
        "twinIds": ["twin-liv-v2"],
        "sha256": f"{index + 1:064x}",
        "phash": f"{index + 1:016x}",
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2025-03-01T12:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }


@contextlib.contextmanager
def served(app: Starlette) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _port_is_free_but_for_time_wait(port: int, host: str = "127.0.0.1") -> bool:
    """Neo4j binds with SO_REUSEADDR: a port whose old connections linger in TIME_WAIT is free for it."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _load_demo(settings: Settings) -> None:
    async def load() -> None:
        assert settings.neo4j_uri is not None
        graph = Graph.connect(settings.neo4j_uri, settings)
        try:
            await migrate(graph)
            lines = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
            await import_lines(graph, lines)
        finally:
            await graph.close()

    asyncio.run(load())


def _publish(client: httpx.Client, index: int) -> tuple[float, str]:
    started = time.monotonic()
    response = client.post(
        "/graphql",
        json={"query": PUBLISH, "variables": {"input": _asset(index)}},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    body = response.json()
    outcome = "ok" if response.status_code == 200 and not body.get("errors") else str(body.get("errors"))
    return time.monotonic() - started, outcome


async def _no_warm_up(graph: Graph) -> None:
    graph.cold = False


def _until_ready(client: httpx.Client, cold: bool) -> float:
    started = time.monotonic()
    while True:
        response = client.get("/readyz", timeout=600)
        if response.status_code == 200 or (cold and response.json().get("neo4j") == "up"):
            return time.monotonic() - started
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.warm_start", description=__doc__)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="without the warm-up (as before it)")
    options = parser.parse_args()
    local_neo4j.port_is_free = _port_is_free_but_for_time_wait
    if options.cold:
        app_module.warm_up = _no_warm_up
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="likeness-bench-warm-") as folder:
        server = LocalNeo4j(data_dir=Path(folder), port=free_port(), heap="512m", pagecache="64m")
        server.start()
        try:
            user, password = server.auth
            settings = Settings(
                neo4j_uri=server.uri, neo4j_user=user, neo4j_password=password, likeness_admin_token=ADMIN
            )
            _load_demo(settings)
            with served(create_app(settings)) as base, httpx.Client(base_url=base, timeout=60) as client:
                _until_ready(client, options.cold)
                for restart in range(options.restarts):
                    server.stop()
                    client.get("/readyz")  # the API notices Neo4j is gone (as a probe would)
                    server.start()
                    ready = _until_ready(client, options.cold)
                    first, first_outcome = _publish(client, 2 * restart)
                    second, second_outcome = _publish(client, 2 * restart + 1)
                    run = {
                        "readySeconds": round(ready, 2),
                        "firstPublishSeconds": round(first, 3),
                        "firstOutcome": first_outcome,
                        "secondPublishSeconds": round(second, 3),
                        "secondOutcome": second_outcome,
                    }
                    runs.append(run)
                    print(f"restart {restart + 1}: {run}", flush=True)
        finally:
            server.stop()
    print(json.dumps({"cold": options.cold, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
