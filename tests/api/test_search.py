"""search (ids, names, hashes), verdictHistory and viewer over the demo world, as each kind of caller."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from graphql import GraphQLUnionType

from likeness.access import keys
from likeness.demo import DEMO_WORLD
from likeness.execution.build import schema
from likeness.graph import search as stored
from likeness.graph.driver import Graph
from likeness.graph.search import lucene_escape, name_query
from likeness.graph.visibility import LABELS
from likeness.ingest.bulk import import_lines
from likeness.schema.nodes import NODE_TYPES
from likeness.schema.search import SearchNode

SEARCH = """query($text: String!, $first: Int! = 20) { search(text: $text, first: $first) {
    matchedBy score distance node { __typename ... on Person { id name } ... on Organization { id name }
    ... on Asset { id sha256 } ... on Capture { id } ... on Sighting { id } ... on Twin { id }
    ... on Consent { id } ... on Campaign { id } ... on Payment { id } } } }"""
KNOCKOFF = "asset-maren-liv-knockoff"


def _events() -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines() if line
    ]


def _sha_of(asset_id: str) -> str:
    return next(
        e["input"]["sha256"] for e in _events() if e["op"] == "publishAsset" and e["input"]["id"] == asset_id
    )


@pytest.fixture
async def demo(graph: Graph) -> dict[str, str]:
    """The demo world, and a key per tenant: Nordhem, Maren & Co., Liv Åberg, Noor Haddad."""
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected
    made = {}
    for name, role, party in [
        ("nordhem", "BRAND", "brand-nordhem"),
        ("maren", "BRAND", "brand-maren"),
        ("liv", "PERSON", "person-liv-aberg"),
        ("noor", "PERSON", "person-noor-haddad"),
        ("regulator", "REGULATOR", None),
    ]:
        made[name] = (await keys.create(graph, role=role, party_id=party)).secret
    return made


def _ids(hits: list[dict[str, Any]]) -> list[str]:
    return [hit["node"]["id"] for hit in hits]


async def test_an_id_finds_its_node_first(api: Any, demo: dict[str, str]) -> None:
    hits = (await api(SEARCH, {"text": f"  {KNOCKOFF} "}))["search"]
    assert hits[0] == {
        "matchedBy": "ID",
        "score": None,
        "distance": None,
        "node": {"__typename": "Asset", "id": KNOCKOFF, "sha256": _sha_of(KNOCKOFF)},
    }


async def test_a_name_finds_persons_and_organizations_by_the_start_of_each_word(
    api: Any, demo: dict[str, str]
) -> None:
    liv = (await api(SEARCH, {"text": "liv åb"}))["search"]
    assert _ids(liv) == ["person-liv-aberg"]
    assert liv[0]["matchedBy"] == "NAME" and liv[0]["score"] > 0
    haddads = (await api(SEARCH, {"text": "Haddad"}))["search"]
    assert sorted(_ids(haddads)) == ["person-noor-haddad", "person-samira-haddad"]
    maren = (await api(SEARCH, {"text": "maren & co."}))["search"]
    assert _ids(maren) == ["brand-maren"]
    assert (await api(SEARCH, {"text": "nobody-by-that-name"}))["search"] == []


async def test_hashes_find_assets_exactly_and_near(api: Any, demo: dict[str, str]) -> None:
    exact = (await api(SEARCH, {"text": _sha_of(KNOCKOFF).upper()}))["search"]
    assert [(h["matchedBy"], h["node"]["id"]) for h in exact] == [("SHA256", KNOCKOFF)]
    # the blog's copy of the knockoff, 3 bits away from the registered phash
    near = (await api(SEARCH, {"text": "03f2b655f95cefa0"}))["search"]
    assert (near[0]["matchedBy"], near[0]["node"]["id"], near[0]["distance"]) == ("PHASH", KNOCKOFF, 3)


async def test_a_brand_never_finds_another_brands_asset(api: Any, demo: dict[str, str]) -> None:
    for text in (KNOCKOFF, _sha_of(KNOCKOFF), "03f2b755f95eefa8"):
        assert (await api(SEARCH, {"text": text}, token=demo["nordhem"]))["search"] == [], text
        assert KNOCKOFF in _ids((await api(SEARCH, {"text": text}, token=demo["maren"]))["search"])
    # organizations are a public directory; persons only those the brand deals with
    maren = (await api(SEARCH, {"text": "maren"}, token=demo["nordhem"]))["search"]
    assert _ids([hit for hit in maren if hit["matchedBy"] == "NAME"]) == ["brand-maren"]
    # by part of an id, only Maren's assets sublicensed from Nordhem (issue 24: search finds partial ids)
    assert _ids([hit for hit in maren if hit["matchedBy"] == "ID_PART"]) == [
        "asset-maren-liv-sublicensed",
        "asset-maren-maja-sublicensed",
    ]
    samira = (await api(SEARCH, {"text": "samira"}, token=demo["maren"]))["search"]
    assert samira == []
    assert _ids((await api(SEARCH, {"text": "samira"}))["search"]) == ["person-samira-haddad"]


async def test_a_person_finds_herself_and_not_other_persons(api: Any, demo: dict[str, str]) -> None:
    assert _ids((await api(SEARCH, {"text": "Liv"}, token=demo["liv"]))["search"]) == ["person-liv-aberg"]
    assert _ids((await api(SEARCH, {"text": "person-liv-aberg"}, token=demo["liv"]))["search"]) == [
        "person-liv-aberg"
    ]
    # the knockoff renders her twin: she sees it; Noor does not
    assert KNOCKOFF in _ids((await api(SEARCH, {"text": KNOCKOFF}, token=demo["liv"]))["search"])
    assert (await api(SEARCH, {"text": KNOCKOFF}, token=demo["noor"]))["search"] == []
    assert (await api(SEARCH, {"text": "Åberg"}, token=demo["noor"]))["search"] == []


async def test_part_of_an_id_finds_the_node_after_exact_matches(api: Any, demo: dict[str, str]) -> None:
    knockoff = (await api(SEARCH, {"text": "knockoff"}))["search"]
    assert [(h["matchedBy"], h["node"]["id"]) for h in knockoff] == [
        ("ID_PART", "sighting-knockoff-blog"),  # the shorter id first
        ("ID_PART", KNOCKOFF),
    ]
    # a name and an id both holding the text: the name's hit first, each node once
    deepfold = (await api(SEARCH, {"text": "deepfold"}))["search"]
    assert [(h["matchedBy"], h["node"]["id"]) for h in deepfold] == [
        ("NAME", "vendor-deepfold"),
        ("ID_PART", "twin-liv-deepfold"),
    ]
    # the whole id: found by it first, then the ids holding it (none here)
    assert [h["matchedBy"] for h in (await api(SEARCH, {"text": "twin-liv-deepfold"}))["search"]] == ["ID"]
    # ids starting with the text first, then the shorter ids, then by id
    twins = _ids((await api(SEARCH, {"text": "twin", "first": 100}))["search"])
    assert twins == sorted(twins, key=lambda i: (not i.startswith("twin"), len(i), i))
    assert "twin-liv-deepfold" in twins and all("twin" in i for i in twins)
    # shorter than 3 characters: not looked for inside ids
    assert (await api(SEARCH, {"text": "ko"}))["search"] == []
    assert len((await api(SEARCH, {"text": "-", "first": 100}))["search"]) == 0


async def test_part_of_an_id_finds_only_what_the_caller_may_see(api: Any, demo: dict[str, str]) -> None:
    assert (await api(SEARCH, {"text": "knockoff"}, token=demo["nordhem"]))["search"] == []
    assert (await api(SEARCH, {"text": "knockoff"}, token=demo["noor"]))["search"] == []
    assert _ids((await api(SEARCH, {"text": "knockoff"}, token=demo["maren"]))["search"]) == [
        "sighting-knockoff-blog",
        KNOCKOFF,
    ]
    assert KNOCKOFF in _ids((await api(SEARCH, {"text": "knockoff"}, token=demo["liv"]))["search"])
    # Nordhem sees the public directory of organizations and Maren's assets sublicensed from it, not
    # Maren's consents, campaign or other assets
    assert _ids((await api(SEARCH, {"text": "maren", "first": 100}, token=demo["nordhem"]))["search"]) == [
        "brand-maren",
        "asset-maren-liv-sublicensed",
        "asset-maren-maja-sublicensed",
    ]


async def test_part_of_an_id_is_read_through_the_text_index(graph: Graph) -> None:
    """The statement seeks `entity_id_text` (a trigram index serving CONTAINS), both for callers who
    see everything and for a tenant, rather than scanning every entity."""
    for cypher in (stored._BY_ID_PART.everything, stored._BY_ID_PART.restricted):  # noqa: SLF001
        async with graph.driver.session(database=graph.database) as session:
            result = await session.run(
                "EXPLAIN " + cypher,
                part="knockoff",
                candidates=500,
                limit=20,
                viewer="brand-maren",
                selves=["brand-maren"],
            )
            summary = await result.consume()
        assert summary.plan is not None
        operators = list(_operators(summary.plan))
        assert any(
            name.startswith("NodeIndexContainsScan") and "TEXT INDEX n:Entity(id)" in str(args.get("Details"))
            for name, args in operators
        ), operators
        scans = [name for name, _ in operators if name.startswith(("AllNodesScan", "NodeByLabelScan"))]
        assert scans == [], operators


def _operators(plan: dict[str, Any]) -> Any:
    yield plan["operatorType"], plan.get("args", {})
    for child in plan.get("children", []):
        yield from _operators(child)


LIV = ["person-liv-aberg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('liv"', LIV),
        ("(liv", LIV),
        ("liv*", LIV),
        ("liv~2", []),  # and "2" starts no word of it
        ("liv^3", []),
        ("+liv -", LIV),
        ("liv AND", []),  # every word must start a word of the name: 'and' starts none
        ("liv OR maren", []),
        ("*", []),
        ("?", []),
        ("\\", []),
        ("/", []),
        ("[a TO z]", []),
        ("{", []),
        ("!", []),
        ("&&", []),
        ("||", []),
    ],
)
async def test_lucene_syntax_in_the_text_is_plain_text(
    api: Any, demo: dict[str, str], text: str, expected: list[str]
) -> None:
    assert _ids((await api(SEARCH, {"text": text}))["search"]) == expected


def test_the_name_query_escapes_every_operator() -> None:
    assert name_query("Liv Åberg") == "+liv* +åberg*"
    assert name_query("  ") is None
    assert name_query('"(*)"') is None
    assert lucene_escape('a+b-c&&d||e!f(g)h{i}j[k]l^m"n~o*p?q:r\\s/t') == (
        'a\\+b\\-c\\&\\&d\\|\\|e\\!f\\(g\\)h\\{i\\}j\\[k\\]l\\^m\\"n\\~o\\*p\\?q\\:r\\\\s\\/t'
    )


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"text": "liv", "first": 0}, "first"),
        ({"text": "liv", "first": 101}, "first"),
    ],
)
async def test_bad_input_is_refused_naming_the_field(
    api: Any, demo: dict[str, str], variables: dict[str, Any], field: str
) -> None:
    errors = await api.errors(SEARCH, variables)
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in errors] == [("BAD_INPUT", field)]


AT = """query($a: ID!, $t: DateTime) { provenance(assetId: $a, asOf: $t) { verdicts { code } } }"""
HISTORY = """query($a: ID!) { verdictHistory(assetId: $a) { code subjectId holdsFrom holdsUntil } }"""


async def test_the_verdict_history_gives_the_instants_where_verdicts_change(
    api: Any, demo: dict[str, str]
) -> None:
    spans = (await api(HISTORY, {"a": KNOCKOFF}))["verdictHistory"]
    assert spans and {span["subjectId"] for span in spans} == {KNOCKOFF}
    assert [s["holdsFrom"] for s in spans] == sorted(s["holdsFrom"] for s in spans)
    # each span agrees with provenance at its start and, when it ended, just before its end
    for span in spans:
        at = (
            await api(
                AT,
                {"a": KNOCKOFF, "t": span["holdsFrom"]},
            )
        )["provenance"]
        assert span["code"] in {v["code"] for v in at["verdicts"]}
        if span["holdsUntil"] is not None:
            after = (
                await api(
                    AT,
                    {"a": KNOCKOFF, "t": span["holdsUntil"]},
                )
            )["provenance"]
            assert (
                after is None
                or span["code"] not in {v["code"] for v in after["verdicts"]}
                or any(
                    other["code"] == span["code"] and other["holdsFrom"] == span["holdsUntil"]
                    for other in spans
                )
            )
    assert (await api(HISTORY, {"a": KNOCKOFF}, token=demo["nordhem"]))["verdictHistory"] == []
    assert (await api(HISTORY, {"a": KNOCKOFF}, token=demo["maren"]))["verdictHistory"] == spans


async def test_the_viewer_is_the_credential_s_role_and_party(api: Any, demo: dict[str, str]) -> None:
    query = "{ viewer { role partyId } }"
    assert (await api(query))["viewer"] == {"role": "ADMIN", "partyId": None}
    assert (await api(query, token=demo["liv"]))["viewer"] == {
        "role": "PERSON",
        "partyId": "person-liv-aberg",
    }
    assert (await api(query, token=demo["maren"]))["viewer"] == {"role": "BRAND", "partyId": "brand-maren"}
    assert (await api(query, token=demo["regulator"]))["viewer"] == {"role": "REGULATOR", "partyId": None}


def test_search_can_answer_every_node_kind() -> None:
    """SearchNode names the node types by hand (a strawberry union is static); it must name each one."""
    union = schema._schema.get_type("SearchNode")
    assert isinstance(union, GraphQLUnionType)
    assert {member.name for member in union.types} == set(NODE_TYPES)


def test_the_node_types_are_the_graph_s_labels_and_search_answers_them_in_order() -> None:
    """NODE_TYPES (schema) has one type per label the graph holds (graph.visibility.LABELS), and SearchNode
    names them in that order: a label the graph adds without a type, or a type search leaves out, fails
    here rather than in a search that cannot answer its hit."""
    assert list(NODE_TYPES) == list(LABELS)
    (members, _) = get_args(SearchNode)
    assert get_args(members) == tuple(NODE_TYPES.values())


TWIN_VERDICTS = """query($id: ID!, $asOf: DateTime) { twin(id: $id) { id verdicts(asOf: $asOf) {
    code subjectId holdsFrom } } }"""


async def test_a_twin_answers_the_verdicts_holding_on_itself(api: Any, demo: dict[str, str]) -> None:
    deepfold = (await api(TWIN_VERDICTS, {"id": "twin-liv-deepfold"}))["twin"]
    assert [(v["code"], v["subjectId"]) for v in deepfold["verdicts"]] == [
        ("UNCONSENTED_BUILD", "twin-liv-deepfold")
    ]
    # before it was built (2025-05-06), nothing held on it
    before = (await api(TWIN_VERDICTS, {"id": "twin-liv-deepfold", "asOf": "2025-01-01T00:00:00Z"}))["twin"]
    assert before["verdicts"] == []
    # the person it replicates sees it; a twin under no verdict answers none
    mine = (await api(TWIN_VERDICTS, {"id": "twin-liv-deepfold"}, token=demo["liv"]))["twin"]
    assert [v["code"] for v in mine["verdicts"]] == ["UNCONSENTED_BUILD"]
    assert (await api(TWIN_VERDICTS, {"id": "twin-liv-v1"}))["twin"]["verdicts"] == []
    # a brand with no part in it sees neither the twin nor its verdicts
    assert (await api(TWIN_VERDICTS, {"id": "twin-liv-deepfold"}, token=demo["nordhem"]))["twin"] is None
