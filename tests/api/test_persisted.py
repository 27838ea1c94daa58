"""Persisted queries (Apollo's automatic persisted queries) and conditional GET: a document known by its
SHA-256 runs by hash alone, and a GET of a read pinned in time carries an ETag that changes with every write,
so that an unchanged answer costs a 304 (docs/api.md, "Persisted queries and conditional GET")."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import orjson
import pytest

from likeness.access import keys
from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.graph.log import last_change
from likeness.verdicts.refresh import reevaluate_all
from tests.conftest import ADMIN_TOKEN
from tests.factories import asset, base_world, send

USAGE = """query Usage($person: ID!, $asOf: DateTime) {
  likenessUsage(personId: $person, asOf: $asOf) { totalCount edges { node { id } } }
}"""
USAGE_SHA256 = hashlib.sha256(USAGE.encode()).hexdigest()
PINNED = {"person": "person-ada", "asOf": "2030-01-01T00:00:00Z"}
NOT_FOUND = {
    "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
}
ENTRIES = "MATCH (e:LogEntry) RETURN e.principal AS principal, e.operation AS operation ORDER BY e.seq"


def persisted(sha256: str = USAGE_SHA256, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256}}


class Client:
    """GET and POST /graphql as an Apollo client sends them, with one bearer token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **extra}

    async def get(
        self,
        *,
        query: str | None = None,
        variables: dict[str, Any] | None = None,
        extensions: dict[str, Any] | None = None,
        if_none_match: str | None = None,
    ) -> httpx.Response:
        params: dict[str, str] = {}
        if query is not None:
            params["query"] = query
        if variables is not None:
            params["variables"] = orjson.dumps(variables).decode()
        if extensions is not None:
            params["extensions"] = orjson.dumps(extensions).decode()
        extra = {"If-None-Match": if_none_match} if if_none_match else {}
        return await self.http.get("/graphql", params=params, headers=self.headers(**extra))

    async def post(self, body: dict[str, Any]) -> httpx.Response:
        return await self.http.post("/graphql", json=body, headers=self.headers())

    def as_(self, token: str) -> Client:
        return Client(self.http, token)


@pytest.fixture(params=[True, False], ids=["fastexec", "graphql-core"])
async def client(request: pytest.FixtureRequest, graph: Graph, settings: Settings, api: Any) -> Any:
    """A client of an app built with either execution (they must answer alike), over the base world with
    one asset published."""
    await base_world(api)
    await send(api, "publishAsset", asset("asset-1", 1))
    app = create_app(settings.model_copy(update={"likeness_fastexec": request.param}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield Client(http, ADMIN_TOKEN)


def usage_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return [edge["node"]["id"] for edge in body["data"]["likenessUsage"]["edges"]]


async def test_a_hash_unknown_then_registered_runs_by_hash_alone_over_post_and_get(client: Client) -> None:
    unknown = await client.post({"variables": PINNED, "extensions": persisted()})
    assert unknown.status_code == 200 and unknown.json() == NOT_FOUND
    unknown_get = await client.get(variables=PINNED, extensions=persisted())
    assert unknown_get.status_code == 200 and unknown_get.json() == NOT_FOUND
    assert unknown_get.headers["cache-control"] == "no-store"

    registered = await client.post({"query": USAGE, "variables": PINNED, "extensions": persisted()})
    assert usage_ids(registered) == ["asset-1"]
    by_hash = await client.post({"variables": PINNED, "extensions": persisted()})
    assert by_hash.json() == registered.json()
    by_hash_get = await client.get(variables=PINNED, extensions=persisted())
    assert by_hash_get.json() == registered.json()


async def test_a_document_that_does_not_validate_is_not_kept(client: Client) -> None:
    wrong = "{ likenessUsage { nowhere } }"
    sha256 = hashlib.sha256(wrong.encode()).hexdigest()
    refused = await client.post({"query": wrong, "extensions": persisted(sha256)})
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (await client.post({"extensions": persisted(sha256)})).json() == NOT_FOUND


async def test_a_hash_that_is_not_the_documents_or_another_version_is_refused_naming_the_field(
    client: Client,
) -> None:
    wrong = await client.post({"query": USAGE, "variables": PINNED, "extensions": persisted("0" * 64)})
    assert wrong.status_code == 400
    assert "extensions.persistedQuery.sha256Hash" in wrong.json()["errors"][0]["message"]
    wrong_get = await client.get(query=USAGE, variables=PINNED, extensions=persisted("0" * 64))
    assert wrong_get.status_code == 400
    assert "extensions.persistedQuery.sha256Hash" in wrong_get.json()["errors"][0]["message"]
    version = await client.post({"query": USAGE, "variables": PINNED, "extensions": persisted(version=2)})
    assert version.status_code == 400
    assert "extensions.persistedQuery.version" in version.json()["errors"][0]["message"]


async def test_a_persisted_mutation_is_refused_over_get(client: Client) -> None:
    mutation = 'mutation { registerOrganization(input: {id: "brand-x", name: "X", kind: BRAND}) { id } }'
    sha256 = hashlib.sha256(mutation.encode()).hexdigest()
    registered = await client.post({"query": mutation, "extensions": persisted(sha256)})
    assert registered.json() == {"data": {"registerOrganization": {"id": "brand-x"}}}
    refused = await client.get(extensions=persisted(sha256))
    assert refused.status_code == 405


async def test_a_pinned_get_has_an_etag_and_an_unchanged_answer_costs_a_304(client: Client) -> None:
    first = await client.get(query=USAGE, variables=PINNED, extensions=persisted())
    assert usage_ids(first) == ["asset-1"]
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    again = await client.get(query=USAGE, variables=PINNED, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    # the same document by hash alone (registered by the GET that ran it) has the same ETag
    by_hash = await client.get(variables=PINNED, extensions=persisted(), if_none_match=etag)
    assert by_hash.status_code == 304
    # another ETag named: the answer again
    other = await client.get(query=USAGE, variables=PINNED, if_none_match='"other", W/"else"')
    assert other.status_code == 200 and other.headers["etag"] == etag


async def test_a_write_changes_the_etag_and_the_next_conditional_get_answers_the_new_data(
    client: Client, api: Any
) -> None:
    first = await client.get(query=USAGE, variables=PINNED)
    etag = first.headers["etag"]
    await send(api, "publishAsset", asset("asset-2", 2))
    after = await client.get(query=USAGE, variables=PINNED, if_none_match=etag)
    assert sorted(usage_ids(after)) == ["asset-1", "asset-2"]
    assert after.headers["etag"] != etag
    unchanged = await client.get(query=USAGE, variables=PINNED, if_none_match=after.headers["etag"])
    assert unchanged.status_code == 304


async def test_verdicts_rewritten_with_no_log_entry_change_the_etag(client: Client, graph: Graph) -> None:
    first = await client.get(query=USAGE, variables=PINNED)
    await reevaluate_all(graph)
    again = await client.get(query=USAGE, variables=PINNED, if_none_match=first.headers["etag"])
    assert usage_ids(again) == ["asset-1"]
    assert again.headers["etag"] != first.headers["etag"]


async def test_an_investigators_logged_query_leaves_the_etag_and_a_304_is_logged_too(
    client: Client, graph: Graph
) -> None:
    investigator = await keys.create(graph, role="INVESTIGATOR")
    as_investigator = client.as_(investigator.secret)
    first = await as_investigator.get(query=USAGE, variables=PINNED)
    assert usage_ids(first) == ["asset-1"]
    logged_before = await graph.query(ENTRIES)
    assert logged_before[-1]["operation"] == "query likenessUsage"
    # the investigator's query was appended to the log: its ETag still holds, and so does the admin's
    admin_etag = (await client.get(query=USAGE, variables=PINNED)).headers["etag"]
    again = await as_investigator.get(query=USAGE, variables=PINNED, if_none_match=first.headers["etag"])
    assert again.status_code == 304
    logged = await graph.query(ENTRIES)
    assert len(logged) == len(logged_before) + 1
    assert logged[-1] == {
        "principal": f"INVESTIGATOR key:{investigator.key.id}",
        "operation": "query likenessUsage",
    }
    assert (await client.get(query=USAGE, variables=PINNED, if_none_match=admin_etag)).status_code == 304


async def test_another_caller_has_another_etag(client: Client, graph: Graph) -> None:
    brand = await keys.create(graph, role="BRAND", party_id="brand-nordhem")
    person = await keys.create(graph, role="PERSON", party_id="person-ada")
    as_brand = await client.as_(brand.secret).get(query=USAGE, variables=PINNED)
    as_person = await client.as_(person.secret).get(query=USAGE, variables=PINNED)
    assert usage_ids(as_brand) == usage_ids(as_person) == ["asset-1"]
    assert as_brand.headers["etag"] != as_person.headers["etag"]
    crossed = await client.as_(person.secret).get(
        query=USAGE, variables=PINNED, if_none_match=as_brand.headers["etag"]
    )
    assert crossed.status_code == 200


async def test_an_answer_as_of_now_has_no_etag(client: Client) -> None:
    for variables in ({"person": "person-ada"}, {"person": "person-ada", "asOf": None}):
        now = await client.get(query=USAGE, variables=variables)
        assert usage_ids(now) == ["asset-1"]
        assert "etag" not in now.headers and now.headers["cache-control"] == "no-store"
    nested = (
        'query { likenessUsage(personId: "person-ada", asOf: "2030-01-01T00:00:00Z") '
        "{ edges { node { twins { verdicts { code } } } } } }"
    )
    answered = await client.get(query=nested)
    assert answered.status_code == 200 and "etag" not in answered.headers
    in_a_fragment = (
        'query { likenessUsage(personId: "person-ada", asOf: "2030-01-01T00:00:00Z") { ...Uses } } '
        "fragment Uses on UsageConnection "
        "{ edges { verdicts { code } node { twins { verdicts { code } } } } }"
    )
    answered = await client.get(query=in_a_fragment)
    assert answered.status_code == 200 and "etag" not in answered.headers
    pinned_fragment = in_a_fragment.replace(
        "verdicts { code } } } }", 'verdicts(asOf: "2030-01-01T00:00:00Z") { code } } } }'
    )
    assert "etag" in (await client.get(query=pinned_fragment)).headers


async def test_a_root_field_off_the_list_has_no_etag(client: Client) -> None:
    viewer = await client.get(query="{ viewer { role } }")
    assert viewer.status_code == 200 and viewer.json()["data"]["viewer"]["role"] == "ADMIN"
    assert "etag" not in viewer.headers and viewer.headers["cache-control"] == "no-store"
    mixed = await client.get(
        query='{ laws(asOf: "2030-01-01T00:00:00Z") { id } viewer { role } }', if_none_match="*"
    )
    assert mixed.status_code == 200 and "etag" not in mixed.headers


async def test_a_conditional_get_still_needs_credentials(client: Client) -> None:
    first = await client.get(query=USAGE, variables=PINNED)
    refused = await client.as_("not-a-key").get(
        query=USAGE, variables=PINNED, if_none_match=first.headers["etag"]
    )
    assert refused.status_code == 401 and "etag" not in refused.headers


async def test_a_log_head_written_before_the_last_change_was_kept_reads_as_its_sequence(
    api: Any, graph: Graph
) -> None:
    await base_world(api)
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (h:LogHead) REMOVE h.changed")).consume()
    seq = (await graph.query("MATCH (h:LogHead) RETURN h.seq AS seq"))[0]["seq"]
    assert await last_change(graph) == (seq, 0)
    investigator = await keys.create(graph, role="INVESTIGATOR")
    await api("{ viewer { role } }", token=investigator.secret)
    assert (await graph.query("MATCH (h:LogHead) RETURN h.seq AS seq"))[0]["seq"] == seq + 1
    assert await last_change(graph) == (seq, 0)
    await send(api, "publishAsset", asset("asset-1", 1))
    assert await last_change(graph) == (seq + 2, 0)
