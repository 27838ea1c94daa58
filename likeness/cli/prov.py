"""`likeness prov ASSET_ID`: an asset's provenance as a W3C PROV document (PROV-JSON, PROV-N, Turtle)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from likeness.access.principals import OPERATOR
from likeness.cli.common import CommandFailed, console, with_graph
from likeness.errors import InvalidInput
from likeness.events.fields import parse_instant
from likeness.execution.context import context_for
from likeness.graph.driver import Graph
from likeness.reports.prov import ProvFormat, prov_text
from likeness.resolvers import provenance

prov_app = typer.Typer()

FORMATS = {"json": ProvFormat.PROV_JSON, "provn": ProvFormat.PROV_N, "turtle": ProvFormat.PROV_O_TURTLE}


def as_of_option(text: str | None) -> datetime:
    """The --as-of instant (ISO 8601 with an offset), default now."""
    if text is None:
        return datetime.now(UTC)
    try:
        return parse_instant(text)
    except ValueError as error:
        raise InvalidInput(
            "--as-of", text, f"expected an ISO 8601 instant with an offset ({error})"
        ) from None


@prov_app.command("prov")
def prov_command(
    asset_id: str = typer.Argument(..., help="The asset's id."),
    form: str = typer.Option("json", "--format", help="json (PROV-JSON), provn (PROV-N) or turtle (PROV-O)."),
    as_of: str = typer.Option(None, "--as-of", help="The instant the record is read as of (default now)."),
    out: Path = typer.Option(None, "--out", dir_okay=False, help="Write the document here (default stdout)."),
) -> None:
    """Print an asset's provenance as a W3C PROV document, read as the operator (who sees everything)."""
    if form not in FORMATS:
        raise InvalidInput("--format", form, f"expected one of {', '.join(FORMATS)}")
    moment = as_of_option(as_of)

    async def work(graph: Graph) -> str | None:
        context = context_for(graph, OPERATOR)
        found = await provenance.provenance(context, asset_id, None, moment)
        return None if found is None else await prov_text(context, found, FORMATS[form])

    document = with_graph(work)
    if document is None:
        raise CommandFailed(f"no asset {asset_id!r} published by {moment.isoformat()}")
    if out is None:
        typer.echo(document, nl=False)
        return
    out.write_text(document, encoding="utf-8")
    console.print(f"wrote {FORMATS[form].value} of {asset_id} to {out}")
