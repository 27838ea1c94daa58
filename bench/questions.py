"""The questions asked of both the API (GraphQL over HTTP) and hand-written Cypher (same driver),
with the inputs each is asked about and a check that both give the same answer.

Every raw query is the best single Cypher statement found for the answer: one round trip, one row,
indexes checked with PROFILE, instants as text. The raw side reads the stored verdict spans, which
the write path keeps equal to the rules' answer as of any instant (tests/api/test_incremental.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

import orjson

from bench.world import PLANTED_AS_OF
from likeness.graph.driver import Graph

AS_OF = PLANTED_AS_OF
AS_OF_TEXT = AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ")
AUDIT_PAGE = 100
USAGE_PAGE = 50
SIMILAR_DISTANCE = 8
SIMILAR_FIRST = 50
BIG_PAGE = 10_000

# ---- GraphQL documents (what a client sends) -------------------------------------------------------

PROVENANCE_GQL = """
query Provenance($id: ID!, $asOf: DateTime) {
  provenance(assetId: $id, asOf: $asOf) {
    asset { id publishedAt channel territories }
    twins { id version } captures { id kind } persons { id name } vendors { id name }
    publisher { id name } campaign { id name } consents { id purpose validUntil revokedAt }
    verdicts { code liable { partyId role } failedClauses evidence explanation }
    permitted
  }
}"""

AUDIT_GQL = """
query Audit($asOf: DateTime, $first: Int!) {
  audit(asOf: $asOf, first: $first) {
    totalCount
    countsByCode { code count }
    edges { cursor node { code subjectId liable { partyId role } explanation } }
    pageInfo { hasNextPage endCursor }
  }
}"""

USAGE_GQL = """
query Usage($person: ID!, $asOf: DateTime, $first: Int!) {
  likenessUsage(personId: $person, asOf: $asOf, first: $first) {
    totalCount
    edges { cursor node { id publishedAt channel publisher { id name } } verdicts { code explanation } }
    pageInfo { hasNextPage endCursor }
  }
}"""

SIMILAR_GQL = """
query Similar($phash: String!, $maxDistance: Int!, $first: Int!) {
  similarAssets(phash: $phash, maxDistance: $maxDistance, first: $first) { distance asset { id publishedAt } }
}"""

# five fields a verdict, as the serialization target reads
BIG_PAGE_GQL = """
query Verdicts($asOf: DateTime, $first: Int!) {
  audit(asOf: $asOf, first: $first) {
    edges { node { code subjectId failedClauses explanation liable { partyId role } } }
  }
}"""

# ---- hand-written Cypher (the reference) -----------------------------------------------------------

# Instants travel as ISO text (toString): the driver's conversion of each temporal costs ~0.2 ms on
# this machine, and the answer a client wants is the text anyway. Each answer is one row.
PROVENANCE_CYPHER: LiteralString = """
    MATCH (a:Entity {id: $id}) WHERE a:Asset AND a.publishedAt <= $asOf
    RETURN a {.id, publishedAt: toString(a.publishedAt), .channel, .territories} AS asset,
      COLLECT { MATCH (a)-[:RENDERS]->(t:Twin) RETURN t {.id, .version} } AS twins,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:TRAINED_ON]->(c:Capture)
                RETURN DISTINCT c {.id, .kind} } AS captures,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(p:Person)
                RETURN DISTINCT p {.id, .name} } AS persons,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)-[:BUILT_BY]->(v) RETURN DISTINCT v {.id, .name} } AS vendors,
      COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN o {.id, .name} } AS publisher,
      COLLECT { MATCH (a)-[:IN_CAMPAIGN]->(c:Campaign) RETURN c {.id, .name} } AS campaign,
      COLLECT { MATCH (a)-[:RENDERS]->(:Twin)<-[:COVERS]-(k:Consent)
                RETURN DISTINCT k {.id, .purpose, validUntil: toString(k.validUntil),
                                   revokedAt: toString(k.revokedAt)}
              } AS consents,
      COLLECT { MATCH (v:Verdict {subjectId: a.id}) WHERE v.start <= $asOf AND v.end > $asOf
                RETURN v {.code, .liable, .failedClauses, .evidence, .explanation, .vkey} } AS verdicts
"""

# the page walks the (occurredAt, vkey) index in order and stops at $limit; the counts read only the
# (end, start, code, occurredAt) index (likeness.graph.migrations), never a verdict node
AUDIT_CYPHER: LiteralString = """
    CALL () {
      MATCH (v:Verdict) USING INDEX v:Verdict(occurredAt, vkey)
      WHERE v.occurredAt >= $from AND v.vkey IS NOT NULL AND v.start <= $asOf AND v.end > $asOf
      WITH v ORDER BY v.occurredAt, v.vkey LIMIT $limit
      RETURN collect(v {.code, .subjectId, .liable, .explanation, .vkey,
                        occurredAt: toString(v.occurredAt)}) AS page
    }
    CALL () {
      MATCH (v:Verdict) USING INDEX v:Verdict(end, start, code, occurredAt)
      WHERE v.end > $asOf AND v.start <= $asOf AND v.code IS NOT NULL AND v.occurredAt >= $from
      WITH v.code AS code, count(*) AS count ORDER BY code
      RETURN collect([code, count]) AS counts
    }
    RETURN page, counts
"""

USAGE_CYPHER: LiteralString = """
    MATCH (:Entity {id: $person})<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset)
    WHERE a.publishedAt <= $asOf
    WITH collect(DISTINCT a) AS uses
    CALL (uses) {
      UNWIND uses AS a
      WITH a ORDER BY a.publishedAt, a.id LIMIT $limit
      RETURN collect({
        asset: a {.id, publishedAt: toString(a.publishedAt), .channel},
        publisher: COLLECT { MATCH (a)-[:PUBLISHED_BY]->(o) RETURN o {.id, .name} },
        verdicts: COLLECT { MATCH (v:Verdict {subjectId: a.id}) WHERE v.start <= $asOf AND v.end > $asOf
                            RETURN v {.code, .explanation, .vkey} }
      }) AS page
    }
    RETURN size(uses) AS total, page
"""

# distance ≤ 8: the wide bands (likeness.graph.phash.WIDE), radius 2 each
SIMILAR_CYPHER: LiteralString = """
    CALL () {
      MATCH (a:Asset) WHERE a.phashW0 IN $b0 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashW1 IN $b1 RETURN a
      UNION
      MATCH (a:Asset) WHERE a.phashW2 IN $b2 RETURN a
    }
    RETURN collect([a.id, a.phash, toString(a.publishedAt)]) AS candidates
"""

BIG_PAGE_CYPHER: LiteralString = """
    MATCH (v:Verdict) USING INDEX v:Verdict(occurredAt, vkey)
    WHERE v.occurredAt >= $from AND v.vkey IS NOT NULL AND v.start <= $asOf AND v.end > $asOf
    WITH v ORDER BY v.occurredAt, v.vkey LIMIT $limit
    RETURN collect(v {.code, .subjectId, .failedClauses, .explanation, .liable}) AS page
"""

FAR_PAST = datetime(1900, 1, 1, tzinfo=AS_OF.tzinfo)

# ---- inputs --------------------------------------------------------------------------------------


@dataclass
class Inputs:
    asset_ids: list[str]
    star_person: str
    star_uses: int
    phashes: list[str]
    big_page_as_of: datetime
    big_page_size: int


async def choose_inputs(graph: Graph, *, seed: int, count: int) -> Inputs:
    """Random assets and near-duplicate probes (seeded), the person with the most uses, and the
    instant at which the most verdicts hold (for the big page)."""
    rng = random.Random(seed)
    # one row: a million records one by one cost the driver far more than one list
    rows = (await graph.query("MATCH (a:Asset) RETURN collect([a.id, a.phash]) AS assets"))[0]["assets"]
    picked = [dict(zip(("id", "phash"), rows[rng.randrange(len(rows))], strict=True)) for _ in range(count)]
    phashes = []
    for row in picked:
        value = int(row["phash"], 16)
        for bit in rng.sample(range(64), rng.randint(0, SIMILAR_DISTANCE)):
            value ^= 1 << bit
        phashes.append(f"{value:016x}")
    star = (
        await graph.query(
            "MATCH (p:Person)<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset) "
            "RETURN p.id AS id, count(DISTINCT a) AS uses ORDER BY uses DESC, id LIMIT 1"
        )
    )[0]
    best_at, best = AS_OF, -1
    for month in range(0, 25, 2):
        instant = datetime(2025 + month // 12, month % 12 + 1, 1, tzinfo=AS_OF.tzinfo)
        held = (
            await graph.query(
                "MATCH (v:Verdict) WHERE v.start <= $t AND v.end > $t RETURN count(v) AS n", t=instant
            )
        )[0]["n"]
        if held > best:
            best_at, best = instant, held
    return Inputs(
        asset_ids=[row["id"] for row in picked],
        star_person=star["id"],
        star_uses=star["uses"],
        phashes=phashes,
        big_page_as_of=best_at,
        big_page_size=min(best, BIG_PAGE),
    )


# ---- raw answers, shaped like the API's ----------------------------------------------------------


def _liable(text: str) -> list[tuple[str, str]]:
    return [(party, role) for party, role in orjson.loads(text)]


def _vkey_order(verdicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored verdicts in the order the rules give them (the index closing each vkey)."""
    return sorted(verdicts, key=lambda v: int(v["vkey"].rsplit("|", 1)[1]))


async def raw_provenance(graph: Graph, asset_id: str) -> dict[str, Any] | None:
    rows = await graph.query(PROVENANCE_CYPHER, id=asset_id, asOf=AS_OF)
    if not rows:
        return None
    row = rows[0]
    verdicts = _vkey_order(row["verdicts"])
    return {
        "asset": row["asset"]["id"],
        **{
            part: _ids(row[part])
            for part in ("twins", "captures", "persons", "vendors", "publisher", "campaign", "consents")
        },
        "verdicts": sorted((v["code"], tuple(_liable(v["liable"])), tuple(v["evidence"])) for v in verdicts),
        "permitted": not verdicts,
    }


def _ids(value: Any) -> list[str]:
    """The ids of a node field's answer: one node, a list of them, or null."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value["id"]]
    return sorted(node["id"] for node in value)


def api_provenance(data: dict[str, Any]) -> dict[str, Any] | None:
    found = data["provenance"]
    if found is None:
        return None
    return {
        "asset": found["asset"]["id"],
        **{
            part: _ids(found[part])
            for part in ("twins", "captures", "persons", "vendors", "publisher", "campaign", "consents")
        },
        "verdicts": sorted(
            (v["code"], tuple((p["partyId"], p["role"]) for p in v["liable"]), tuple(v["evidence"]))
            for v in found["verdicts"]
        ),
        "permitted": found["permitted"],
    }


async def raw_audit(graph: Graph, limit: int = AUDIT_PAGE) -> dict[str, Any]:
    row = (await graph.query(AUDIT_CYPHER, asOf=AS_OF, limit=limit + 1, **{"from": FAR_PAST}))[0]
    counts = {code: count for code, count in row["counts"]}
    return {
        "total": sum(counts.values()),
        "counts": counts,
        "page": [(v["subjectId"], v["code"]) for v in row["page"][:limit]],
        "more": len(row["page"]) > limit,
    }


def api_audit(data: dict[str, Any]) -> dict[str, Any]:
    found = data["audit"]
    return {
        "total": found["totalCount"],
        "counts": {c["code"]: c["count"] for c in found["countsByCode"]},
        "page": [(e["node"]["subjectId"], e["node"]["code"]) for e in found["edges"]],
        "more": found["pageInfo"]["hasNextPage"],
    }


async def raw_usage(graph: Graph, person: str, limit: int = USAGE_PAGE) -> dict[str, Any]:
    row = (await graph.query(USAGE_CYPHER, person=person, asOf=AS_OF, limit=limit + 1))[0]
    return {
        "total": row["total"],
        "page": [
            (use["asset"]["id"], tuple(sorted(v["code"] for v in use["verdicts"])))
            for use in row["page"][:limit]
        ],
        "more": len(row["page"]) > limit,
    }


def api_usage(data: dict[str, Any]) -> dict[str, Any]:
    found = data["likenessUsage"]
    return {
        "total": found["totalCount"],
        "page": [(e["node"]["id"], tuple(sorted(v["code"] for v in e["verdicts"]))) for e in found["edges"]],
        "more": found["pageInfo"]["hasNextPage"],
    }


def _band_values(phash: str) -> list[list[int]]:
    from likeness.graph.phash import WIDE

    return WIDE.candidates(phash, SIMILAR_DISTANCE)


async def raw_similar(graph: Graph, phash: str) -> list[tuple[int, str]]:
    b0, b1, b2 = _band_values(phash)
    target = int(phash, 16)
    row = (await graph.query(SIMILAR_CYPHER, b0=b0, b1=b1, b2=b2))[0]
    found = sorted(
        (distance, asset_id)
        for asset_id, candidate, _ in row["candidates"]
        if (distance := (int(candidate, 16) ^ target).bit_count()) <= SIMILAR_DISTANCE
    )
    return found[:SIMILAR_FIRST]


def api_similar(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(item["distance"], item["asset"]["id"]) for item in data["similarAssets"]]


async def raw_big_page(graph: Graph, as_of: datetime, limit: int) -> int:
    row = (await graph.query(BIG_PAGE_CYPHER, asOf=as_of, limit=limit, **{"from": FAR_PAST}))[0]
    # shaped as the API shapes it: the liable pairs decoded
    return len([{**verdict, "liable": _liable(verdict["liable"])} for verdict in row["page"]])
