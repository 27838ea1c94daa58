"""Face templates: the enrolment's checks, and the search of a file's faces through Neo4j's vector index.

A template (`FaceTemplate {vector, model, box, personId, captureId}`, OF its person, FROM its capture) is
the only place a face vector is stored; no statement here returns one. The vector index
`face_template_vectors` (graph.migrations) finds a face's nearest templates; the distance answered is
computed exactly here, in Cypher, from the candidates' vectors (the index's own score, 1 / (1 + d²), is a
quantized approximation). docs/faces.md says what is kept, for how long, and who sees a match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from likeness.graph.driver import Graph, run

# the numbers in a template: the vector index's dimensions (graph.migrations), dlib's descriptor's length
TEMPLATE_DIMENSIONS = 128

# how many nearest templates the index answers for each face. The index is approximate (HNSW over quantized
# vectors) and k is also how widely it searches: at 1M templates k = 10 found the true nearest 68-71 % of
# the time, k = 100 99.5-100 % (bench/face_index.py, docs/performance.md "Face search")
NEAREST = 100

# the Euclidean distance between a template `t` and a face `v`, exact (to 2e-7) from the stored vectors:
# Neo4j's euclidean similarity is 1 / (1 + d²); the index's own score is not exact (its vectors are quantized)
_DISTANCE: LiteralString = "sqrt(1.0 / vector.similarity.euclidean(t.vector, v) - 1.0)"

# a MATCHING consent of person `p` in force at `$at`
_MATCHING_IN_FORCE: LiteralString = """
    EXISTS { MATCH (p)-[:GRANTED]->(k:Consent {purpose: 'MATCHING'})
             WHERE k.validFrom <= $at AND k.signedAt <= $at
               AND (k.validUntil IS NULL OR k.validUntil > $at)
               AND (k.revokedAt IS NULL OR k.revokedAt > $at) }
"""

_ENROLMENT: LiteralString = (
    """
    MATCH (p:Entity {id: $personId}), (c:Entity {id: $captureId})
    WITH p, c, $vector AS v
    RETURN c.sha256 AS sha256, $personId IN c.personIds AS depicts,
           """
    + _MATCHING_IN_FORCE
    + """ AS consented,
           COLLECT { MATCH (t:FaceTemplate {personId: $personId})
                     RETURN {captureId: t.captureId, distance: """
    + _DISTANCE
    + """} } AS others
    """
)

_NEAREST: LiteralString = (
    """
    UNWIND $faces AS face
    CALL db.index.vector.queryNodes('face_template_vectors', $nearest, face.vector) YIELD node AS t
    WITH face, t, face.vector AS v
    WITH face, t, """
    + _DISTANCE
    + """ AS distance
    WHERE distance <= $threshold
    MATCH (t)-[:OF]->(p:Person)
    WHERE """
    + _MATCHING_IN_FORCE
    + """
    RETURN face.index AS face, p.id AS personId, t.captureId AS captureId, t.model AS model, distance
    ORDER BY face, distance, personId
    """
)


@dataclass(frozen=True)
class EnrolmentFacts:
    """What an enrolment is checked against: the capture's sha256 and people, her MATCHING consent, and the
    distances from the new face to her templates already enrolled."""

    capture_sha256: str | None
    depicts: bool
    consented: bool
    others: tuple[tuple[str, float], ...]  # (captureId, distance), nearest first


async def enrolment_facts(
    tx: AsyncManagedTransaction, *, person_id: str, capture_id: str, vector: Sequence[float], at: datetime
) -> EnrolmentFacts:
    rows = await run(tx, _ENROLMENT, personId=person_id, captureId=capture_id, vector=list(vector), at=at)
    row = rows[0]
    others = sorted((other["captureId"], float(other["distance"])) for other in row["others"])
    return EnrolmentFacts(
        capture_sha256=row["sha256"],
        depicts=bool(row["depicts"]),
        consented=bool(row["consented"]),
        others=tuple(sorted(others, key=lambda item: item[1])),
    )


_ENROLMENT_INPUT: LiteralString = "MATCH (t:FaceTemplate {id: $key}) RETURN t.input AS input"


async def enrolment_input(graph: Graph, key: str) -> dict[str, Any] | None:
    """The input an enrolment was recorded with (its first, when it was sent again), or None."""
    rows = await graph.query(_ENROLMENT_INPUT, key=key)
    return orjson.loads(rows[0]["input"]) if rows else None


@dataclass(frozen=True)
class TemplateMatch:
    """A face of a file within the threshold of a template of an enrolled person (a MATCHING consent in
    force at the search): the nearest template of each person."""

    face: int  # the face's index in the file's scan
    person_id: str
    capture_id: str
    model: str
    distance: float


async def nearest_templates(
    graph: Graph, vectors: Sequence[Sequence[float]], *, threshold: float, at: datetime
) -> list[TemplateMatch]:
    """The enrolled people each face is within `threshold` of (nearest template of each person, nearest
    first), read through the vector index; people whose MATCHING consent is not in force at `at` are not
    matched."""
    if not vectors:
        return []
    faces = [{"index": index, "vector": list(vector)} for index, vector in enumerate(vectors)]
    rows = await graph.query(_NEAREST, faces=faces, nearest=NEAREST, threshold=threshold, at=at)
    found: dict[tuple[int, str], TemplateMatch] = {}
    for row in rows:
        key = (int(row["face"]), str(row["personId"]))
        if key not in found:  # rows come nearest first
            found[key] = TemplateMatch(
                face=key[0],
                person_id=key[1],
                capture_id=row["captureId"],
                model=row["model"],
                distance=float(row["distance"]),
            )
    return list(found.values())
