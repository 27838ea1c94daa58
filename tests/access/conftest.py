"""The competing-tenants world and one API key per tenant, for the access tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.access import world


@pytest.fixture
async def tenants(api: Any, graph: Any) -> dict[tuple[str, str], str]:
    """The world built as the bootstrap admin; answers (role, party) -> bearer key."""
    await world.build(api)
    return await world.tenant_keys(graph)
