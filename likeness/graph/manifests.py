"""Content Credentials in the graph: the Manifest of a file an asset or sighting was recorded with, the
ingredients it can be tied to, and the credentials read back for the API.

    (Asset|Sighting)-[:HAS_MANIFEST]->(m:Manifest {validationState, failures, claimGenerator, signer,
                                                   signerOrganization, signedAt, digitalSourceTypes,
                                                   declaresAiGeneration, manifestLabel})
    (m)-[:INGREDIENT {index, title, relationship, sha256?, matchedBy, distance}]->(Asset|Capture)

A C2PA ingredient records no SHA-256 of the ingredient file (docs/hashing.md), so an ingredient is tied
to a known asset or capture by what the manifest does give: the SHA-256 of ingredient data the manifest
embeds (`dataSha256`, matchedBy 'dataSha256'), the label of the ingredient's own manifest when a known
asset was recorded with that manifest ('activeManifest'), or the phash of the ingredient's thumbnail
within INGREDIENT_DISTANCE of an asset's or capture's phash ('thumbnailPhash'). Links are made when the
manifest is recorded, to the assets and captures the graph holds by the end of that write's batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from likeness.events.contract import Event
from likeness.graph.driver import Graph, run
from likeness.graph.phash import WIDE, distance

INGREDIENT_DISTANCE = 8
# which tie is shown when one ingredient is tied to one node several ways
_PRIORITY = {"dataSha256": 0, "activeManifest": 1, "thumbnailPhash": 2}

_CANDIDATES: LiteralString = """
    UNWIND $probes AS probe
    CALL (probe) {
      MATCH (x:Asset {sha256: probe.sha256}) RETURN x, 'dataSha256' AS by
      UNION
      MATCH (x:Capture {sha256: probe.sha256}) RETURN x, 'dataSha256' AS by
      UNION
      MATCH (x:Asset)-[:HAS_MANIFEST]->(:Manifest {manifestLabel: probe.manifest})
      RETURN x, 'activeManifest' AS by
      UNION
      MATCH (x:Asset) WHERE x.phashW0 IN probe.b0 RETURN x, 'thumbnailPhash' AS by
      UNION
      MATCH (x:Asset) WHERE x.phashW1 IN probe.b1 RETURN x, 'thumbnailPhash' AS by
      UNION
      MATCH (x:Asset) WHERE x.phashW2 IN probe.b2 RETURN x, 'thumbnailPhash' AS by
      UNION
      MATCH (x:Capture) WHERE x.phashW0 IN probe.b0 RETURN x, 'thumbnailPhash' AS by
      UNION
      MATCH (x:Capture) WHERE x.phashW1 IN probe.b1 RETURN x, 'thumbnailPhash' AS by
      UNION
      MATCH (x:Capture) WHERE x.phashW2 IN probe.b2 RETURN x, 'thumbnailPhash' AS by
    }
    WITH probe, x, by WHERE x.id <> probe.ownerId
    RETURN probe.ownerId AS ownerId, probe.index AS index, x.id AS id, x.phash AS phash, by
"""

_LINK: LiteralString = """
    UNWIND $links AS link
    MATCH (:Entity {id: link.ownerId})-[:HAS_MANIFEST]->(m:Manifest), (x:Entity {id: link.id})
    CREATE (m)-[r:INGREDIENT]->(x)
    SET r += link.props
"""


def _probes(owner_id: str, ingredients: list[dict[str, Any]]) -> list[dict[str, Any]]:
    probes = []
    for index, ingredient in enumerate(ingredients):
        thumbnail = ingredient.get("thumbnailPhash")
        bands = WIDE.candidates(thumbnail, INGREDIENT_DISTANCE) if thumbnail else [[] for _ in WIDE.widths]
        probes.append(
            {
                "ownerId": owner_id,
                "index": index,
                "sha256": ingredient.get("dataSha256"),
                "manifest": ingredient.get("activeManifest"),
                **{f"b{band}": values for band, values in enumerate(bands)},
            }
        )
    return probes


async def link_ingredients(tx: AsyncManagedTransaction, events: Sequence[Event]) -> None:
    """Tie the ingredients of the events' manifests to the assets and captures they can be tied to."""
    ingredients: dict[tuple[str, int], dict[str, Any]] = {}
    probes: list[dict[str, Any]] = []
    for event in events:
        credentials = event.input.get("contentCredentials") or {}
        if credentials.get("validationState") in (None, "NONE") or not credentials.get("ingredients"):
            continue
        for index, ingredient in enumerate(credentials["ingredients"]):
            ingredients[(event.key, index)] = ingredient
        probes.extend(_probes(event.key, credentials["ingredients"]))
    if not probes:
        return
    ties: dict[tuple[str, int, str], tuple[str, int | None]] = {}
    for row in await run(tx, _CANDIDATES, probes=probes):
        owner, index, by = row["ownerId"], row["index"], row["by"]
        found: int | None = None
        if by == "thumbnailPhash":
            if row["phash"] is None:
                continue
            found = distance(ingredients[(owner, index)]["thumbnailPhash"], row["phash"])
            if found > INGREDIENT_DISTANCE:
                continue
        key = (owner, index, row["id"])
        if key not in ties or _PRIORITY[by] < _PRIORITY[ties[key][0]]:
            ties[key] = (by, found)
    links = []
    for (owner, index, node_id), (by, found) in sorted(ties.items()):
        ingredient = ingredients[(owner, index)]
        props: dict[str, Any] = {
            "index": index,
            "title": ingredient.get("title"),
            "relationship": ingredient.get("relationship"),
            "sha256": ingredient.get("dataSha256"),
            "matchedBy": by,
            "distance": found,
        }
        links.append({"ownerId": owner, "id": node_id, "props": props})
    if links:
        await run(tx, _LINK, links=links)


_CREDENTIALS: LiteralString = """
    UNWIND $ids AS id
    MATCH (n:Entity {id: id})-[:HAS_MANIFEST]->(m:Manifest)
    RETURN id, n.input AS input,
           COLLECT { MATCH (m)-[r:INGREDIENT]->(x)
                     RETURN [r.index, x.id, CASE WHEN x:Asset THEN 'ASSET' ELSE 'CAPTURE' END, r.matchedBy,
                             r.distance] } AS links
"""


async def credentials_of(graph: Graph, ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each asset or sighting recorded with a manifest: its Content Credentials as recorded (the
    event's `contentCredentials`), each ingredient with the ids of the nodes it is tied to (`links`:
    [nodeId, 'ASSET' or 'CAPTURE', matchedBy, distance])."""
    found: dict[str, dict[str, Any]] = {}
    for row in await graph.query(_CREDENTIALS, ids=ids):
        credentials = dict(orjson.loads(row["input"])["contentCredentials"])
        ingredients = [dict(ingredient, links=[]) for ingredient in credentials.get("ingredients", [])]
        for index, node_id, kind, by, found_distance in sorted(row["links"], key=lambda link: link[:2]):
            if 0 <= index < len(ingredients):
                ingredients[index]["links"].append([node_id, kind, by, found_distance])
        credentials["ingredients"] = ingredients
        found[row["id"]] = credentials
    return found
