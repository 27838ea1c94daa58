"""Statements run once per event, file or clock tick seek every node they look up by index, whatever the
store held when Neo4j planned them. A plan made on an empty store (a fresh import's first batch) is kept
while the store grows: an alert's audience read as (:Person {id}) scanned every person for each alert,
and a million-asset import stood still at its twins (docs/performance.md, "How cost grows")."""

from __future__ import annotations

from typing import Any

import pytest

from likeness.graph import alerts, export, manifests, signed_files
from likeness.graph.driver import Graph

ALERT = {
    "id": "alert-1",
    "type": "VERDICT_OPENED",
    "subjectId": "asset-1",
    "subjectKind": "ASSET",
    "code": "NO_CONSENT",
    "summary": "s",
    "parties": ["person-1"],
    "only": None,
    "when": None,
}
PARAMETERS = {
    "alerts": [ALERT],
    "at": "2026-01-01T00:00:00Z",
    "now": "2026-01-01T00:00:00Z",
    "from": "2025-12-01T00:00:00Z",
    "expiryDays": 30,
    "subjectIds": ["asset-1"],
    "rows": [{"id": "asset-1", "sha256": "0" * 64, "mimeType": "image/jpeg", "bytes": b""}],
    "id": "asset-1",
    "ids": ["sighting-1"],
    "consentIds": ["consent-1"],
}
# the statements that look nodes up by id or by an indexed property, run once per event, file or tick
STATEMENTS = {
    "alerts._EMIT": alerts._EMIT,  # noqa: SLF001
    "alerts._VERDICT_CHANGES": alerts._VERDICT_CHANGES,  # noqa: SLF001
    "alerts._NOTICES_CLOSING": alerts._NOTICES_CLOSING,  # noqa: SLF001
    "alerts._CONSENTS_ENDING": alerts._CONSENTS_ENDING,  # noqa: SLF001
    "signed_files._STORE": signed_files._STORE,  # noqa: SLF001
    "signed_files._STORED_INPUT": signed_files._STORED_INPUT,  # noqa: SLF001
    "signed_files._AI_TRAINING": signed_files._AI_TRAINING,  # noqa: SLF001
    "signed_files._READ": signed_files._READ,  # noqa: SLF001
    "manifests._LOST_MANIFESTS": manifests._LOST_MANIFESTS.everything,  # noqa: SLF001
    "export._TWINS_BY_ID": export._TWINS_BY_ID,  # noqa: SLF001
}


def _operators(plan: dict[str, Any]) -> Any:
    yield plan["operatorType"], str(plan.get("args", {}).get("Details", ""))
    for child in plan.get("children", []):
        yield from _operators(child)


@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_a_statement_planned_on_an_empty_store_scans_no_label(graph: Graph, name: str) -> None:
    cypher = STATEMENTS[name]
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("EXPLAIN " + cypher, PARAMETERS)  # type: ignore[arg-type]
        summary = await result.consume()
    assert summary.plan is not None
    operators = list(_operators(summary.plan))
    scans = [(op, details) for op, details in operators if op.startswith(("AllNodesScan", "NodeByLabelScan"))]
    assert scans == [], scans
