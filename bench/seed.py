"""`python -m bench seed --assets N [--seed S] [--violations V] [--out PATH] [--load]`: a synthetic
world written in the import format, and with --load imported the way `likeness import` imports a
file (likeness.ingest.bulk.import_file on the graph of this environment: NEO4J_URI, else the local
Neo4j, started if it is down and was not stopped)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.world import write_world
from likeness.config import Settings, get_settings
from likeness.graph.connection import local_server, with_graph
from likeness.graph.driver import Graph
from likeness.ingest.bulk import ImportSummary, import_file

SHOWN_REJECTIONS = 20
PROGRESS_EVERY = 5.0  # seconds between progress lines while importing


def world_path(settings: Settings, *, assets: int, seed: int) -> Path:
    """Where a world is written unless told otherwise: <data dir>/world-<assets>-s<seed>.jsonl."""
    return settings.likeness_data_dir / f"world-{assets}-s{seed}.jsonl"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_world(settings: Settings, path: Path) -> ImportSummary:
    """Import a world file in batches of LIKENESS_IMPORT_BATCH events, saying how far it got now and then."""
    with path.open("rb") as lines_in:
        lines = sum(1 for _ in lines_in)
    started = last = 0.0

    def progress(line: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY:
            last = now
            _say(f"imported {line:,} of {lines:,} lines ({line / (now - started):,.0f} lines/s)")

    async def work(graph: Graph) -> ImportSummary:
        nonlocal started, last
        started = last = time.monotonic()
        return await import_file(graph, path, batch_size=settings.likeness_import_batch, progress=progress)

    server = None if settings.neo4j_uri else local_server(settings)
    if server is not None and not server.is_running():
        _say(f"starting the local Neo4j at {server.uri} (it keeps running: `likeness neo4j stop`)…")
    return with_graph(settings, work)


def seed(*, assets: int, seed: int, violations: float, out: Path | None, load: bool) -> int:
    """Write the world (and import it with ``load``); the exit status: 1 when the import rejected a line."""
    settings = get_settings()
    path = out or world_path(settings, assets=assets, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    _say(f"writing a world of {assets:,} assets…")
    events = write_world(path, assets=assets, seed=seed, violation_share=violations)
    print(f"wrote {events} events to {path}", flush=True)
    if not load:
        return 0
    summary = load_world(settings, path)
    print(f"applied {summary.applied}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}")
    for number, reason in summary.rejected[:SHOWN_REJECTIONS]:
        print(f"  line {number}: {reason}")
    if len(summary.rejected) > SHOWN_REJECTIONS:
        print(f"  … and {len(summary.rejected) - SHOWN_REJECTIONS} more rejected lines")
    return 1 if summary.rejected else 0
