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
within INGREDIENT_DISTANCE of an asset's or capture's phash ('thumbnailPhash'). Ties are made whichever
is recorded first, the manifest or the asset or capture, so an import in any batches makes the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

import orjson
from neo4j import AsyncManagedTransaction

from likeness.events.contract import Event
from likeness.graph.driver import Graph, run
from likeness.graph.phash import WIDE, distance
from likeness.graph.visibility import Scope, scoped

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
    RETURN probe.ownerId AS ownerId, probe.index AS index, x.id AS id, x.phash AS phash, by,
           CASE WHEN x:Asset THEN 'ASSET' ELSE 'CAPTURE' END AS kind
"""

# the manifests recorded before, with ingredients to tie to what a batch adds
_EARLIER_MANIFESTS: LiteralString = """
    MATCH (owner:Entity)-[:HAS_MANIFEST]->(m:Manifest)
    WHERE m.ingredientCount > 0 AND NOT owner.id IN $exclude
    RETURN owner.id AS id, owner.input AS input
"""

_LINK: LiteralString = """
    UNWIND $links AS link
    MATCH (:Entity {id: link.ownerId})-[:HAS_MANIFEST]->(m:Manifest), (x:Entity {id: link.id})
    CREATE (m)-[r:INGREDIENT]->(x)
    SET r += link.props
"""

# (owner id, ingredient index, node id) -> (kind, matchedBy, distance)
Ties = dict[tuple[str, int, str], tuple[str, str, int | None]]


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


def _keep(ties: Ties, key: tuple[str, int, str], kind: str, by: str, found: int | None) -> None:
    """Keep the strongest tie of one ingredient to one node."""
    if key not in ties or _PRIORITY[by] < _PRIORITY[ties[key][1]]:
        ties[key] = (kind, by, found)


def _ingredients_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    credentials = data.get("contentCredentials") or {}
    if credentials.get("validationState") in (None, "NONE"):
        return []
    return list(credentials.get("ingredients") or [])


async def ingredient_ties(tx: AsyncManagedTransaction, owners: dict[str, list[dict[str, Any]]]) -> Ties:
    """The assets and captures the graph holds that each owner's ingredients tie to (never the owner)."""
    probes = [probe for owner, ingredients in owners.items() for probe in _probes(owner, ingredients)]
    ties: Ties = {}
    if not probes:
        return ties
    for row in await run(tx, _CANDIDATES, probes=probes):
        owner, index, by = row["ownerId"], row["index"], row["by"]
        found: int | None = None
        if by == "thumbnailPhash":
            if row["phash"] is None:
                continue
            found = distance(owners[owner][index]["thumbnailPhash"], row["phash"])
            if found > INGREDIENT_DISTANCE:
                continue
        _keep(ties, (owner, index, row["id"]), row["kind"], by, found)
    return ties


def _ties_to_new(owners: dict[str, list[dict[str, Any]]], items: list[dict[str, Any]]) -> Ties:
    """The ties of earlier manifests' ingredients to the assets and captures a batch adds."""
    ties: Ties = {}
    for owner, ingredients in owners.items():
        for index, ingredient in enumerate(ingredients):
            for item in items:
                key = (owner, index, item["id"])
                if ingredient.get("dataSha256") and ingredient["dataSha256"] == item["sha256"]:
                    _keep(ties, key, item["kind"], "dataSha256", None)
                label = ingredient.get("activeManifest")
                if label and label == item.get("manifestLabel"):
                    _keep(ties, key, item["kind"], "activeManifest", None)
                thumbnail = ingredient.get("thumbnailPhash")
                if thumbnail and item.get("phash"):
                    found = distance(thumbnail, item["phash"])
                    if found <= INGREDIENT_DISTANCE:
                        _keep(ties, key, item["kind"], "thumbnailPhash", found)
    return ties


async def link_ingredients(tx: AsyncManagedTransaction, events: Sequence[Event]) -> None:
    """Tie ingredients to known assets and captures, whichever was recorded first: the ingredients of the
    batch's manifests to everything the graph holds once the batch is written, and the ingredients of
    earlier manifests to the assets and captures the batch adds."""
    owners = {
        event.key: _ingredients_of(event.input)
        for event in events
        if {"Asset", "Sighting"} & set(event.labels) and _ingredients_of(event.input)
    }
    ties = await ingredient_ties(tx, owners)
    items = [
        {
            "id": event.key,
            "kind": "ASSET" if "Asset" in event.labels else "CAPTURE",
            "sha256": event.input["sha256"],
            "phash": event.input.get("phash"),
            "manifestLabel": (event.input.get("contentCredentials") or {}).get("manifestLabel"),
        }
        for event in events
        if {"Asset", "Capture"} & set(event.labels)
    ]
    earlier: dict[str, list[dict[str, Any]]] = {}
    if items:
        earlier = {
            row["id"]: _ingredients_of(orjson.loads(row["input"]))
            for row in await run(tx, _EARLIER_MANIFESTS, exclude=sorted(owners))
        }
        ties.update(_ties_to_new(earlier, items))
    links = []
    for (owner, index, node_id), (_, by, found) in sorted(ties.items()):
        ingredient = owners[owner][index] if owner in owners else earlier[owner][index]
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


def carries_no_manifest(credentials: dict[str, Any] | None) -> bool:
    """Whether recorded credentials say the file carries no manifest at all: NONE, and not even the
    address of one kept elsewhere (None, a format the C2PA SDK does not read, says nothing either way)."""
    return (
        credentials is not None
        and credentials["validationState"] == "NONE"
        and not credentials.get("remoteManifestUrl")
    )


@dataclass(frozen=True)
class LostManifest:
    """A manifest a matched asset was recorded with that the sighting's file no longer carries."""

    asset_id: str
    signer: str | None
    signer_organization: str | None
    trusted: bool


# sightings without a manifest of their own that match assets recorded with a VALID one; whether the
# sighting's file carried none (rather than no file being sent) is in its input
_LOST_MANIFESTS = scoped("""
    UNWIND $ids AS id
    MATCH (s:Entity {id: id})-[:MATCHES]->(a:Asset)-[:HAS_MANIFEST]->(m:Manifest)
    WHERE s:Sighting AND m.validationState = 'VALID' AND NOT (s)-[:HAS_MANIFEST]->(:Manifest)
      AND VISIBLE(a:Asset)
    WITH id, s.input AS input, a, m ORDER BY a.id
    RETURN id, input,
           collect([a.id, m.signer, m.signerOrganization, coalesce(m.trusted, false)]) AS assets
""")


async def lost_manifests(
    graph: Graph, ids: list[str], *, scope: Scope | None
) -> dict[str, list[LostManifest]]:
    """For each of these sightings reported with a file that carries no manifest, the assets it matches
    (those the scope sees) that were recorded with a VALID manifest, by asset id: the credentials the
    sighting's copy lost downstream (docs/credentials.md, Stripped copies)."""
    cypher, viewer = _LOST_MANIFESTS.for_scope(scope)
    found: dict[str, list[LostManifest]] = {}
    for row in await graph.query(cypher, ids=ids, **viewer):
        if carries_no_manifest(orjson.loads(row["input"]).get("contentCredentials")):
            found[row["id"]] = [LostManifest(*asset) for asset in row["assets"]]
    return found
