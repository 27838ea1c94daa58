"""The per-person use index (USED_IN, graph.writes.USES) answers likenessUsage exactly as the traversal of
RENDERS/REPLICA_OF does, across every kind of write and for a graph recorded before the index existed."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import orjson

from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.graph.usage import usage_page
from likeness.graph.visibility import Scope
from likeness.ingest.bulk import import_lines
from tests.factories import asset, base_world, capture, org, person, send, twin

PERSONS = ["person-ada", "person-bo", "person-cy"]
BRANDS = ["brand-nordhem", "brand-south"]
INSTANTS = [datetime(2025, month, day, 12, tzinfo=UTC) for month in (3, 4, 5) for day in (1, 2, 15)]
FAR_PAST = datetime(1900, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _line(op: str, data: dict[str, Any]) -> str:
    return orjson.dumps({"op": op, "input": data}).decode()


def _world_lines() -> list[str]:
    """Three people, two twins each (the second superseding the first for one of them), two brands."""
    lines = [_line("registerPerson", person(pid, name=pid)) for pid in PERSONS]
    lines += [
        _line("registerOrganization", org(oid, kind))
        for oid, kind in [
            ("brand-nordhem", "BRAND"),
            ("brand-south", "BRAND"),
            ("vendor-uncut", "VENDOR"),
            ("studio-north", "STUDIO"),
        ]
    ]
    for index, pid in enumerate(PERSONS):
        lines.append(_line("recordCapture", capture(f"capture-{pid}", [pid], n=index + 1)))
        lines.append(_line("buildTwin", twin(f"twin-{pid}-1", pid, [f"capture-{pid}"])))
        extra = {"supersedesId": f"twin-{pid}-1"} if pid == "person-ada" else {}
        lines.append(_line("buildTwin", twin(f"twin-{pid}-2", pid, [f"capture-{pid}"], **extra)))
    return lines


def _asset_lines(rng: random.Random, first: int, count: int) -> list[str]:
    """Assets rendering one to three twins (two of the same person at times), on a few shared instants
    (ties in publishedAt), some withdrawn later."""
    twins = [f"twin-{pid}-{n}" for pid in PERSONS for n in (1, 2)]
    lines = []
    for number in range(first, first + count):
        aid = f"asset-{number:04d}"
        at = rng.choice(INSTANTS)
        lines.append(
            _line(
                "publishAsset",
                asset(
                    aid,
                    1000 + number,
                    publisherId=rng.choice(BRANDS),
                    twinIds=rng.sample(twins, rng.randint(1, 3)),
                    publishedAt=at.isoformat().replace("+00:00", "Z"),
                ),
            )
        )
        if rng.random() < 0.2:
            withdrawn = at.replace(day=20).isoformat().replace("+00:00", "Z")
            lines.append(_line("withdrawAsset", {"assetId": aid, "withdrawnAt": withdrawn}))
    return lines


async def _write(graph: Graph, cypher: Any) -> None:
    async def work(tx: Any) -> None:
        await (await tx.run(cypher)).consume()

    await graph.write(work)


def _plain(page: tuple[list[Any], int]) -> tuple[list[Any], int]:
    uses, total = page
    return [(use.asset, use.verdicts, use.publishers) for use in uses], total


async def _pages(graph: Graph, by_traversal: bool, **args: Any) -> tuple[list[Any], list[int]]:
    """Every page of a question, following the cursor, and the totals each page reported."""
    pages: list[Any] = []
    totals: list[int] = []
    after = None
    while True:
        uses, total = _plain(await usage_page(graph, after=after, by_traversal=by_traversal, **args))
        pages.append(uses)
        totals.append(total)
        if len(uses) < args["limit"]:
            return pages, totals
        last = uses[-1][0]
        after = (last["publishedAt"], last["id"])


async def _assert_same_answers(graph: Graph, rng: random.Random, questions: int = 12) -> int:
    """Random questions (person, window, asOf, page size, viewer) answered both ways; returns how many
    uses the answers held in all."""
    seen = 0
    scopes: list[Scope | None] = [
        None,
        Scope("brand-south"),
        Scope("person-bo"),
        Scope("brand-nordhem"),
    ]
    for _ in range(questions):
        start, end = sorted(rng.sample([FAR_PAST, FAR_FUTURE, *INSTANTS], 2))
        args = {
            "person_id": rng.choice([*PERSONS, "person-nobody"]),
            "start": start,
            "end": end,
            "as_of": rng.choice([FAR_FUTURE, *INSTANTS]),
            "limit": rng.choice([1, 2, 5, 50]),
            "scope": rng.choice(scopes),
        }
        indexed = await _pages(graph, False, **args)
        traversed = await _pages(graph, True, **args)
        assert indexed == traversed, args
        seen += sum(len(page) for page in traversed[0])
    return seen


async def test_the_use_index_answers_as_the_traversal_across_imports_and_mutations(
    graph: Graph, api: Any
) -> None:
    rng = random.Random(14)
    summary = await import_lines(graph, _world_lines(), batch_size=7)
    assert not summary.rejected
    seen = await _assert_same_answers(graph, rng)
    assert seen == 0  # no assets yet: every answer empty, both ways
    # imports in batches of several sizes, then the API's mutations, checking after each
    imported: list[str] = []
    for first, count, batch in [(0, 30, 4), (30, 40, 100), (70, 25, 1)]:
        lines = _asset_lines(rng, first, count)
        imported += lines
        summary = await import_lines(graph, lines, batch_size=batch)
        assert not summary.rejected, summary.rejected
        assert await _assert_same_answers(graph, rng) > 0
    await send(
        api, "publishAsset", asset("asset-api-1", 9001, twinIds=["twin-person-ada-1", "twin-person-ada-2"])
    )
    await send(api, "publishAsset", asset("asset-api-2", 9002, twinIds=["twin-person-cy-2"]))
    await send(api, "withdrawAsset", {"assetId": "asset-api-2", "withdrawnAt": "2025-06-01T00:00:00Z"})
    # a new twin superseding another, and an asset rendering it
    await send(
        api,
        "buildTwin",
        twin("twin-person-bo-3", "person-bo", ["capture-person-bo"], supersedesId="twin-person-bo-2"),
    )
    await send(api, "publishAsset", asset("asset-api-3", 9003, twinIds=["twin-person-bo-3"]))
    assert await _assert_same_answers(graph, rng, questions=20) > 0
    # re-importing what is recorded changes nothing
    uses = await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n")
    again = await import_lines(graph, _world_lines() + imported, batch_size=16)
    assert again.applied == 0 and not again.rejected
    assert await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n") == uses
    # one USED_IN per (person, asset) that the asset's twins replicate
    rows = await graph.query(
        "MATCH (p:Person)<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(a:Asset) WITH DISTINCT p, a "
        "OPTIONAL MATCH (p)-[u:USED_IN]->(a) "
        "RETURN count(*) AS pairs, count(u) AS indexed, "
        "sum(CASE WHEN u.publishedAt = a.publishedAt AND u.assetId = a.id AND u.personId = p.id "
        "THEN 1 ELSE 0 END) AS right"
    )
    total_uses = (await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n"))[0]["n"]
    assert rows[0]["pairs"] == rows[0]["indexed"] == rows[0]["right"] == total_uses > 100


async def test_the_api_reads_the_index(api: Any, graph: Graph) -> None:
    """likenessUsage over HTTP answers from USED_IN: with the index emptied, the person has no uses."""
    await base_world(api)
    await send(api, "publishAsset", asset("asset-1", 1))
    query = '{ likenessUsage(personId: "person-ada") { totalCount edges { node { id } } } }'
    assert (await api(query))["likenessUsage"]["totalCount"] == 1
    await _write(graph, "MATCH ()-[u:USED_IN]->() DELETE u")
    assert (await api(query))["likenessUsage"] == {"totalCount": 0, "edges": []}


async def test_migrate_builds_the_index_for_a_graph_recorded_before_it(graph: Graph) -> None:
    rng = random.Random(5)
    summary = await import_lines(graph, _world_lines() + _asset_lines(rng, 0, 60), batch_size=50)
    assert not summary.rejected
    before = await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n")
    # as an older version left it: no USED_IN, no marker
    await _write(graph, "MATCH ()-[u:USED_IN]->() DELETE u")
    await _write(graph, "MATCH (m:DataMigration {name: 'person-use-index'}) DELETE m")
    assert (await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n"))[0]["n"] == 0
    from likeness.graph import migrations

    # in batches smaller than the graph, so the keyset over asset ids is exercised
    await migrations._add_use_index(graph, batch=7)  # pyright: ignore[reportPrivateUsage]
    assert await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n") == before
    assert await _assert_same_answers(graph, rng, questions=15) > 0
    # the marker stops later starts from scanning; migrate as a whole is then a no-op for the index
    assert await graph.query("MATCH (m:DataMigration {name: 'person-use-index'}) RETURN m.name AS name")
    await migrate(graph)
    assert await graph.query("MATCH ()-[u:USED_IN]->() RETURN count(u) AS n") == before
