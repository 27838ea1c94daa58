"""The benchmark's tests, and the options of their CI-sized runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.suite import Options


def small_run(tmp_path: Path, **changes: Any) -> Options:
    """The options of a CI-sized benchmark run into tmp_path (results/, work/): a few requests per
    question, two clients for two seconds; `changes` name the world and what runs."""
    return replace(
        Options(
            out=tmp_path / "results",
            work_dir=tmp_path / "work",
            warmup=1,
            big_page_requests=2,
            clients=2,
            seconds=2.0,
            max_requests=200,
            log=lambda message: None,
        ),
        **changes,
    )
