"""Fixtures shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from likeness.config import get_settings


@pytest.fixture
def cli_env(graph: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The `likeness` CLI pointed at the test database (settings re-read from the environment)."""
    monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
