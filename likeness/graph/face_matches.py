"""The faces of enrolled persons that recorded files show: (Sighting|Asset)-[:SHOWS_FACE_OF]->(Person), read
for the sightings and assets a caller was shown and for a person's landing, each filtered by who may see a
face match (graph.visibility.face_match_visible). No vector is stored here, so none can be answered."""

from __future__ import annotations

from typing import Any, LiteralString

from likeness.graph.driver import Graph
from likeness.graph.reads import Node, node_of
from likeness.graph.visibility import Scope, scoped

# how many of a person's face matches her landing lists, most recent first
PERSON_MATCHES_LIMIT = 500

_MATCH_COLUMNS: LiteralString = """
    f {.distance, .threshold, .model, .box, .frameTime, .captureId} AS match,
    properties(p) AS person, labels(p) AS personLabels
"""

# the face matches on sightings or assets the caller was already shown (their own visibility is not
# repeated), by person
_ON_SUBJECTS = scoped(
    """
    UNWIND $ids AS id
    MATCH (s:Entity {id: id})-[f:SHOWS_FACE_OF]->(p:Person)
    WHERE FACE_VISIBLE(s, p)
    RETURN s.id AS subjectId,"""
    + _MATCH_COLUMNS
    + """
    ORDER BY s.id, p.id
"""
)

# a person's face matches, most recent first (a tenant sees the sighting or asset of every match it may see:
# she, or her agency, sees what shows her face, a publisher its own assets)
_OF_PERSONS = scoped(
    """
    UNWIND $ids AS id
    MATCH (p:Entity {id: id})<-[f:SHOWS_FACE_OF]-(s:Entity)
    WHERE p:Person AND FACE_VISIBLE(s, p)
    WITH p, f, s, coalesce(s.observedAt, s.publishedAt) AS at
    ORDER BY p.id, at DESC, s.id
    WITH p, collect({f: f, s: s})[..$limit] AS found
    UNWIND found AS row
    WITH p, row.f AS f, row.s AS s
    RETURN p.id AS id, properties(s) AS subject, labels(s) AS subjectLabels,"""
    + _MATCH_COLUMNS
)


def _match(row: dict[str, Any]) -> dict[str, Any]:
    """A face match as the resolvers read it: its relationship's properties and the person's node."""
    return {**row["match"], "person": node_of(row["person"], row["personLabels"])}


async def face_matches_on(
    graph: Graph, ids: list[str], *, scope: Scope | None
) -> dict[str, list[dict[str, Any]]]:
    """For each of these sightings or assets, the face matches the caller may see, by person."""
    cypher, parameters = _ON_SUBJECTS.for_scope(scope)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in await graph.query(cypher, ids=ids, **parameters):
        found.setdefault(row["subjectId"], []).append(_match(row))
    return found


async def face_matches_of(
    graph: Graph, person_ids: list[str], *, scope: Scope | None, limit: int = PERSON_MATCHES_LIMIT
) -> dict[str, list[tuple[Node, dict[str, Any]]]]:
    """For each person, the sightings and assets showing her face that the caller may see with the match,
    most recent first (observedAt or publishedAt), at most `limit`."""
    cypher, parameters = _OF_PERSONS.for_scope(scope)
    found: dict[str, list[tuple[Node, dict[str, Any]]]] = {}
    for row in await graph.query(cypher, ids=person_ids, limit=limit, **parameters):
        found.setdefault(row["id"], []).append((node_of(row["subject"], row["subjectLabels"]), _match(row)))
    return found
