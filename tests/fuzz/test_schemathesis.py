"""Fuzzing the GraphQL endpoint with schemathesis: no 5xx, and every error coded (not INTERNAL_ERROR).

Schemathesis generates queries and mutations from the schema's introspection, with the custom scalars
(DateTime, Date, Decimal) taught in tests/fuzz/hooks.py, and sends them to the real app over HTTP with
an admin's token, on the demo world. It runs from a virtualenv of its own (data/tools/, installed on
first use from tests/fuzz/requirements.lock with hashes): it pins a Starlette older than the app's.

CI runs about 450 cases (15 per operation); more with LIKENESS_FUZZ_EXAMPLES, e.g. 4,350 cases:
`LIKENESS_FUZZ_EXAMPLES=150 .venv/bin/python -m pytest tests/fuzz -s` (docs/operations.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from likeness.app import create_app
from likeness.config import PROJECT_ROOT, Settings
from likeness.graph.driver import Graph
from tests.conftest import ADMIN_TOKEN
from tests.ops.conftest import served

HERE = Path(__file__).parent
LOCK = HERE / "requirements.lock"
# per operation: 15 gives about 450 cases over the schema's operations
FUZZ_EXAMPLES = int(os.environ.get("LIKENESS_FUZZ_EXAMPLES", "15"))


def schemathesis() -> Path:
    """The schemathesis command, installed once into data/tools/ from the lock."""
    version = re.search(r"^schemathesis==(\S+)", LOCK.read_text(), re.MULTILINE)
    assert version is not None
    venv = PROJECT_ROOT / "data" / "tools" / f"schemathesis-{version.group(1)}"
    command = venv / "bin" / "schemathesis"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "--require-hashes", "-r", str(LOCK)],
            check=True,
            timeout=600,
        )
    return command


def fuzz(base: str, *, examples: int, seed: int, work: Path) -> subprocess.CompletedProcess[str]:
    """Run schemathesis' fuzzing phase against base/graphql from the folder `work` (where it keeps its
    cache and reports); its summary is in stdout."""
    return subprocess.run(
        [
            str(schemathesis()),
            "run",
            f"{base}/graphql",
            "--header",
            f"Authorization: Bearer {ADMIN_TOKEN}",
            "--max-examples",
            str(examples),
            "--seed",
            str(seed),
            "--phases",
            "fuzzing",
            # both count any GraphQL error as a failure, a coded BAD_INPUT for an out-of-domain value
            # included; hooks.every_error_is_coded checks for 5xx and uncoded or internal errors instead
            "--exclude-checks",
            "not_a_server_error,positive_data_acceptance",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=work,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "hooks", "PYTHONPATH": str(HERE)},
    )


def cases(summary: str) -> tuple[int, int]:
    """(generated, passed) from schemathesis' summary line."""
    found = re.search(r"(\d+) generated, (?:.*?)(\d+) passed", summary)
    assert found is not None, summary[-2000:]
    return int(found.group(1)), int(found.group(2))


async def test_fuzzed_requests_get_no_5xx_and_only_coded_errors(
    demo: Graph, settings: Settings, tmp_path: Path
) -> None:
    with served(create_app(settings)) as base:
        run = fuzz(base, examples=FUZZ_EXAMPLES, seed=1, work=tmp_path)
    generated, passed = cases(run.stdout)
    print(run.stdout[-600:])
    assert run.returncode == 0, run.stdout[-6000:]
    assert generated >= 20 * FUZZ_EXAMPLES  # the whole schema was fuzzed, not a corner of it
    assert passed == generated
