"""The tamper-evident log: every mutation and every regulator or investigator query, hash-chained;
editing, deleting or reordering entries directly in Neo4j is detected at the first entry touched."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from likeness.access import keys, log
from likeness.cli import app as cli
from tests.factories import base_world, org, send

ENTRIES = "MATCH (e:LogEntry) RETURN properties(e) AS e ORDER BY e.seq"
BASE_WORLD_MUTATIONS = 10


async def entries(graph: Any) -> list[dict[str, Any]]:
    return [row["e"] for row in await graph.query(ENTRIES)]


async def write(graph: Any, cypher: str, **params: Any) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(cypher, params)).consume()


async def test_every_mutation_is_appended_in_order_and_the_chain_verifies(api: Any, graph: Any) -> None:
    await base_world(api)
    chain = await entries(graph)
    assert [e["seq"] for e in chain] == list(range(1, BASE_WORLD_MUTATIONS + 1))
    assert chain[0]["operation"] == "registerPerson" and chain[0]["target"] == "person-ada"
    assert chain[-1]["operation"] == "grantConsent" and chain[-1]["target"] == "consent-use"
    assert {e["principal"] for e in chain} == {"ADMIN bootstrap"}
    assert chain[0]["prevHash"] == "" and all(
        b["prevHash"] == a["hash"] for a, b in itertools.pairwise(chain)
    )
    assert chain[0]["variablesHash"] == log.sha256_of(
        {"id": "person-ada", "name": "Ada Varga", "birthDate": "1998-04-17", "jurisdiction": "US-NY"}
    )
    assert await log.first_broken_seq(graph) is None


async def test_regulator_and_investigator_queries_are_logged_other_reads_are_not(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    regulator_key = await keys.create(graph, role="REGULATOR", label="EU AI Office")
    regulator = regulator_key.secret
    investigator = await keys.create(graph, role="INVESTIGATOR")
    brand = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    before = len(await entries(graph))
    query = 'query Trace($id: ID!) { asset(id: $id) { id } person(id: "person-ada") { id } }'
    await api(query, {"id": "asset-x"}, token=regulator)
    await api("{ audit { totalCount } }", token=investigator.secret)
    await api(query, {"id": "asset-x"}, token=brand)
    await api(query, {"id": "asset-x"})
    await api.errors("{ nowhere }", token=regulator)
    logged = (await entries(graph))[before:]
    assert [(e["principal"], e["operation"]) for e in logged] == [
        (f"REGULATOR key:{regulator_key.key.id}", "query asset,person"),
        (f"INVESTIGATOR key:{investigator.key.id}", "query audit"),
        (f"REGULATOR key:{regulator_key.key.id}", "query nowhere"),
    ]
    assert logged[0]["variablesHash"] == log.sha256_of({"id": "asset-x"})
    assert logged[0]["documentHash"] == hashlib.sha256(query.encode()).hexdigest()
    assert await log.first_broken_seq(graph) is None


async def test_concurrent_mutations_take_turns_on_the_chain(api: Any, graph: Any) -> None:
    await asyncio.gather(*(send(api, "registerOrganization", org(f"brand-{n}", "BRAND")) for n in range(24)))
    chain = await entries(graph)
    assert [e["seq"] for e in chain] == list(range(1, 25))
    assert sorted(e["target"] for e in chain) == sorted(f"brand-{n}" for n in range(24))
    assert await log.first_broken_seq(graph) is None


def _rehash(entry: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = entry | changes
    return changed | {"hash": log.entry_hash(changed)}


Tampering = Callable[[Any, list[dict[str, Any]]], Awaitable[None]]


async def edit_a_field(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (e:LogEntry {seq: 4}) SET e.target = 'person-someone-else'")


async def edit_the_time(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (e:LogEntry {seq: 4}) SET e.at = '2020-01-01T00:00:00+00:00'")


async def edit_and_rehash_the_entry(graph: Any, chain: list[dict[str, Any]]) -> None:
    forged = _rehash(chain[3], principal="BRAND:brand-nordhem key:key-forged")
    await write(graph, "MATCH (e:LogEntry {seq: 4}) SET e = $entry", entry=forged)


async def delete_an_entry(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (e:LogEntry {seq: 4}) DELETE e")


async def delete_and_renumber_the_rest(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (e:LogEntry) WHERE e.seq = 4 DELETE e")
    await write(graph, "MATCH (e:LogEntry) WHERE e.seq > 4 SET e.seq = e.seq - 1")


async def swap_two_entries(graph: Any, chain: list[dict[str, Any]]) -> None:
    # through a free number: sequence numbers are unique in the database
    await write(graph, "MATCH (a:LogEntry {seq: 4}) SET a.seq = -4")
    await write(graph, "MATCH (b:LogEntry {seq: 6}) SET b.seq = 4")
    await write(graph, "MATCH (a:LogEntry {seq: -4}) SET a.seq = 6")


async def delete_the_last_entry(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (e:LogEntry {seq: $last}) DELETE e", last=len(chain))


async def append_a_forged_entry(graph: Any, chain: list[dict[str, Any]]) -> None:
    forged = _rehash(chain[-1], seq=len(chain) + 1, prevHash=chain[-1]["hash"], operation="withdrawAsset")
    await write(graph, "CREATE (e:LogEntry) SET e = $entry", entry=forged)


async def rewrite_the_head(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (h:LogHead) SET h.hash = $hash", hash=chain[-2]["hash"])


async def delete_the_head(graph: Any, chain: list[dict[str, Any]]) -> None:
    await write(graph, "MATCH (h:LogHead) DELETE h")


TAMPERINGS: list[tuple[Tampering, int]] = [
    (edit_a_field, 4),
    (edit_the_time, 4),
    (edit_and_rehash_the_entry, 5),
    (delete_an_entry, 4),
    (delete_and_renumber_the_rest, 4),
    (swap_two_entries, 4),
    (delete_the_last_entry, BASE_WORLD_MUTATIONS),
    (append_a_forged_entry, BASE_WORLD_MUTATIONS + 1),
    (rewrite_the_head, BASE_WORLD_MUTATIONS),
    (delete_the_head, BASE_WORLD_MUTATIONS),
]


@pytest.mark.parametrize(("tamper", "broken_at"), TAMPERINGS, ids=[t.__name__ for t, _ in TAMPERINGS])
async def test_tampering_with_the_log_is_detected_at_the_first_entry_touched(
    api: Any, graph: Any, tamper: Tampering, broken_at: int
) -> None:
    await base_world(api)
    chain = await entries(graph)
    assert len(chain) == BASE_WORLD_MUTATIONS and await log.first_broken_seq(graph) is None
    await tamper(graph, chain)
    result = await log.verify(graph)
    assert result.broken is not None, tamper.__name__
    assert result.broken.seq == broken_at, result.broken


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


async def test_the_cli_creates_lists_and_revokes_keys_and_verifies_the_log(
    api: Any, graph: Any, cli_env: CliRunner
) -> None:
    await base_world(api)
    created = await asyncio.to_thread(
        _run, "keys", "create", "--role", "BRAND", "--org", "brand-nordhem", "--label", "ci"
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("lk_")
    assert (await api('{ organization(id: "brand-nordhem") { id } }', token=secret))["organization"]
    listed = await asyncio.to_thread(_run, "keys", "list")
    assert "brand-nordhem" in listed.stdout and secret not in listed.stdout
    key_id = (await keys.list_(graph))[0].id
    assert (await asyncio.to_thread(_run, "keys", "revoke", key_id)).exit_code == 0
    assert (await api.post("{ __typename }", token=secret)).status_code == 401
    refused = await asyncio.to_thread(_run, "keys", "create", "--role", "PERSON", "--org", "brand-nordhem")
    assert refused.exit_code == 1
    intact = await asyncio.to_thread(_run, "log", "verify")
    assert intact.exit_code == 0, intact.output
    await delete_an_entry(graph, await entries(graph))
    broken = await asyncio.to_thread(_run, "log", "verify")
    assert broken.exit_code == 1 and "entry 4" in broken.output
