"""`likeness import|export|demo|reevaluate|schema`: the graph's contents in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from likeness.cli.common import console, with_graph
from likeness.config import PROJECT_ROOT, get_settings
from likeness.graph.driver import Graph
from likeness.ingest.bulk import ImportSummary, export_signed_files, export_to, import_file
from likeness.ingest.enrolments import EnrolmentFiles
from likeness.verdicts.regrounding import load_book, reground

data_app = typer.Typer()


def _report(summary: ImportSummary, shown: int = 20) -> None:
    console.print(
        f"applied {summary.applied}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}"
    )
    for number, reason in summary.rejected[:shown]:
        console.print(f"  line {number}: {reason}", markup=False)
    if len(summary.rejected) > shown:
        console.print(f"  … and {len(summary.rejected) - shown} more rejected lines")


def import_with_progress(path: Path, batch_size: int, files: EnrolmentFiles | None = None) -> ImportSummary:
    """Import a file with a progress bar (lines, rate, time left) on a terminal; the summary after."""
    with path.open("rb") as lines_in:
        lines = sum(1 for _ in lines_in)
    with Progress(
        TextColumn("importing {task.fields[name]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal or lines == 0,
    ) as progress:
        task = progress.add_task("import", total=lines, name=path.name, rate="")

        def advance(line: int) -> None:
            progress.update(task, completed=line)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:,.0f} lines/s" if speed else "")

        async def work(graph: Graph) -> ImportSummary:
            # the verdicts it stores are grounded with the loaded packs: those stored before are first
            await reground(graph, load_book(get_settings()))
            return await import_file(graph, path, batch_size=batch_size, progress=advance, files=files)

        return with_graph(work)


def _import_and_report(path: Path, batch_size: int, files: EnrolmentFiles | None = None) -> None:
    summary = import_with_progress(path, batch_size, files)
    _report(summary)
    if summary.rejected:
        raise typer.Exit(1)


@data_app.command("import")
def import_command(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSON Lines file of events."),
    batch_size: int = typer.Option(0, help="Events per transaction (default LIKENESS_IMPORT_BATCH)."),
    files: Path | None = typer.Option(
        None,
        "--files",
        exists=True,
        file_okay=False,
        help="A folder holding the captures' files that enrolments (enrollLikeness) compute their face "
        "templates from, and the signed files of signed publications, found by sha256; an export carries "
        "no template (docs/faces.md) and no signed file's bytes (docs/credentials.md).",
    ),
) -> None:
    """Import events (one {"op", "input"} per line), validated like the API, in batched transactions."""
    found = EnrolmentFiles.in_folder(files) if files is not None else None
    _import_and_report(path, batch_size or get_settings().likeness_import_batch, found)


@data_app.command("export")
def export_command(
    path: Path = typer.Argument(..., dir_okay=False, help="Where to write the JSON Lines."),
    files: Path | None = typer.Option(
        None,
        "--files",
        file_okay=False,
        help="A folder to write the signed files of signed publications into (SHA256.EXT), for "
        "`likeness import FILE --files DIR` (docs/credentials.md).",
    ),
) -> None:
    """Export the whole graph as events that `likeness import` reads back into the same graph."""

    async def work(graph: Graph) -> tuple[int, int]:
        with path.open("w", encoding="utf-8") as out:
            events = await export_to(graph, out)
        return events, await export_signed_files(graph, files) if files is not None else 0

    events, signed = with_graph(work)
    console.print(
        f"exported {events} events to {path}" + (f" and {signed} signed files to {files}" if files else "")
    )


@data_app.command("demo")
def demo_command() -> None:
    """Load the demo world (a fashion brand, a twin vendor, an agency, models, consents, assets)."""
    from likeness.demo import DEMO_WORLD

    _import_and_report(Path(str(DEMO_WORLD)), get_settings().likeness_import_batch)


@data_app.command("demo-photos")
def demo_photos_command(
    folder: Path = typer.Argument(..., file_okay=False, help="Where to write the demo world's pictures."),
) -> None:
    """Write the demo world's pictures (likeness.demo docstring): Hedda's portrait, the deepfake-like image
    of her Pictagram shows, Nordhem's ad with her face, and NASA's astronaut; trace them in the explorer."""
    from likeness.demo.photos import demo_photos

    folder.mkdir(parents=True, exist_ok=True)
    for name, data in demo_photos().items():
        (folder / name).write_bytes(data)
        console.print(f"wrote {folder / name}")


@data_app.command("reevaluate")
def reevaluate_command(
    counts_only: bool = typer.Option(
        False,
        "--counts-only",
        help="Only recount the audit's verdict counts "
        "from the stored spans (one transaction, no rules run): for a database "
        "whose verdicts were stored before the counts existed.",
    ),
) -> None:
    """Rebuild every stored verdict from scratch (the incremental path must give the same state)."""
    from likeness.verdicts.refresh import reevaluate_all

    load_book(get_settings())
    if counts_only:
        from likeness.graph.verdict_counts import backfill_verdict_counts

        with console.status("recounting the verdict spans…"):
            buckets = with_graph(backfill_verdict_counts)
        console.print(f"counted the stored verdict spans into {buckets} day and month buckets")
        return
    with Progress(
        TextColumn("re-evaluating"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} subjects"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("reevaluate", total=None)

        async def work(graph: Graph) -> int:
            return await reevaluate_all(
                graph, progress=lambda done, total: progress.update(task, completed=done, total=total)
            )

        written = with_graph(work)
    console.print(f"stored {written} verdict spans")


@data_app.command("schema")
def schema_command(
    path: Path = typer.Argument(PROJECT_ROOT / "schema.graphql", help="Where to write the SDL."),
) -> None:
    """Export the GraphQL schema (SDL) to schema.graphql."""
    from likeness.execution.build import schema

    path.write_text(schema.as_str() + "\n", encoding="utf-8")
    console.print(f"wrote {path}")
