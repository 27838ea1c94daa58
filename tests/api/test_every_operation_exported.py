"""Every operation of the contract (likeness.events.contract.SPECS) is exported and re-imported: an export of
a world holding each kind of event names every operation, and imports back into an empty graph as it was."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson

from likeness.demo import DEMO_WORLD
from likeness.events.contract import SPECS
from likeness.ingest.bulk import export_to, import_lines


def _face(person_id: str, capture_id: str, distance: float) -> dict[str, Any]:
    return {
        "personId": person_id,
        "captureId": capture_id,
        "distance": distance,
        "box": [64, 40, 180, 190],
        "frameTime": 0.0,
        "model": "dlib-resnet-v1",
        "threshold": 0.6,
    }


# lines of the operations (or fields) the demo world does not hold (yet): a new operation adds its example
# here
EXAMPLES: list[str] = [
    # a sighting and an asset whose files show enrolled persons' faces (faceMatches: SHOWS_FACE_OF)
    orjson.dumps(
        {
            "op": "reportSighting",
            "input": {
                "id": "sighting-example-faces",
                "url": "https://example.org/faces",
                "observedAt": "2026-03-01T10:00:00Z",
                "sha256": "ab" * 32,
                "faceMatches": [
                    _face("person-noor-haddad", "capture-noor-photo-01", 0.52),
                    _face("person-liv-aberg", "capture-liv-photo-01", 0.38),
                ],
            },
        }
    ).decode(),
    orjson.dumps(
        {
            "op": "publishAsset",
            "input": {
                "id": "asset-example-faces",
                "publisherId": "brand-nordhem",
                "twinIds": ["twin-liv-v1"],
                "sha256": "cd" * 32,
                "mediaType": "VIDEO",
                "channel": "WEB",
                "territories": ["SE"],
                "publishedAt": "2026-03-02T10:00:00Z",
                "aiLabel": True,
                "machineReadableMark": True,
                "faceMatches": [
                    {**_face("person-noor-haddad", "capture-noor-photo-01", 0.47), "frameTime": 2.5}
                ],
            },
        }
    ).decode(),
]
_FACES = "MATCH (n)-[f:SHOWS_FACE_OF]->(p) RETURN n.id AS n, p.id AS p, properties(f) AS f ORDER BY n, p"


async def _export(graph: Any) -> str:
    out = io.StringIO()
    await export_to(graph, out)
    return out.getvalue()


_TEMPLATES = "MATCH (t:FaceTemplate) RETURN t.id AS id, t.vector AS vector, t.box AS box ORDER BY t.id"


async def test_every_operation_is_exported_and_imported_back_as_it_was(graph: Any) -> None:
    lines = Path(str(DEMO_WORLD)).read_text().splitlines() + EXAMPLES
    recorded = {orjson.loads(line)["op"] for line in lines}
    assert recorded == set(SPECS), "an operation with no example line: add one to EXAMPLES"
    summary = await import_lines(graph, lines)
    assert summary.rejected == []
    faces = await graph.query(_FACES)
    assert len(faces) == sum(len(orjson.loads(line)["input"].get("faceMatches", [])) for line in lines) > 0
    templates = await graph.query(_TEMPLATES)
    assert len(templates) == sum(1 for line in lines if orjson.loads(line)["op"] == "enrollLikeness")
    first = await _export(graph)
    exported = [orjson.loads(line)["op"] for line in first.splitlines()]
    assert set(exported) == set(SPECS)
    for op in SPECS:
        assert exported.count(op) == sum(1 for line in lines if orjson.loads(line)["op"] == op), op
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    again = await import_lines(graph, first.splitlines())
    assert again.rejected == [] and again.applied == len(exported)
    assert await _export(graph) == first
    assert await graph.query(_FACES) == faces
    # the templates computed again from the capture's files (an export holds none)
    assert await graph.query(_TEMPLATES) == templates
