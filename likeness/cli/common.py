"""What every command shares: the consoles, opening the graph, and refusals a user can act on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from likeness.config import get_settings
from likeness.graph import connection
from likeness.graph.driver import Graph

# progress, notes and errors go to stderr; what a command answers goes to stdout
console = Console(stderr=True, highlight=False)
T = TypeVar("T")


class CommandFailed(Exception):
    """A command cannot do what was asked; the message says why and what to do."""


def ensure_local_neo4j() -> None:
    """Start the local Neo4j when it is needed and down (saying so), unless the user stopped it."""
    settings = get_settings()
    if settings.neo4j_uri is not None:
        return
    server = connection.local_server(settings)
    if server.is_running():
        return
    with console.status("starting the local Neo4j…"):
        started = server.ensure_running()
    if started:
        console.print(
            f"started the local Neo4j at {server.uri} (stop it with `likeness neo4j stop`)", soft_wrap=True
        )


def with_graph(work: Callable[[Graph], Awaitable[T]]) -> T:
    """Run a command's work on the graph of this environment (NEO4J_URI, else the local Neo4j)."""
    ensure_local_neo4j()
    return connection.with_graph(get_settings(), work)


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[red]{message}[/red]", markup=True, soft_wrap=True)
    return typer.Exit(code)
