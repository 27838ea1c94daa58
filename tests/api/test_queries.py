"""Queries through the public API on the demo world: provenance, usage pages, near-duplicates, N+1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from likeness.execution.build import schema
from tests.factories import asset, base_world, send

AS_OF = "2026-07-01T00:00:00Z"


def test_schema_graphql_is_up_to_date() -> None:
    committed = (Path(__file__).parents[2] / "schema.graphql").read_text()
    assert committed == schema.as_str() + "\n", "schema.graphql is stale: run `likeness schema`"


async def test_provenance_returns_the_full_chain(api: Any, demo: Any) -> None:
    data = await api(
        """query($asOf: DateTime) { provenance(assetId: "asset-maren-liv-knockoff", asOf: $asOf) {
        asset { id } twins { id } captures { id } persons { id } vendors { id } publisher { id }
        campaign { id } verdicts { code liable { partyId role } evidence } permitted } }""",
        {"asOf": AS_OF},
    )
    p = data["provenance"]
    assert p["asset"]["id"] == "asset-maren-liv-knockoff"
    assert [t["id"] for t in p["twins"]] == ["twin-liv-deepfold"]
    assert p["persons"] == [{"id": "person-liv-aberg"}]
    assert p["vendors"] == [{"id": "vendor-deepfold"}]
    assert p["publisher"] == {"id": "brand-maren"}
    assert p["captures"] and p["campaign"]
    codes = {v["code"] for v in p["verdicts"]}
    assert codes == {"NO_CONSENT", "TAINTED_TWIN"}
    assert p["permitted"] is False


async def test_provenance_by_sha256_and_before_publication(api: Any, demo: Any) -> None:
    sha = (await demo.query("MATCH (a:Asset {id: 'asset-ss25-liv-feed'}) RETURN a.sha256 AS s"))[0]["s"]
    data = await api("query($s: String) { provenance(sha256: $s) { asset { id } permitted } }", {"s": sha})
    assert data["provenance"]["asset"]["id"] == "asset-ss25-liv-feed"
    early = await api(
        """{ provenance(assetId: "asset-ss25-liv-feed", asOf: "2020-01-01T00:00:00Z") { permitted } }"""
    )
    assert early["provenance"] is None


async def test_likeness_usage_pages_through_every_use(api: Any, demo: Any) -> None:
    query = """query($after: String) { likenessUsage(personId: "person-liv-aberg", first: 3, after: $after,
               asOf: "2026-07-01T00:00:00Z") {
               totalCount edges { cursor node { id publishedAt } verdicts { code } }
               pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api(query, {"after": after}))["likenessUsage"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = await demo.query(
        "MATCH (:Person {id: 'person-liv-aberg'})<-[:REPLICA_OF]-()<-[:RENDERS]-(a:Asset) "
        "WHERE a.publishedAt <= datetime('2026-07-01T00:00:00Z') "
        "WITH DISTINCT a ORDER BY a.publishedAt, a.id RETURN a.id AS id"
    )
    assert seen == [row["id"] for row in expected]
    assert page["totalCount"] == len(seen) > 3


async def test_similar_assets_finds_near_duplicates_nearest_first(api: Any, graph: Any) -> None:
    await base_world(api)
    await send(api, "publishAsset", asset("asset-a", 1, phash="ffff000000000000"))
    await send(api, "publishAsset", asset("asset-b", 2, phash="ffff000000000003"))
    await send(api, "publishAsset", asset("asset-c", 3, phash="ffff0000000001ff"))
    await send(api, "publishAsset", asset("asset-d", 4, phash="0000ffff00000000"))
    data = await api('{ similarAssets(phash: "ffff000000000001", maxDistance: 8) { distance asset { id } } }')
    assert data["similarAssets"] == [
        {"distance": 1, "asset": {"id": "asset-a"}},
        {"distance": 1, "asset": {"id": "asset-b"}},
        {"distance": 8, "asset": {"id": "asset-c"}},
    ]


async def test_nested_queries_cost_the_same_round_trips_whatever_the_list_sizes(api: Any, graph: Any) -> None:
    await base_world(api)
    query = """{ organization(id: "brand-nordhem") { assets(first: 30) { nodes { id twins { id person {
               id consents(first: 5) { nodes { id twins { id } } } }
               captures(first: 5) { nodes { id persons { id } } } } publisher { id } } } } }"""

    async def trips_for(count: int) -> int:
        for n in range(count):
            await send(api, "publishAsset", asset(f"asset-{count}-{n}", 1000 * count + n))
        graph.round_trips = 0
        data = await api(query)
        assert len(data["organization"]["assets"]["nodes"]) >= count
        return int(graph.round_trips)

    small = await trips_for(2)
    large = await trips_for(25)
    assert small == large
