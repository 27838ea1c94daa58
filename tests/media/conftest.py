"""The shared C2PA sample files, found beside the clone; their tests skip, saying why, when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media.media_factories import C2PA_FIXTURES


@pytest.fixture
def c2pa_fixtures() -> Path:
    if not (C2PA_FIXTURES / "C.jpg").is_file():
        pytest.skip(
            f"the shared C2PA fixtures are not at {C2PA_FIXTURES} (../shared/fixtures/c2pa beside the clone)"
        )
    return C2PA_FIXTURES
