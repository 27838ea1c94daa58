"""The `likeness` command: local Neo4j, serving, demo, import/export, keys, the log, the schema, PROV
documents and case files.

A failure a user can act on (no Neo4j, a taken port, no JDK or Maven, a refused key) ends with one
line saying what is wrong and what to do, and a non-zero exit; `--debug` shows the traceback.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import typer
from typer.core import TyperGroup

from likeness import logs
from likeness.cli.case import case_app
from likeness.cli.common import CommandFailed, console
from likeness.cli.data import data_app
from likeness.cli.hash import hash_app
from likeness.cli.keys import keys_app, log_app
from likeness.cli.laws import laws_app
from likeness.cli.neo4j import neo4j_app
from likeness.cli.prov import prov_app
from likeness.cli.publish import publish_app
from likeness.cli.serve import serve_app
from likeness.config import get_settings
from likeness.errors import LikenessError
from likeness.local_neo4j import LocalNeo4jError

# failures with a message meant for the user, not a bug
_EXPLAINED = (CommandFailed, LocalNeo4jError, LikenessError)


class _ExplainedFailures(TyperGroup):
    # ctx is typer's own (vendored) click Context; typer names no public type for it
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _EXPLAINED as error:
            if ctx.params.get("debug"):
                raise
            message = error.message if isinstance(error, LikenessError) else str(error)
            console.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
            console.print("(run again with --debug for the traceback)", style="dim")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_ExplainedFailures,
    help="Likeness: who used which likeness, under what consent, and who is liable.",
    no_args_is_help=True,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"likeness {version('likeness')}")
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback when a command fails."),
    show_version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Likeness: who used which likeness, under what consent, and who is liable."""
    settings = get_settings()
    # a command talks to its user through its own output; the log says more only when asked
    logs.configure(settings.likeness_log_format, "DEBUG" if debug else "WARNING")


app.add_typer(neo4j_app, name="neo4j")
app.add_typer(keys_app, name="keys")
app.add_typer(laws_app, name="laws")
app.add_typer(log_app, name="log")
app.add_typer(data_app)
app.add_typer(serve_app)
app.add_typer(hash_app)
app.add_typer(prov_app)
app.add_typer(case_app)
app.add_typer(publish_app)
