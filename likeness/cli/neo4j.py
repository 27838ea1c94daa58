"""`likeness neo4j start|stop|status`: the project's own local Neo4j."""

from __future__ import annotations

import typer

from likeness.cli.common import console
from likeness.config import get_settings
from likeness.graph.connection import local_server

neo4j_app = typer.Typer(
    help="The project's own local Neo4j (used when NEO4J_URI is unset).", no_args_is_help=True
)


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local Neo4j (resolving its jars from Maven Central the first time)."""
    server = local_server(get_settings())
    with console.status("starting Neo4j…"):
        server.start()
    console.print(f"Neo4j is up at {server.uri} (data in {server.data_dir})")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly; it stays stopped until `likeness neo4j start`."""
    stopped = local_server(get_settings()).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs and answers on Bolt (exit 1 when it does not)."""
    server = local_server(get_settings())
    pid = server.running_pid()
    if pid is not None and server.bolt_ready():
        console.print(f"running (pid {pid}) at {server.uri}")
        return
    stopped = " (stopped by `likeness neo4j stop`)" if server.stopped_marker.exists() else ""
    console.print(f"not running{stopped}")
    raise typer.Exit(1)
