"""A single read statement (Graph.query) is one auto-commit transaction: RUN and PULL in one exchange,
where a managed transaction adds a BEGIN and a COMMIT round trip each."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j.exceptions import Neo4jError

from likeness.graph.driver import Graph, run

# Neo4j runs `CALL { … } IN TRANSACTIONS` only in an auto-commit (implicit) transaction
BATCHED = (
    "UNWIND [1, 2, 3] AS x CALL (x) { RETURN x * 2 AS y } IN TRANSACTIONS OF 2 ROWS RETURN collect(y) AS ys"
)


async def test_a_read_query_runs_as_one_auto_commit_transaction(graph: Graph) -> None:
    before = graph.round_trips
    assert await graph.query(BATCHED) == [{"ys": [2, 4, 6]}]
    assert graph.round_trips == before + 1

    async def managed(tx: Any) -> Any:
        return await run(tx, BATCHED)

    with pytest.raises(Neo4jError, match="(?i)implicit"):
        await graph.read(managed)
