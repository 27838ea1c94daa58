"""`likeness serve`: the GraphQL API over HTTP."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer

from likeness.cli.common import CommandFailed, console, ensure_local_neo4j
from likeness.config import get_settings
from likeness.local_neo4j import port_is_free

serve_app = typer.Typer()


def kept_admin_token(path: Path) -> str:
    """The admin token kept in `path` (readable by its owner only), made on first use: a browser's
    saved token stays valid across restarts."""
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return token


@serve_app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="uvicorn worker processes."),
) -> None:
    """Serve the GraphQL API (GraphiQL in the browser at /graphql)."""
    import uvicorn

    if not port_is_free(port, host):
        raise CommandFailed(f"port {port} on {host} is taken by another process; stop it or pass --port")
    settings = get_settings()
    if not settings.likeness_admin_token:
        kept = settings.likeness_data_dir / "admin-token"
        os.environ["LIKENESS_ADMIN_TOKEN"] = kept_admin_token(kept)
        get_settings.cache_clear()
        # the path, never the token: what a service prints ends up in logs that others read
        console.print(
            f"admin token (LIKENESS_ADMIN_TOKEN unset): kept in [bold]{kept}[/bold], readable by you only "
            f"(cat {kept})",
            soft_wrap=True,
            highlight=False,
        )
    if settings.likeness_c2pa_trust_anchors is not None:
        # a bundle that cannot be used is said here, plainly, before anything starts (the app refuses it too)
        from likeness.media.credentials import load_trust_anchors

        load_trust_anchors(settings)
    ensure_local_neo4j()
    console.print(f"GraphiQL: http://{host}:{port}/graphql  (paste the token into the page's token field)")
    uvicorn.run(
        "likeness.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # the app logs one line per request itself (likeness.ops); drain in-flight requests on SIGTERM
        access_log=False,
        timeout_graceful_shutdown=int(get_settings().likeness_shutdown_timeout),
    )
