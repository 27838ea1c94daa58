"""`likeness keys …` (API keys) and `likeness log verify` (the tamper-evident log)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from likeness.access import keys, log
from likeness.access.roles import ROLES
from likeness.errors import LikenessError
from likeness.graph.driver import Graph

keys_app = typer.Typer(help="API keys: create (shown once, stored hashed), list, revoke.", no_args_is_help=True)
log_app = typer.Typer(help="The tamper-evident log of mutations and regulator/investigator queries.",
                      no_args_is_help=True)
console = Console(stderr=True)


def _with_graph(work: Any) -> Any:
    from likeness.cli import with_graph  # the one place that opens the graph for a command

    return with_graph(work)


def _fail(error: LikenessError) -> typer.Exit:
    console.print(f"[red]{error.message}[/red]", markup=True, highlight=False)
    return typer.Exit(1)


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., help=f"One of {', '.join(ROLES)}."),
    org: str = typer.Option(None, help="The organization a BRAND, VENDOR or AGENCY key acts as."),
    person: str = typer.Option(None, help="The person a PERSON key acts as."),
    label: str = typer.Option("", help="A note saying who holds the key."),
) -> None:
    """Create an API key and print it once (only its SHA-256 is stored)."""
    if org and person:
        console.print("[red]give --org or --person, not both[/red]")
        raise typer.Exit(2)

    async def work(graph: Graph) -> keys.NewKey:
        return await keys.create(graph, role=role, party_id=org or person, label=label)

    try:
        created = _with_graph(work)
    except LikenessError as error:
        raise _fail(error) from None
    party = f" acting as {created.key.party_id}" if created.key.party_id else ""
    console.print(f"created {created.key.id}: {created.key.role}{party}. The key is shown only now; "
                  "send it as 'Authorization: Bearer <key>':")
    typer.echo(created.secret)


@keys_app.command("list")
def keys_list() -> None:
    """List every key (never the key itself): id, role, party, label, created, revoked."""

    async def work(graph: Graph) -> list[keys.ApiKey]:
        return await keys.list_(graph)

    table = Table("id", "role", "party", "label", "created", "revoked")
    for key in _with_graph(work):
        table.add_row(key.id, key.role, key.party_id or "", key.label,
                      key.created_at.isoformat() if key.created_at else "",
                      key.revoked_at.isoformat() if key.revoked_at else "")
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id, as `keys list` shows it.")) -> None:
    """Revoke a key: from now on it gets a 401."""

    async def work(graph: Graph) -> Any:
        return await keys.revoke(graph, key_id=key_id)

    try:
        revoked_at = _with_graph(work)
    except LikenessError as error:
        raise _fail(error) from None
    console.print(f"{key_id} revoked at {revoked_at.isoformat()}")


@log_app.command("verify")
def log_verify() -> None:
    """Walk the log's hash chain; report the first broken entry (exit 1) or that it is intact."""

    async def work(graph: Graph) -> log.Verification:
        return await log.verify(graph)

    result = _with_graph(work)
    if result.broken is not None:
        console.print(f"[red]log broken at entry {result.broken.seq}: {result.broken.reason}[/red] "
                      f"({result.entries} entries before it verified)", highlight=False)
        raise typer.Exit(1)
    console.print(f"log intact: {result.entries} entries; head hash {result.head_hash or '(empty log)'}")
