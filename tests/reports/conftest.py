"""The demo world, loaded as `likeness demo` loads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from likeness.demo import DEMO_WORLD
from likeness.ingest.bulk import import_lines

KNOCKOFF = "asset-maren-liv-knockoff"
# a demo asset running under consents that carry their signed document's sha256
WITH_DOCUMENT = "asset-aw25-liv-shop"


@pytest.fixture
async def demo(graph: Any) -> Any:
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected
    return graph
