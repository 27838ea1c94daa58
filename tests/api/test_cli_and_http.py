"""The command line and the HTTP surface, as a new user meets them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from likeness.cli import app


async def test_graphiql_is_served_to_a_browser(api: Any) -> None:
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_cli_import_reports_rejected_lines_and_export_reads_back(cli_env: CliRunner, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"op": "registerPerson", "input": {"id": "person-cli", "name": "Cli Person"}}\n'
        '{"op": "registerOrganization", "input": {"id": "brand-cli", "name": "Cli", "kind": "BANK"}}\n'
    )
    result = cli_env.invoke(app, ["import", str(events)])
    assert result.exit_code == 1
    assert "applied 1, unchanged 0, rejected 1" in result.output
    assert "line 2: kind" in result.output
    out = tmp_path / "out.jsonl"
    exported = cli_env.invoke(app, ["export", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_text() == '{"op":"registerPerson","input":{"id":"person-cli","name":"Cli Person"}}\n'
