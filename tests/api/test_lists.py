"""The node types' lists are connections: paged with first/after, counted, ordered and filtered, read one
statement per level of the selection whatever the number of parents, only what the caller may see."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, parse

from likeness.access import keys
from likeness.execution.build import schema
from likeness.execution.cost import PAGE_LISTS, estimated_cost
from likeness.graph.lists import PageRequest, neighbour_pages
from likeness.graph.projection import DATES, INSTANTS
from tests.factories import asset, base_world, org, send

# (id, publishedAt, channel, territories, in the spring campaign)
NORDHEM = [
    ("asset-n1", "2025-03-01T12:00:00Z", "INSTAGRAM", ["SE"], False),
    ("asset-n2", "2025-03-02T12:00:00Z", "WEB", ["US"], False),
    ("asset-n4", "2025-03-03T12:00:00Z", "TIKTOK", ["SE"], False),
    ("asset-n3", "2025-03-03T12:00:00Z", "INSTAGRAM", ["SE", "US"], False),  # the same instant: by id
    ("asset-n5", "2025-04-01T12:00:00Z", "INSTAGRAM", ["US"], True),
    ("asset-n6", "2025-05-01T12:00:00Z", "WEB", ["SE"], True),
    ("asset-n7", "2025-06-01T12:00:00Z", "TIKTOK", ["US"], False),
]
OTHER = ["asset-o1", "asset-o2", "asset-o3"]
PAGE = """query($id: ID!, $first: Int!, $after: String, $order: AssetOrder, $filter: AssetFilter) {
  organization(id: $id) { assets(first: $first, after: $after, orderBy: $order, filter: $filter) {
    totalCount edges { cursor node { id publishedAt } } pageInfo { hasNextPage endCursor }
    nodes { id } } } }"""


async def lists_world(api: Any) -> None:
    """Nordhem's seven assets (two in its spring campaign), and another brand's three rendering the same
    twin, with no consent of its own."""
    await base_world(api)
    await send(api, "registerOrganization", org("brand-other", "BRAND"))
    await send(api, "createCampaign", {"id": "campaign-spring", "brandId": "brand-nordhem", "name": "Spring"})
    for n, (aid, at, channel, territories, spring) in enumerate(NORDHEM):
        extra = {"campaignId": "campaign-spring"} if spring else {}
        await send(
            api,
            "publishAsset",
            asset(aid, 200 + n, publishedAt=at, channel=channel, territories=territories, **extra),
        )
    for n, aid in enumerate(OTHER):
        await send(
            api,
            "publishAsset",
            asset(aid, 300 + n, publisherId="brand-other", publishedAt="2025-03-05T00:00:00Z"),
        )


def in_order(descending: bool = False, by_id: bool = False) -> list[str]:
    rows = sorted(NORDHEM, key=lambda row: (row[0],) if by_id else (row[1], row[0]), reverse=descending)
    return [row[0] for row in rows]


async def all_pages(api: Any, size: int, **args: Any) -> list[str]:
    """Every page of Nordhem's assets, `size` at a time; checks the count and cursors on each."""
    seen: list[str] = []
    after = None
    while True:
        found = await api(PAGE, {"id": "brand-nordhem", "first": size, "after": after, **args})
        page = found["organization"]["assets"]
        assert page["totalCount"] == len(NORDHEM) if "filter" not in args else True
        assert [edge["node"]["id"] for edge in page["edges"]] == [node["id"] for node in page["nodes"]]
        assert page["pageInfo"]["endCursor"] == (page["edges"][-1]["cursor"] if page["edges"] else None)
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


async def test_paging_gives_every_asset_once_in_each_order(api: Any) -> None:
    await lists_world(api)
    assert await all_pages(api, 3) == in_order()
    assert await all_pages(api, 2, order={"field": "PUBLISHED_AT", "direction": "DESC"}) == in_order(True)
    assert await all_pages(api, 4, order={"field": "ID"}) == in_order(by_id=True)
    assert await all_pages(api, 3, order={"field": "ID", "direction": "DESC"}) == in_order(True, by_id=True)
    assert await all_pages(api, 100) == in_order()


async def test_a_page_of_nodes_alone_pages_by_its_end_cursor_like_one_with_edges(api: Any) -> None:
    """Without edges a page encodes no cursor of its own (resolvers.lists.ListRow), but its end cursor
    still continues it, and its nodes are those a page with edges gives."""
    await lists_world(api)
    nodes_only = """query($id: ID!, $first: Int!, $after: String) {
      organization(id: $id) { assets(first: $first, after: $after) {
        nodes { id publishedAt } pageInfo { hasNextPage endCursor } } } }"""
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        found = await api(nodes_only, {"id": "brand-nordhem", "first": 2, "after": after})
        page = found["organization"]["assets"]
        with_edges = await api(PAGE, {"id": "brand-nordhem", "first": 2, "after": after})
        assert page["nodes"] == [edge["node"] for edge in with_edges["organization"]["assets"]["edges"]]
        assert page["pageInfo"] == with_edges["organization"]["assets"]["pageInfo"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [node["id"] for node in seen] == in_order()


async def test_each_asset_filter_keeps_exactly_what_it_names(api: Any) -> None:
    await lists_world(api)

    async def kept(flt: dict[str, Any]) -> list[str]:
        page = (await api(PAGE, {"id": "brand-nordhem", "first": 50, "filter": flt}))["organization"][
            "assets"
        ]
        assert page["totalCount"] == len(page["nodes"])
        return [node["id"] for node in page["nodes"]]

    def expect(keep: Any) -> list[str]:
        return [row[0] for row in sorted(NORDHEM, key=lambda row: (row[1], row[0])) if keep(row)]

    assert await kept({"channels": ["TIKTOK", "WEB"]}) == expect(lambda r: r[2] in ("TIKTOK", "WEB"))
    assert await kept({"territory": "US"}) == expect(lambda r: "US" in r[3])
    assert await kept({"campaignId": "campaign-spring"}) == expect(lambda r: r[4])
    window = {"publishedFrom": "2025-03-03T12:00:00Z", "publishedBefore": "2025-05-01T12:00:00Z"}
    assert await kept(window) == expect(lambda r: "2025-03-03T12" <= r[1] < "2025-05-01T12")
    both = {"channels": ["INSTAGRAM"], "territory": "US"}
    assert await kept(both) == expect(lambda r: r[2] == "INSTAGRAM" and "US" in r[3])
    # the verdict filter keeps the assets with a verdict of that code holding now
    codes: dict[str, set[str]] = {}
    for aid, *_ in NORDHEM:
        found = await api("query($id: ID!) { provenance(assetId: $id) { verdicts { code } } }", {"id": aid})
        codes[aid] = {verdict["code"] for verdict in found["provenance"]["verdicts"]}
    some = sorted({code for held in codes.values() for code in held})
    assert some, codes
    for code in some:
        assert await kept({"verdictCodes": [code]}) == expect(lambda r, c=code: c in codes[r[0]])
    assert len({tuple(await kept({"verdictCodes": [code]})) for code in some}) >= 1


async def test_bad_arguments_are_refused_naming_the_argument(api: Any) -> None:
    await lists_world(api)

    async def refused(variables: dict[str, Any]) -> tuple[str, str]:
        (error,) = await api.errors(PAGE, {"id": "brand-nordhem", "first": 2, **variables})
        return error["extensions"]["code"], error["extensions"]["field"]

    assert await refused({"first": 0}) == ("BAD_INPUT", "first")
    assert await refused({"first": 10_001}) == ("BAD_INPUT", "first")
    assert await refused({"after": "not a cursor"}) == ("BAD_INPUT", "after")
    by_id = await api(PAGE, {"id": "brand-nordhem", "first": 2, "order": {"field": "ID"}})
    cursor = by_id["organization"]["assets"]["pageInfo"]["endCursor"]
    assert await refused({"after": cursor}) == ("BAD_INPUT", "after")  # a cursor of another order
    assert await refused({"filter": {"verdictCodes": ["NOT_A_CODE"]}}) == ("BAD_INPUT", "filter.verdictCodes")
    backwards = {"publishedFrom": "2025-05-01T00:00:00Z", "publishedBefore": "2025-04-01T00:00:00Z"}
    assert await refused({"filter": backwards}) == ("BAD_INPUT", "filter.publishedBefore")
    (error,) = await api.errors('{ person(id: "person-ada") { consents(first: -1) { totalCount } } }')
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "first")


async def test_a_brand_sees_only_its_own_assets_through_a_shared_twin(api: Any, graph: Any) -> None:
    await lists_world(api)
    query = """query($id: ID!) { twin(id: $id) { assets(first: 50) { totalCount nodes { id } } } }"""
    for brand, own in [("brand-other", OTHER), ("brand-nordhem", in_order())]:
        token = (await keys.create(graph, role="BRAND", party_id=brand, label=brand)).secret
        found = await api(query, {"id": "twin-ada-1"}, token=token)
        assert found["twin"]["assets"] == {"totalCount": len(own), "nodes": [{"id": aid} for aid in own]}
    # the campaign is Nordhem's alone: the other brand does not see it, nor its assets
    token = (await keys.create(graph, role="BRAND", party_id="brand-other", label="other")).secret
    found = await api('{ campaign(id: "campaign-spring") { assets { totalCount } } }', token=token)
    assert found["campaign"] is None
    assert (await api('{ campaign(id: "campaign-spring") { assets { totalCount } } }'))["campaign"] == {
        "assets": {"totalCount": 2}
    }


async def test_a_nested_list_costs_one_statement_per_level_whatever_the_parents(api: Any, graph: Any) -> None:
    await lists_world(api)
    query = """{ organization(id: "brand-nordhem") { campaigns { totalCount nodes { id
                 assets(first: 3, orderBy: {direction: DESC}) { totalCount nodes { id channel } } } } } }"""

    async def statements(campaigns: int) -> tuple[int, dict[str, Any]]:
        for n in range(campaigns):
            await send(
                api, "createCampaign", {"id": f"campaign-{n}", "brandId": "brand-nordhem", "name": f"C{n}"}
            )
        graph.round_trips = 0
        found = await api(query)
        return graph.round_trips, found["organization"]["campaigns"]

    few, first = await statements(0)
    many, second = await statements(6)
    # the organization, its campaigns, all the campaigns' assets: three, for one campaign or seven
    assert few == many == 3
    assert first["totalCount"] == 1 and second["totalCount"] == 7
    spring = next(node for node in second["nodes"] if node["id"] == "campaign-spring")
    assert spring["assets"] == {
        "totalCount": 2,
        "nodes": [{"id": "asset-n6", "channel": "WEB"}, {"id": "asset-n5", "channel": "INSTAGRAM"}],
    }
    assert all(node["assets"]["totalCount"] == 0 for node in second["nodes"] if node is not spring)


async def test_a_page_reads_only_the_properties_asked_and_answers_them_like_a_lookup(
    api: Any, graph: Any
) -> None:
    await lists_world(api)
    request = PageRequest(
        relation="organization.assets",
        order="publishedAt",
        descending=False,
        limit=2,
        props=("id", "channel"),
    )
    found = await neighbour_pages(graph, request, ["brand-nordhem", "brand-other"], scope=None)
    assert {key for page in found.values() for row in page.rows for key in row} == {
        "id",
        "channel",
        "_labels",
    }
    assert [row["id"] for row in found["brand-nordhem"].rows] == in_order()[:2]
    assert (found["brand-nordhem"].total, found["brand-other"].total) == (7, 3)
    # every field of a node read through a list equals the same field read by a lookup (what resolvers
    # need beyond their own field's property included)
    fields = """id sha256 phash mediaType channel territories publishedAt withdrawnAt aiLabel
                machineReadableMark declaredMachineReadableMark contentTags recordedAt"""
    listed = await api(f'{{ organization(id: "brand-nordhem") {{ assets {{ nodes {{ {fields} }} }} }} }}')
    for node in listed["organization"]["assets"]["nodes"]:
        alone = await api(f"query($id: ID!) {{ asset(id: $id) {{ {fields} }} }}", {"id": node["id"]})
        assert node == alone["asset"]
    consent = (
        "id purpose signedAt validFrom validUntil channels compensation { amount currency } takedownDays"
    )
    listed = await api(f'{{ person(id: "person-ada") {{ birthDate consents {{ nodes {{ {consent} }} }} }} }}')
    for node in listed["person"]["consents"]["nodes"]:
        alone = await api(f"query($id: ID!) {{ consent(id: $id) {{ {consent} }} }}", {"id": node["id"]})
        assert node == alone["consent"]


async def test_a_page_reads_its_assets_publishers_along_answering_like_their_loader(
    api: Any, graph: Any
) -> None:
    """`publisher { … }` under an asset page costs no statement of its own, for the admin and a tenant,
    and answers what the publisher's own loader answers (a lookup of each asset)."""
    await lists_world(api)
    publisher = "publisher { id name kind }"
    query = """query($id: ID!) { twin(id: $id) { assets(first: 50, orderBy: {direction: DESC}) {
                 nodes { id channel %s } } } }"""
    brand = (await keys.create(graph, role="BRAND", party_id="brand-other", label="other")).secret
    for token in (None, brand):
        graph.round_trips = 0
        bare = await api(query % "", {"id": "twin-ada-1"}, token=token)
        without = graph.round_trips
        graph.round_trips = 0
        found = await api(query % publisher, {"id": "twin-ada-1"}, token=token)
        assert graph.round_trips == without  # the publishers came with the page
        nodes = found["twin"]["assets"]["nodes"]
        assert [{"id": n["id"], "channel": n["channel"]} for n in nodes] == bare["twin"]["assets"]["nodes"]
        assert {n["publisher"]["id"] for n in nodes} == (
            {"brand-nordhem", "brand-other"} if token is None else {"brand-other"}
        )
        for node in nodes:
            alone = await api(f"query($id: ID!) {{ asset(id: $id) {{ {publisher} }} }}", {"id": node["id"]})
            assert node["publisher"] == alone["asset"]["publisher"]
    # in the graph layer: one neighbour per row, in the rows' order, shared between rows, and counted
    request = PageRequest(
        relation="twin.assets", order="id", descending=False, limit=50, props=("id",), ones=("publisher",)
    )
    page = (await neighbour_pages(graph, request, ["twin-ada-1"], scope=None))["twin-ada-1"]
    publishers = page.ones["publisher"]
    assert [one["id"] if one else None for one in publishers] == [
        "brand-other" if row["id"] in OTHER else "brand-nordhem" for row in page.rows
    ]
    assert len({id(one) for one in publishers}) == 2
    assert page.size == 2 * len(page.rows) == 2 * (len(NORDHEM) + len(OTHER))


def test_a_connection_is_priced_by_its_page_size() -> None:
    document = parse(
        """{ organization(id: "x") { assets(first: 7) { totalCount nodes { id twins { id } }
             edges { cursor node { id } } } } }"""
    )
    # 1 × (1 + 1 × (1 + 7 × (1 + 10 × 1) + 7 × (1 + 1)))
    assert estimated_cost(schema._schema, document, None, {}) == 1 + 1 + 7 * 11 + 7 * 2
    connections = [
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and name.endswith("Connection") and "nodes" in kind.fields
    ]
    assert len(connections) == 9
    assert all((name, part) in PAGE_LISTS for name in connections for part in ("edges", "nodes"))


async def test_the_temporal_properties_read_by_name_are_every_one_a_world_stores(demo: Any) -> None:
    """A page reads each temporal property as text by its name's kind (graph.projection INSTANTS, DATES):
    the demo world, where every kind of event is recorded, stores no temporal property the table lacks,
    and none of the other kind."""
    rows = await demo.query(
        """MATCH (n:Entity) UNWIND keys(n) AS key
           WITH key, n[key] AS value WHERE value IS :: ZONED DATETIME OR value IS :: DATE
           RETURN DISTINCT key, value IS :: DATE AS isDate"""
    )
    instants = {row["key"] for row in rows if not row["isDate"]}
    dates = {row["key"] for row in rows if row["isDate"]}
    assert {"publishedAt", "signedAt", "revokedAt", "withdrawnAt", "sentAt", "observedAt"} <= instants
    assert instants - INSTANTS == set()
    assert dates - DATES == set()


async def test_a_page_reads_temporals_as_the_whole_node_does(demo: Any) -> None:
    """The map a page reads gives each selected property as graph.reads gives the whole node: instants as
    UTC datetimes, dates as dates, missing properties as None."""
    props = ("birthDate", "id", "name", "recordedAt", "revokedAt", "signedAt", "validUntil")
    request = PageRequest(
        relation="person.consents", order="signedAt", descending=False, limit=50, props=props, count=False
    )
    persons = [row["id"] for row in await demo.query("MATCH (p:Person) RETURN p.id AS id")]
    pages = await neighbour_pages(demo, request, persons, scope=None)
    read = [node for page in pages.values() for node in page.rows]
    assert any(node["revokedAt"] is not None for node in read)
    for node in read:
        whole = (await demo.query("MATCH (n:Entity {id: $id}) RETURN n", id=node["id"]))[0]["n"]
        for prop in props:
            expected = whole.get(prop)
            if expected is not None and hasattr(expected, "to_native"):
                expected = expected.to_native()
            assert node[prop] == expected, (node["id"], prop)
