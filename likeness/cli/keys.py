"""`likeness keys …` (API keys) and `likeness log verify` (the tamper-evident log)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from likeness.access import keys, log
from likeness.access.roles import ROLES
from likeness.cli.common import console, fail, with_graph
from likeness.errors import LikenessError
from likeness.graph.driver import Graph

keys_app = typer.Typer(
    help="API keys: create (shown once, stored hashed), list, revoke.", no_args_is_help=True
)
log_app = typer.Typer(
    help="The tamper-evident log of mutations and regulator/investigator queries.", no_args_is_help=True
)


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., help=f"One of {', '.join(ROLES)}."),
    org: str = typer.Option(None, help="The organization a BRAND, VENDOR or AGENCY key acts as."),
    person: str = typer.Option(None, help="The person a PERSON key acts as."),
    label: str = typer.Option("", help="A note saying who holds the key."),
) -> None:
    """Create an API key and print it once (only its SHA-256 is stored)."""
    if org and person:
        raise fail("give --org or --person, not both", code=2)

    async def work(graph: Graph) -> keys.NewKey:
        return await keys.create(graph, role=role, party_id=org or person, label=label)

    try:
        created = with_graph(work)
    except LikenessError as error:
        raise fail(error.message) from None
    party = f" acting as {created.key.party_id}" if created.key.party_id else ""
    console.print(
        f"created {created.key.id}: {created.key.role}{party}. The key is shown only now; "
        "send it as 'Authorization: Bearer <key>':"
    )
    typer.echo(created.secret)


def _key_row(key: keys.ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "role": key.role,
        "party": key.party_id,
        "label": key.label,
        "created": key.created_at.isoformat() if key.created_at else None,
        "revoked": key.revoked_at.isoformat() if key.revoked_at else None,
    }


@keys_app.command("list")
def keys_list(
    as_json: bool = typer.Option(False, "--json", help="One JSON array of the keys instead of a table."),
) -> None:
    """List every key (never the key itself): id, role, party, label, created, revoked."""
    rows = [_key_row(key) for key in with_graph(keys.list_)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table()
    # ids are what `keys revoke` takes: never cut or wrapped, whatever the terminal's width
    table.add_column("id", no_wrap=True, min_width=max((len(row["id"]) for row in rows), default=2))
    for name in ("role", "party", "label", "created", "revoked"):
        table.add_column(name)
    for row in rows:
        table.add_row(*(row[name] or "" for name in ("id", "role", "party", "label", "created", "revoked")))
    Console().print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id, as `keys list` shows it.")) -> None:
    """Revoke a key: from now on it gets a 401."""

    async def work(graph: Graph) -> Any:
        return await keys.revoke(graph, key_id=key_id)

    try:
        revoked_at = with_graph(work)
    except LikenessError as error:
        raise fail(error.message) from None
    console.print(f"{key_id} revoked at {revoked_at.isoformat()}")


@log_app.command("verify")
def log_verify() -> None:
    """Walk the log's hash chain; report the first broken entry (exit 1) or that it is intact."""
    result = with_graph(log.verify)
    if result.broken is not None:
        raise fail(
            f"log broken at entry {result.broken.seq}: {result.broken.reason} "
            f"({result.entries} entries before it verified)"
        )
    console.print(f"log intact: {result.entries} entries; head hash {result.head_hash or '(empty log)'}")
