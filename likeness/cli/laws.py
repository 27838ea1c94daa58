"""`likeness laws`: the law packs loaded (or those of a folder), checked as the start checks them, and
`likeness laws apply`: ground the stored verdicts with them now (the API's start does it too)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from likeness.cli.common import CommandFailed, console, with_graph
from likeness.config import get_settings
from likeness.graph.driver import Graph
from likeness.laws.packs import InvalidPack, LawBook
from likeness.verdicts.regrounding import Regrounded, load_book, reground

laws_app = typer.Typer(no_args_is_help=False, help="Law packs: list, check and apply them.")


def _load(folder: Path | None) -> LawBook:
    settings = get_settings()
    if folder is not None:
        settings = settings.model_copy(update={"likeness_law_packs_dir": folder})
    try:
        return load_book(settings)
    except InvalidPack as error:
        raise CommandFailed(f"law pack {error}") from None


@laws_app.callback(invoke_without_command=True)
def laws_command(
    ctx: typer.Context,
    folder: Path | None = typer.Option(
        None,
        "--packs",
        help="A folder of packs to check instead of LIKENESS_LAW_PACKS_DIR or the shipped ones.",
    ),
) -> None:
    """List every law pack (id, version, status, jurisdiction, in force, codes, sha256), checked."""
    if ctx.invoked_subcommand is not None:
        return
    loaded = _load(folder)
    table = Table()
    table.add_column("pack", no_wrap=True)
    for heading in ("status", "jurisdiction", "in force", "grounds", "sha256"):
        table.add_column(heading)
    for pack in loaded.packs:
        until = f" until {pack.in_force_until}" if pack.in_force_until else ""
        table.add_row(
            pack.key,
            pack.status,
            " ".join(pack.jurisdictions),
            f"{pack.in_force_from or '-'}{until}",
            " ".join(pack.codes),
            pack.sha256[:12],
        )
    console.print(table)


@laws_app.command("apply")
def apply_command(
    folder: Path | None = typer.Option(None, "--packs", help="The folder of packs to apply."),
) -> None:
    """Ground again the stored verdicts the packs changed since the last time can touch."""
    loaded = _load(folder)

    async def work(graph: Graph) -> Regrounded:
        return await reground(graph, loaded)

    with console.status("grounding the stored verdicts with the packs…"):
        done = with_graph(work)
    if not done.changed:
        console.print("the stored verdicts are grounded with these packs already")
        return
    console.print(
        f"packs changed: {', '.join(done.changed)}; grounded again {done.count} subjects "
        f"(codes {', '.join(done.codes) or 'none'}), {len(done.reclocked)} notices re-clocked"
    )
