"""The fast execution (likeness.execution.fastexec) answers as graphql-core's default execution does.

Every scenario runs one document through the fast execution and through graphql-core's general path
alone, and compares the two answers as JSON bytes — data, key order, errors with their messages, paths,
locations and extensions. Both executions are built explicitly, so the scenarios mean the same whatever
LIKENESS_FASTEXEC says. Most scenarios answer `audit` from memory (a test root over the shipped types and
extensions), so the values can be anything a resolver might return, broken ones included; the last ones
go through HTTP against the demo world in Neo4j, with the app built once per setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
import strawberry
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from graphql.execution.collect_fields import FragmentDetails
from strawberry.types import Info

from likeness.app import create_app
from likeness.config import Settings
from likeness.errors import InvalidInput
from likeness.execution import build, fastexec
from likeness.execution.fastexec import FastExecutionContext
from likeness.schema.enums import LiabilityRole
from likeness.schema.results import CodeCount, PageInfo, VerdictConnection, VerdictEdge
from likeness.schema.verdicts import Liability, Verdict
from tests.conftest import ADMIN_TOKEN

PAGE = """query Page($first: Int!) {
  audit(first: $first) {
    totalCount countsByCode { code count }
    edges { cursor node { code subjectId liable { partyId role } consentIds failedClauses evidence explanation
                          holdsFrom holdsUntil } }
    pageInfo { hasNextPage endCursor } }
}"""

Build = Callable[[], Any]


@strawberry.type(name="Query")
class MemoryQuery:
    """A root whose `audit` answers with what the scenario builds (the context), afresh per execution."""

    @strawberry.field
    async def audit(self, info: Info[Build, None], first: int = 100) -> VerdictConnection:
        return info.context()


def memory_schema(execution: type[FastExecutionContext] | None) -> strawberry.Schema:
    """The shipped types and extensions under the memory root, executed by `execution` (None: graphql-core's
    general path alone, as strawberry does by default)."""
    return strawberry.Schema(
        query=MemoryQuery,
        types=[Verdict],
        extensions=list(build.schema.extensions),
        execution_context_class=execution,
    )


FAST, DEFAULT = memory_schema(FastExecutionContext), memory_schema(None)


def verdict(i: int, **changes: Any) -> Verdict:
    fields: dict[str, Any] = {
        "code": "NO_CONSENT",
        "subject_id": strawberry.ID(f"asset-{i:04d}"),
        "liable": [
            Liability(party_id=strawberry.ID("brand-1"), role=LiabilityRole.PRIMARY),
            Liability(party_id=strawberry.ID("vendor-2"), role=LiabilityRole.SECONDARY),
        ],
        "consent_ids": [strawberry.ID(f"consent-{i}")],
        "failed_clauses": ["grantee", "territory"],
        "evidence": [f"asset-{i:04d}", "PUBLISHED_BY", "brand-1"],
        "explanation": f"Verdict {i}.",
        "holds_from": datetime(2026, 1, 1, tzinfo=UTC),
        "holds_until": None,
    }
    fields.update(changes)
    return Verdict(**fields)


def page(verdicts: list[Verdict]) -> VerdictConnection:
    return VerdictConnection(
        total_count=len(verdicts),
        counts_by_code=[CodeCount(code="NO_CONSENT", count=len(verdicts))],
        edges=[VerdictEdge(cursor=f"cursor-{i}", node=v) for i, v in enumerate(verdicts)],
        page_info=PageInfo(has_next_page=False, end_cursor=None),
    )


class Memory:
    """What `audit` answers in the current scenario."""

    build: Build = staticmethod(lambda: page([]))


@pytest.fixture
def answer_audit(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Build], None]]:
    """Make `audit` answer with what the given function builds, afresh for every execution."""

    def answering(build: Build) -> None:
        monkeypatch.setattr(Memory, "build", staticmethod(build))

    yield answering


async def execute(schema: strawberry.Schema, document: str, variables: dict[str, Any] | None = None) -> Any:
    return await schema.execute(
        document, variable_values=variables or {"first": 10}, context_value=Memory.build
    )


async def both(document: str, variables: dict[str, Any] | None = None) -> tuple[bytes, bytes]:
    """The answers of the fast execution and of the default one, each as the JSON a client gets."""
    answers = []
    for schema in (FAST, DEFAULT):
        result = await execute(schema, document, variables)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        answers.append(orjson.dumps(body))
    return answers[0], answers[1]


async def assert_same(document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    fast, default = await both(document, variables)
    assert fast == default
    answer: dict[str, Any] = orjson.loads(fast)
    return answer


def test_the_fast_execution_is_a_setting_that_leaves_the_schema_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, default = build.build_schema(fast=True), build.build_schema(fast=False)
    assert fast.execution_context_class is FastExecutionContext
    assert not issubclass(default.execution_context_class, FastExecutionContext)
    assert fast.as_str() == default.as_str()
    assert build.schema is fast  # the SDL's and the tools' schema
    monkeypatch.setenv("LIKENESS_FASTEXEC", "0")
    assert Settings().likeness_fastexec is False
    monkeypatch.delenv("LIKENESS_FASTEXEC")
    assert Settings().likeness_fastexec is True


async def test_a_page_of_plain_verdicts_is_answered_alike(answer_audit: Any) -> None:
    answer_audit(lambda: page([verdict(i) for i in range(50)]))
    answer = await assert_same(PAGE)
    assert "errors" not in answer
    edges = answer["data"]["audit"]["edges"]
    assert len(edges) == 50
    assert edges[3]["node"]["liable"] == [
        {"partyId": "brand-1", "role": "PRIMARY"},
        {"partyId": "vendor-2", "role": "SECONDARY"},
    ]
    assert edges[3]["node"]["holdsFrom"] == "2026-01-01T00:00:00+00:00"


async def test_a_null_in_a_non_null_field_errors_at_its_path_and_nulls_up_to_the_nullable_parent(
    answer_audit: Any,
) -> None:
    answer_audit(lambda: page([verdict(0), verdict(1, code=None), verdict(2)]))
    answer = await assert_same(PAGE)
    assert answer["data"] is None  # Verdict.code! → node! → [VerdictEdge!]! → audit! → data
    [error] = answer["errors"]
    assert error["path"] == ["audit", "edges", 1, "node", "code"]
    assert error["message"] == "Cannot return null for non-nullable field Verdict.code."


async def test_a_null_in_a_nested_non_null_list_item_errors_at_its_index(answer_audit: Any) -> None:
    broken = [Liability(party_id=strawberry.ID("brand-1"), role=LiabilityRole.PRIMARY), None]
    answer_audit(lambda: page([verdict(0), verdict(1, liable=broken)]))
    answer = await assert_same(PAGE)
    assert answer["errors"][0]["path"] == ["audit", "edges", 1, "node", "liable", 1]


async def test_values_the_scalars_refuse_error_alike(answer_audit: Any) -> None:
    answer_audit(
        lambda: page([verdict(0, explanation=["not", "a", "string"]), verdict(1, holds_from="yesterday")])
    )
    answer = await assert_same(PAGE)
    assert [error["path"] for error in answer["errors"]] == [["audit", "edges", 0, "node", "explanation"]]
    assert answer["errors"][0]["message"].startswith("String cannot represent value")


async def test_a_nullable_field_that_fails_is_nulled_alone(answer_audit: Any) -> None:
    answer_audit(lambda: page([verdict(0, holds_until="not a datetime"), verdict(1)]))
    answer = await assert_same(PAGE)
    assert answer["data"]["audit"]["edges"][0]["node"]["holdsUntil"] is None
    assert answer["data"]["audit"]["edges"][1]["node"]["code"] == "NO_CONSENT"
    assert answer["errors"][0]["path"] == ["audit", "edges", 0, "node", "holdsUntil"]


async def test_enum_values_that_are_not_members_are_coerced_or_refused_alike(answer_audit: Any) -> None:
    odd = [
        Liability(party_id=strawberry.ID("brand-1"), role="SECONDARY"),  # type: ignore[arg-type]  # its value
        Liability(party_id=strawberry.ID("brand-2"), role="CHIEF"),
    ]  # type: ignore[arg-type]  # no such value
    answer_audit(lambda: page([verdict(0), verdict(1, liable=odd)]))
    answer = await assert_same(PAGE)
    [error] = answer["errors"]
    assert error["path"] == ["audit", "edges", 1, "node", "liable", 1, "role"]


async def test_values_coerced_rather_than_passed_through_are_answered_alike(answer_audit: Any) -> None:
    # an int ID, a str subclass, a tuple for a list, a generator for a list, an int where a string is asked
    class Text(str):
        pass

    answer_audit(
        lambda: page(
            [
                verdict(
                    0,
                    subject_id=1234,
                    explanation=Text("subclassed"),
                    evidence=("a", "b"),
                    failed_clauses=(c for c in ["x", "y"]),
                    code=7,
                )
            ]
        )
    )
    answer = await assert_same(PAGE)
    node = answer["data"]["audit"]["edges"][0]["node"]
    assert (
        node["subjectId"],
        node["explanation"],
        node["evidence"],
        node["failedClauses"],
        node["code"],
    ) == ("1234", "subclassed", ["a", "b"], ["x", "y"], "7")


async def test_an_exception_or_an_awaitable_held_as_a_value_is_completed_as_graphql_core_does(
    answer_audit: Any,
) -> None:
    async def later() -> str:
        return "explained later"

    answer_audit(
        lambda: page([verdict(0, explanation=later()), verdict(1, holds_until=ValueError("no end"))])
    )
    answer = await assert_same(PAGE)
    assert answer["data"]["audit"]["edges"][0]["node"]["explanation"] == "explained later"
    assert answer["errors"][0]["message"] == "no end"
    assert answer["errors"][0]["path"] == ["audit", "edges", 1, "node", "holdsUntil"]


async def test_skip_and_include_aliases_fragments_and_typename_are_answered_alike(answer_audit: Any) -> None:
    document = """query Page($first: Int!, $withParties: Boolean!, $terse: Boolean!) {
      __typename
      audit(first: $first) {
        __typename
        rows: edges {
          node {
            ...Basics
            kind: __typename
            subject: subjectId
            explanation @skip(if: $terse)
            liable @include(if: $withParties) { ... on Liability { who: partyId role } __typename }
            liable @include(if: $withParties) { partyId }
            evidence @include(if: $terse)
          }
        }
        again: edges { node { code } }
      }
    }
    fragment Basics on Verdict { code failedClauses code }"""
    answer_audit(lambda: page([verdict(i) for i in range(3)]))
    for with_parties in (True, False):
        for terse in (True, False):
            answer = await assert_same(document, {"first": 3, "withParties": with_parties, "terse": terse})
            node = answer["data"]["audit"]["rows"][0]["node"]
            assert list(node)[:4] == ["code", "failedClauses", "kind", "subject"]
            assert ("liable" in node) is with_parties and ("explanation" in node) is not terse
    assert node["kind"] == "Verdict"
    assert answer["data"]["__typename"] == "Query"


async def test_a_domain_error_keeps_its_code_through_the_extension(answer_audit: Any) -> None:
    def refusing() -> Any:
        raise InvalidInput("first", 5000, "at most 1000")

    answer_audit(refusing)
    answer = await assert_same(PAGE)
    assert answer["errors"][0]["extensions"] == {"code": InvalidInput.code, "field": "first"}


async def test_a_plain_page_is_completed_without_graphql_core_s_per_field_machinery(
    answer_audit: Any,
) -> None:
    fields_resolved = []

    class Counting(FastExecutionContext):
        def execute_field(self, parent_type: Any, *args: Any, **kwargs: Any) -> Any:
            fields_resolved.append(parent_type.name)
            return super().execute_field(parent_type, *args, **kwargs)

    counting = memory_schema(Counting)
    answer_audit(lambda: page([verdict(i) for i in range(200)]))
    result = await execute(counting, PAGE, {"first": 200})
    assert not result.errors
    assert fields_resolved == ["Query"]  # `audit`'s resolver; all below it is plain


# ---- plans shared by the requests executing the same document -------------------------------------------


def counting_schema(planned: list[str]) -> strawberry.Schema:
    """The fast execution, noting the name of every field it plans."""

    class Counting(FastExecutionContext):
        def _plain_field(self, parent_type: Any, details: Any) -> Any:
            planned.append(details[0].node.name.value)
            return super()._plain_field(parent_type, details)

    return memory_schema(Counting)


async def test_a_document_is_planned_once_per_process(answer_audit: Any) -> None:
    planned: list[str] = []
    counting = counting_schema(planned)
    answer_audit(lambda: page([verdict(i) for i in range(5)]))
    first = await execute(counting, PAGE, {"first": 5})
    assert not first.errors
    assert "explanation" in planned
    planned.clear()
    again = await execute(counting, PAGE, {"first": 7})  # a variable no directive reads
    assert not again.errors
    assert planned == []
    assert again.data == first.data
    other = PAGE.replace("explanation", "why: explanation")  # another document: planned for itself
    answered = await execute(counting, other, {"first": 5})
    assert answered.data is not None
    assert answered.data["audit"]["edges"][0]["node"]["why"]
    assert "explanation" in planned
    planned.clear()
    await execute(counting, PAGE, {"first": 5})
    assert planned == []


SKIPPING = """query Page($first: Int!, $withParties: Boolean!, $terse: Boolean!) {
  audit(first: $first) {
    edges {
      node {
        code
        ... on Verdict @include(if: $withParties) { liable { partyId role } }
        ...Detail @skip(if: $terse)
        ... @include(if: true) { subjectId }
        ... @skip(if: true) { consentIds }
      }
    }
  }
}
fragment Detail on Verdict { explanation evidence }"""


async def test_skip_and_include_in_a_plain_subtree_are_answered_per_request_variables(
    answer_audit: Any,
) -> None:
    # the directives sit on fragments below `node`, whose whole subtree is answered directly: its plan
    # depends on the variables, and each request must get the fields its own values select
    answer_audit(lambda: page([verdict(i) for i in range(3)]))
    settings = [(True, False), (False, True), (True, True), (False, False)]
    for _ in range(2):  # the second round finds every variant planned
        for with_parties, terse in settings:
            answer = await assert_same(SKIPPING, {"first": 3, "withParties": with_parties, "terse": terse})
            node = answer["data"]["audit"]["edges"][2]["node"]
            expected = [
                "code",
                *(["liable"] if with_parties else []),
                *([] if terse else ["explanation", "evidence"]),
                "subjectId",
            ]
            assert list(node) == expected


async def test_variants_beyond_the_kept_number_are_planned_again_and_answered_alike(
    answer_audit: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fastexec, "_VARIANTS_KEPT", 1)
    answer_audit(lambda: page([verdict(i) for i in range(2)]))
    for terse in (True, False, True, False):
        answer = await assert_same(SKIPPING, {"first": 2, "withParties": False, "terse": terse})
        assert ("explanation" in answer["data"]["audit"]["edges"][0]["node"]) is not terse


async def test_different_documents_interleaved_are_answered_alike(answer_audit: Any) -> None:
    answer_audit(lambda: page([verdict(i) for i in range(4)]))
    other = """query Page($first: Int!) { audit(first: $first) { edges { node { subjectId code
                 parties: liable { role } } } totalCount } }"""
    for _ in range(3):
        assert "errors" not in await assert_same(PAGE, {"first": 4})
        answer = await assert_same(other, {"first": 4})
        assert answer["data"]["audit"]["edges"][1]["node"]["parties"] == [
            {"role": "PRIMARY"},
            {"role": "SECONDARY"},
        ]


async def test_errors_are_shaped_alike_when_the_plans_were_made_by_an_earlier_request(
    answer_audit: Any,
) -> None:
    answer_audit(lambda: page([verdict(i) for i in range(3)]))
    assert "errors" not in await assert_same(PAGE)
    broken = [Liability(party_id=strawberry.ID("brand-1"), role=LiabilityRole.PRIMARY), None]
    answer_audit(
        lambda: page([verdict(0, code=None), verdict(1, liable=broken), verdict(2, explanation=["no"])])
    )
    for _ in range(2):
        answer = await assert_same(PAGE)
        assert answer["data"] is None
        assert answer["errors"][0]["path"] == ["audit", "edges", 0, "node", "code"]
    answer_audit(lambda: page([verdict(0, holds_until="never"), verdict(1, explanation=["no"])]))
    answer = await assert_same(PAGE)
    assert [error["path"] for error in answer["errors"]] == [
        ["audit", "edges", 0, "node", "holdsUntil"],
        ["audit", "edges", 1, "node", "explanation"],
    ]


async def test_the_kept_documents_are_bounded(answer_audit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastexec, "_DOCUMENTS_KEPT", 2)
    answer_audit(lambda: page([verdict(i) for i in range(2)]))
    documents = [PAGE.replace("explanation", f"e{n}: explanation") for n in range(4)]
    for document in documents * 2:
        answer = await assert_same(document, {"first": 2})
        assert "errors" not in answer
        assert len(fastexec._documents) <= 2
    # each kept entry holds the nodes its keys name
    for kept in fastexec._documents.values():
        assert isinstance(kept.nodes[0], OperationDefinitionNode)


def conditions(document: str) -> tuple[str, ...] | None:
    parsed = parse(document)
    [operation] = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: FragmentDetails(d, None)
        for d in parsed.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    return fastexec._conditions(operation, fragments)


def test_plans_are_shared_only_when_skip_and_include_alone_decide_what_is_collected() -> None:
    assert conditions(PAGE) == ()
    assert conditions(SKIPPING) == ("terse", "withParties")
    assert conditions(
        "query($a: Boolean!) { x { y @include(if: $a) } ...F } fragment F on Q { z @skip(if: $a) }"
    ) == ("a",)
    assert conditions("{ x { ... @defer { y } } }") is None
    assert conditions("{ x { y } ...F } fragment F on Q { z @stream }") is None
    assert conditions("query @custom { x }") is None


# ---- through HTTP, against the demo world ----------------------------------------------------------

AS_OF = "2026-07-01T00:00:00Z"
DOCUMENTS: list[tuple[str, dict[str, Any]]] = [
    (
        """query($asOf: DateTime) { audit(asOf: $asOf, first: 100) {
          totalCount countsByCode { code count }
          edges { cursor node { __typename code subjectId liable { partyId role } failedClauses consentIds
                                evidence explanation holdsFrom holdsUntil } }
          pageInfo { hasNextPage endCursor } } }""",
        {"asOf": AS_OF},
    ),
    (
        """query($id: ID!, $asOf: DateTime) { provenance(assetId: $id, asOf: $asOf) {
          asOf asset { id sha256 publishedAt territories twins { id } publisher { id name kind } }
          twins { id } captures { id kind }
          persons { id name birthDate captures { nodes { id } } consents { nodes { id } } }
          vendors { id name } publisher { id } campaign { id name }
          consents { id purpose validUntil revokedAt }
          verdicts { code liable { partyId role } failedClauses evidence explanation } liable { partyId role }
          permitted } }""",
        {"id": "asset-maren-liv-knockoff", "asOf": AS_OF},
    ),
    (
        """{ person(id: "person-liv-aberg") { id name birthDate jurisdiction twins { nodes { id } }
          consents { totalCount edges { cursor node { id signedAt } } pageInfo { hasNextPage endCursor } }
          agencies { id name } } }""",
        {},
    ),
    (  # the publishers read along with the pages (fastexec.READ_ALONG), and a resolver's own below them
        """{ organization(id: "brand-nordhem") { assets(first: 30, orderBy: {direction: DESC}) {
          totalCount nodes { id channel publisher { id name kind } campaign { id } } } }
          twin(id: "twin-liv-v1") { assets { nodes { id publisher { __typename id name } } } } }""",
        {},
    ),
]


async def post_to(
    graph: Any, settings: Settings, fast: bool, document: str, variables: dict[str, Any]
) -> bytes:
    """The body the app built with `likeness_fastexec=fast` answers to the document."""
    app = create_app(settings.model_copy(update={"likeness_fastexec": fast}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    assert response.status_code == 200
    return response.content


@pytest.fixture
def fast_selections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The types of the selections the fast execution answers, in order (none: the default one answered)."""
    answered: list[str] = []
    original = FastExecutionContext.execute_fields

    def noting(self: FastExecutionContext, parent_type: Any, *args: Any) -> Any:
        answered.append(parent_type.name)
        return original(self, parent_type, *args)

    monkeypatch.setattr(FastExecutionContext, "execute_fields", noting)
    return answered


async def test_the_demo_world_is_answered_alike_through_http_by_either_setting(
    demo: Any,
    settings: Settings,
    fast_selections: list[str],
) -> None:
    for document, variables in DOCUMENTS:
        fast = await post_to(demo, settings, True, document, variables)
        assert fast_selections  # the app built with the setting on executes fast
        fast_selections.clear()
        default = await post_to(demo, settings, False, document, variables)
        assert fast_selections == []  # ... and with it off, graphql-core's own execution
        assert fast == default
        assert not orjson.loads(fast).get("errors"), fast[:500]
