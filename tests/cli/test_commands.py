"""The `likeness` command's everyday answers: version, keys, refusals in one line, progress,
the kept token."""

from __future__ import annotations

import asyncio
import json
import socket
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from likeness.cli import app
from likeness.cli.serve import kept_admin_token
from likeness.config import get_settings
from likeness.demo import DEMO_WORLD
from likeness.errors import GraphUnavailable
from likeness.ingest.bulk import import_lines


def test_version_names_the_installed_package() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip().startswith("likeness ") and result.stdout.strip()[9:][0].isdigit()


def test_an_unreachable_neo4j_is_one_line_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free once closed: nothing listens there
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["keys", "list"])
        debug = CliRunner().invoke(app, ["--debug", "keys", "list"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0]
        == f"error: cannot reach Neo4j at bolt://127.0.0.1:{port} (check NEO4J_URI)"
    )
    assert "Traceback" not in result.output
    assert debug.exit_code == 1 and isinstance(debug.exception, GraphUnavailable)


def test_serve_names_a_taken_port() -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is taken" in result.output and "--port" in result.output


async def test_keys_list_shows_whole_ids_on_a_narrow_terminal_and_as_json(
    cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = "a label long enough to squeeze every other column of the table"
    created = await asyncio.to_thread(
        cli_env.invoke, app, ["keys", "create", "--role", "REGULATOR", "--label", label]
    )
    assert created.exit_code == 0, created.output
    key_id = created.output.split("created ", 1)[1].split(":", 1)[0]
    monkeypatch.setenv("COLUMNS", "40")
    table = await asyncio.to_thread(cli_env.invoke, app, ["keys", "list"])
    assert table.exit_code == 0 and key_id in table.stdout
    as_json = json.loads((await asyncio.to_thread(cli_env.invoke, app, ["keys", "list", "--json"])).stdout)
    assert [(row["id"], row["role"], row["revoked"]) for row in as_json] == [(key_id, "REGULATOR", None)]


async def test_import_progress_moves_within_one_batch(graph: Any) -> None:
    lines = Path(str(DEMO_WORLD)).read_text().splitlines()
    reached: list[int] = []
    summary = await import_lines(graph, lines, batch_size=len(lines), progress=reached.append)
    assert not summary.rejected
    assert len(set(reached)) > 3, reached
    assert reached == sorted(reached) and reached[-1] == len(lines)


def test_the_admin_token_is_kept_readable_by_its_owner_only(tmp_path: Path) -> None:
    kept = tmp_path / "data" / "admin-token"
    token = kept_admin_token(kept)
    assert len(token) >= 24
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept_admin_token(kept) == token
    kept.unlink()
    assert kept_admin_token(kept) != token
