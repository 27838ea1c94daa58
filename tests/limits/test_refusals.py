"""Refused before anything runs: too many tokens, too deep, too many aliases, too costly. Each refusal
names its limit and what it found, comes at once, and leaves everyone else answered."""

from __future__ import annotations

from typing import Any

from graphql import get_introspection_query

from tests.limits.conftest import ALIASES, AUDIT, DEEP, SIX_PAIRS, Answer, Server, normal_answered, pairs_cost

REFUSED_WITHIN = 30.0


async def nothing_ran(server: Server, query: str) -> None:
    """Asked alone, the query is refused without a single round trip to Neo4j."""
    before = server.graph.round_trips
    async with server.client() as client:
        assert (await client.ask(query)).code is not None
    assert server.graph.round_trips == before


def refused(answer: Answer, code: str, limit: int, found: int | None = None) -> None:
    """Refused with this code, naming the limit (and what it found), before any data, at once."""
    assert answer.code == code, answer.body
    error = answer.error
    assert error["extensions"]["limit"] == limit
    assert str(limit) in error["message"]
    if found is not None:
        assert error["extensions"]["found"] == found
        assert str(found) in error["message"]
    assert "data" not in answer.body
    # "at once" is `nothing_ran` (not one round trip to Neo4j); the time is a bound no busy machine
    # misses, against a query that ran (the six-pair fan-out: minutes); speed is a benchmark's question
    assert answer.seconds < REFUSED_WITHIN, f"refused after {answer.seconds:.2f} s"


async def test_the_twelve_level_probe_is_refused_as_too_deep(demo: Any, serve: Any) -> None:
    server = serve()
    probe, normal = await server.alongside(DEEP)
    refused(probe, "QUERY_TOO_DEEP", 10, found=20)
    normal_answered(normal)
    await nothing_ran(server, DEEP)


async def test_depth_counts_fields_inside_fragments_and_inline_fragments(demo: Any, serve: Any) -> None:
    server = serve(max_cost=0)  # the depth limit alone
    hidden = """{ twin(id: "twin-liv-v2") { ...Down } }
        fragment Down on Twin { assets { nodes { ... on Asset { twins { ...More } } } } }
        fragment More on Twin { assets { nodes { twins { assets { nodes { twins { id } } } } } } }"""
    async with server.client() as client:
        refused(await client.ask(hidden), "QUERY_TOO_DEEP", 10, found=11)
        shallow = (
            '{ twin(id: "twin-liv-v2") { ...Down } } '
            "fragment Down on Twin { assets { nodes { ... on Asset { id } } } }"
        )
        assert (await client.ask(shallow)).code is None


async def test_the_six_pair_probe_is_refused_before_it_runs(demo: Any, serve: Any) -> None:
    server = serve()
    probe, normal = await server.alongside(SIX_PAIRS)
    refused(probe, "QUERY_TOO_DEEP", 10, found=20)
    normal_answered(normal)
    # and by its cost when depth is not limited: each pair multiplies it by 50 × 10 (pairs_cost)
    server = serve(max_depth=0)
    probe, normal = await server.alongside(SIX_PAIRS)
    refused(probe, "QUERY_TOO_COSTLY", 150_000, found=pairs_cost(6))
    normal_answered(normal)


async def test_a_shallow_fan_out_is_refused_by_its_estimated_cost(demo: Any, serve: Any) -> None:
    server = serve()
    fan_out = """{ organization(id: "brand-nordhem") {
                     assets { nodes { twins { assets { nodes { twins { id } } } } } } } }"""
    probe, normal = await server.alongside(fan_out)
    # 1 + (1 + 50 × (1 + 10 × (1 + (1 + 50 × (1 + 10)))))
    refused(probe, "QUERY_TOO_COSTLY", 150_000, found=pairs_cost(2))
    assert pairs_cost(2) == 276_052
    normal_answered(normal)


async def test_the_cost_takes_page_sizes_from_variables(demo: Any, serve: Any) -> None:
    server = serve()
    usage = """query($n: Int!) { likenessUsage(personId: "person-liv-aberg", first: $n,
               asOf: "2026-07-01T00:00:00Z") {
               edges { node { twins { assets(first: 10) { nodes { id } } } } } } }"""
    async with server.client() as client:
        # 1 × (1 + n × (1 + 1 × (1 + 10 × (1 + 1 × (1 + 10)))))
        refused(await client.ask(usage, {"n": 2_000}), "QUERY_TOO_COSTLY", 150_000, found=244_001)
        big = await client.ask(usage, {"n": 1_000})
        assert big.code is None, big.body
        assert big.body["data"]["likenessUsage"]["edges"]


async def test_too_many_aliases_are_refused(demo: Any, serve: Any) -> None:
    server = serve()
    many = "{" + " ".join(f'a{n}: asset(id: "asset-ss25-liv-feed") {{ id }}' for n in range(51)) + "}"
    probe, normal = await server.alongside(many)
    refused(probe, "TOO_MANY_ALIASES", 50, found=51)
    normal_answered(normal)
    async with server.client() as client:
        fifty = "{" + " ".join(f'a{n}: asset(id: "asset-ss25-liv-feed") {{ id }}' for n in range(50)) + "}"
        assert (await client.ask(fifty)).code is None


async def test_the_thousand_alias_probe_is_refused_at_once(demo: Any, serve: Any) -> None:
    server = serve()
    probe, normal = await server.alongside(ALIASES)
    refused(probe, "TOO_MANY_TOKENS", 10_000)  # 11,002 tokens: refused before it is even parsed
    normal_answered(normal)
    server = serve(max_tokens=0)  # the alias limit alone
    probe, normal = await server.alongside(ALIASES)
    refused(probe, "TOO_MANY_ALIASES", 50, found=1000)
    normal_answered(normal)
    await nothing_ran(server, ALIASES)


async def test_tokens_are_counted_before_the_document_is_parsed(demo: Any, serve: Any) -> None:
    server = serve()
    # 10,002 tokens, the last a syntax error: the count refuses it, the parser never sees it
    broken = "{ " + "__typename " * 9_999 + "} }"
    probe, normal = await server.alongside(broken)
    refused(probe, "TOO_MANY_TOKENS", 10_000)
    normal_answered(normal)
    async with server.client() as client:
        below = await client.ask("{ " + "__typename " * 9_997 + "} }")  # 10,000 tokens
        assert below.code == "GRAPHQL_PARSE_FAILED"  # within the limit the parser answers, as before


async def test_a_regulators_whole_market_audit_fits_every_limit(demo: Any, serve: Any) -> None:
    server = serve()
    async with server.client() as client:
        answer = await client.ask(AUDIT)
    assert answer.code is None, answer.body
    audit = answer.body["data"]["audit"]
    assert audit["totalCount"] == len(audit["edges"]) > 0


async def test_graphiqls_introspection_fits_every_limit(serve: Any, graph: Any) -> None:
    server = serve()
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    async with server.client() as client:
        answer = await client.ask(query)
    assert answer.code is None, answer.body
    assert answer.body["data"]["__schema"]["queryType"]["name"] == "Query"
