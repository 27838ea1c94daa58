"""`python -m bench seed`: the synthetic world as a file in the import format, and loaded with --load."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.__main__ import main
from bench.world import write_world
from likeness.config import get_settings
from likeness.graph.driver import Graph


def _seed(*arguments: str) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(["seed", *arguments])
    return int(exit_.value.code or 0)


def test_seed_writes_the_world_of_its_seed_into_the_data_dir_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIKENESS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert _seed("--assets", "200", "--seed", "4", "--violations", "0.2") == 0
    finally:
        get_settings.cache_clear()
    expected = tmp_path / "expected.jsonl"
    write_world(expected, assets=200, seed=4, violation_share=0.2)
    assert (tmp_path / "data" / "world-200-s4.jsonl").read_bytes() == expected.read_bytes()


def test_seed_refuses_a_share_outside_zero_to_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert _seed("--assets", "10", "--violations", "1.5") == 2
    assert "--violations: expected a share between 0 and 1, got 1.5" in capsys.readouterr().err


async def test_seed_with_load_imports_every_event_as_likeness_import_does(
    cli_env: CliRunner, graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = tmp_path / "world.jsonl"
    assert await asyncio.to_thread(_seed, "--assets", "60", "--seed", "1", "--out", str(world), "--load") == 0
    events = len(world.read_bytes().splitlines())
    assert f"applied {events}, unchanged 0, rejected 0" in capsys.readouterr().out
    async with graph.driver.session(database=graph.database) as session:
        record = await (await session.run("MATCH (a:Asset) RETURN count(a) AS assets")).single()
    assert record is not None and record["assets"] == 60
