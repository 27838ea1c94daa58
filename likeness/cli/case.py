"""`likeness case ID --out case.html` makes a case file; `likeness case verify case.html` checks a copy."""

from __future__ import annotations

from pathlib import Path

import typer

from likeness.access.principals import OPERATOR
from likeness.cli.common import CommandFailed, console, with_graph
from likeness.cli.prov import as_of_option
from likeness.execution.context import context_for
from likeness.graph.driver import Graph
from likeness.reports.drawing import GraphvizMissing
from likeness.reports.filing import CaseCheck, CaseFile, generate_case, verify_case

case_app = typer.Typer()


def _make(subject_id: str, as_of: str | None, out: Path | None) -> None:
    if out is None:
        raise CommandFailed("say where to write the case file: --out case.html")
    moment = as_of_option(as_of)

    async def work(graph: Graph) -> CaseFile | None:
        return await generate_case(context_for(graph, OPERATOR), subject_id, moment)

    try:
        made = with_graph(work)
    except GraphvizMissing as missing:
        raise CommandFailed(str(missing)) from None
    if made is None:
        raise CommandFailed(f"no asset or sighting {subject_id!r} on record as of {moment.isoformat()}")
    out.write_bytes(made.data)
    console.print(
        f"wrote the case file of {subject_id} as of {moment.isoformat()} to {out}\n"
        f"sha256 {made.sha256}, logged as entry {made.entry['seq']}",
        markup=False,
        soft_wrap=True,
    )


def _verify(path: Path) -> None:
    if not path.is_file():
        raise CommandFailed(f"no such file: {path}")
    check: CaseCheck = with_graph(lambda graph: verify_case(graph, path.read_bytes()))
    if check.entry is None:
        console.print(
            f"NOT VERIFIED: no case file with sha256 {check.sha256} was ever logged: "
            f"{path} was altered, or was not made by this Likeness",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    entry, verification = check.entry, check.verification
    logged = f"entry {entry['seq']} at {entry['at']} by {entry['principal']} (case of {entry.get('target')})"
    if verification is None or verification.broken is not None:
        reason = verification.broken.reason if verification and verification.broken else "not walked"
        seq = verification.broken.seq if verification and verification.broken else "?"
        console.print(
            f"NOT VERIFIED: the file's sha256 {check.sha256} is logged as {logged}, but the log's chain "
            f"is broken at entry {seq}: {reason}",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    console.print(
        f"VERIFIED: {path} (sha256 {check.sha256}) is the case file logged as {logged}; the log's chain "
        f"verifies through {verification.entries} entries to the head (hash {verification.head_hash})",
        markup=False,
        soft_wrap=True,
    )


@case_app.command("case")
def case_command(
    subject: str = typer.Argument(..., help="An asset or sighting id; or `verify` to check a case file."),
    file: Path = typer.Argument(None, help="With `verify`: the case file to check."),
    as_of: str = typer.Option(None, "--as-of", help="The instant the record is read as of (default now)."),
    out: Path = typer.Option(None, "--out", dir_okay=False, help="Where to write the case file (HTML)."),
) -> None:
    """Make a case file (`likeness case ID --out case.html`: one self-contained HTML page, its sha256 logged),
    or check a copy (`likeness case verify case.html`: exit 0 verified, 1 not found or tampered)."""
    if subject == "verify" and file is not None:
        _verify(file)
        return
    if file is not None:
        raise CommandFailed(
            f"unexpected extra argument {str(file)!r}: did you mean `likeness case verify FILE`?"
        )
    _make(subject, as_of, out)
