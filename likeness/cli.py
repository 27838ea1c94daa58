"""The `likeness` command: local Neo4j, serving, demo, import/export, schema."""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from likeness.access.cli import keys_app, log_app
from likeness.config import PROJECT_ROOT, get_settings
from likeness.graph.connection import local_server, open_graph
from likeness.graph.driver import Graph
from likeness.ingest.bulk import ImportSummary, export_to, import_file

app = typer.Typer(help="Likeness: who used which likeness, under what consent, and who is liable.",
                  no_args_is_help=True)
neo4j_app = typer.Typer(help="The project's own local Neo4j (used when NEO4J_URI is unset).", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(keys_app, name="keys")
app.add_typer(log_app, name="log")
console = Console(stderr=True)
T = TypeVar("T")


def with_graph(work: Callable[[Graph], Awaitable[T]]) -> T:
    async def main() -> T:
        graph = await open_graph(get_settings())
        try:
            return await work(graph)
        finally:
            await graph.close()

    return asyncio.run(main())


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local Neo4j (resolving its jars from Maven Central the first time)."""
    server = local_server(get_settings())
    with console.status("starting Neo4j…"):
        server.start()
    console.print(f"Neo4j is up at {server.uri} (data in {server.data_dir})")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    stopped = local_server(get_settings()).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs and answers on Bolt."""
    server = local_server(get_settings())
    pid = server.running_pid()
    if pid is not None and server.bolt_ready():
        console.print(f"running (pid {pid}) at {server.uri}")
    else:
        console.print("not running")
        raise typer.Exit(1)


def _report(summary: ImportSummary, shown: int = 20) -> None:
    console.print(
        f"applied {summary.applied}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}"
    )
    for number, reason in summary.rejected[:shown]:
        console.print(f"  line {number}: {reason}", markup=False)
    if len(summary.rejected) > shown:
        console.print(f"  … and {len(summary.rejected) - shown} more rejected lines")


def _import(path: Path, batch_size: int) -> ImportSummary:
    size = path.stat().st_size
    lines = sum(1 for _ in path.open("rb"))
    with Progress(
        TextColumn("importing {task.fields[name]}"), BarColumn(), TextColumn("{task.completed}/{task.total} lines"),
        TimeElapsedColumn(), console=console, disable=not sys.stderr.isatty() or size == 0,
    ) as progress:
        task = progress.add_task("import", total=lines, name=path.name)

        async def work(graph: Graph) -> ImportSummary:
            return await import_file(
                graph, path, batch_size=batch_size, progress=lambda line: progress.update(task, completed=line)
            )

        return with_graph(work)


@app.command("import")
def import_command(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSON Lines file of events."),
    batch_size: int = typer.Option(0, help="Events per transaction (default LIKENESS_IMPORT_BATCH)."),
) -> None:
    """Import events (one {"op", "input"} per line), validated like the API, in batched transactions."""
    summary = _import(path, batch_size or get_settings().likeness_import_batch)
    _report(summary)
    if summary.rejected:
        raise typer.Exit(1)


@app.command("seed")
def seed_command(
    assets: int = typer.Option(..., min=0, help="How many assets the world publishes."),
    seed: int = typer.Option(0, help="The random seed: the same seed gives the same world."),
    violations: float = typer.Option(0.1, min=0.0, max=1.0, help="Share of assets planted as violations."),
    out: Path | None = typer.Option(None, dir_okay=False, help="Where to write the JSON Lines "
                             "(default: <data dir>/world-<assets>-s<seed>.jsonl)."),
    load: bool = typer.Option(False, "--load", help="Import the world after writing it (as `likeness import`)."),
) -> None:
    """Write a synthetic world in the import format (deterministic for a seed); --load imports it too."""
    from likeness.ingest.synthetic import write_world

    settings = get_settings()
    path = out or settings.likeness_data_dir / f"world-{assets}-s{seed}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with console.status(f"writing a world of {assets} assets…"):
        events = write_world(path, assets=assets, seed=seed, violation_share=violations)
    console.print(f"wrote {events} events to {path}")
    if load:
        summary = _import(path, settings.likeness_import_batch)
        _report(summary)
        if summary.rejected:
            raise typer.Exit(1)


@app.command("export")
def export_command(path: Path = typer.Argument(..., dir_okay=False, help="Where to write the JSON Lines.")) -> None:
    """Export the whole graph as events that `likeness import` reads back into the same graph."""

    async def work(graph: Graph) -> int:
        with path.open("w", encoding="utf-8") as out:
            return await export_to(graph, out)

    console.print(f"exported {with_graph(work)} events to {path}")


@app.command("demo")
def demo_command() -> None:
    """Load the demo world (a fashion brand, a twin vendor, an agency, models, consents, assets)."""
    from likeness.demo import DEMO_WORLD

    summary = _import(Path(str(DEMO_WORLD)), get_settings().likeness_import_batch)
    _report(summary)
    if summary.rejected:
        raise typer.Exit(1)


@app.command("reevaluate")
def reevaluate_command(
    counts_only: bool = typer.Option(False, "--counts-only", help="Only recount the audit's verdict counts "
                                     "from the stored spans (one transaction, no rules run): for a database "
                                     "whose verdicts were stored before the counts existed."),
) -> None:
    """Rebuild every stored verdict from scratch (the incremental path must give the same state)."""
    from likeness.graph.verdicts import reevaluate_all

    if counts_only:
        from likeness.graph.verdict_counts import backfill_verdict_counts

        with console.status("recounting the verdict spans…"):
            buckets = with_graph(backfill_verdict_counts)
        console.print(f"counted the stored verdict spans into {buckets} day and month buckets")
        return
    with Progress(TextColumn("re-evaluating"), BarColumn(), TextColumn("{task.completed}/{task.total} subjects"),
                  TimeElapsedColumn(), console=console, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("reevaluate", total=None)

        async def work(graph: Graph) -> int:
            return await reevaluate_all(
                graph, progress=lambda done, total: progress.update(task, completed=done, total=total)
            )

        written = with_graph(work)
    console.print(f"stored {written} verdict spans")


@app.command("schema")
def schema_command(
    path: Path = typer.Argument(PROJECT_ROOT / "schema.graphql", help="Where to write the SDL."),
) -> None:
    """Export the GraphQL schema (SDL) to schema.graphql."""
    from likeness.schema.root import schema

    path.write_text(schema.as_str() + "\n", encoding="utf-8")
    console.print(f"wrote {path}")


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="uvicorn worker processes."),
) -> None:
    """Serve the GraphQL API (GraphiQL in the browser at /graphql)."""
    import os

    import uvicorn

    settings = get_settings()
    if not settings.likeness_admin_token:
        token = secrets.token_urlsafe(24)
        os.environ["LIKENESS_ADMIN_TOKEN"] = token
        get_settings.cache_clear()
        console.print(f"LIKENESS_ADMIN_TOKEN was unset; this run's admin token is: [bold]{token}[/bold]")
    if settings.neo4j_uri is None:
        local_server(settings).start()
    console.print(f"GraphiQL: http://{host}:{port}/graphql  (send the header Authorization: Bearer <token>)")
    uvicorn.run("likeness.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")
