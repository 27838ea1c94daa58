"""Every mutation of the contract is idempotent on its id through the API: the same input twice gets the
same answer and changes nothing; a different input under the same id is a CONFLICT naming the field and
changes nothing. The mutations are listed from likeness/events/contract.py's SPECS, so a new one without
a case here fails the first test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from likeness.events.contract import SPECS
from tests.factories import asset, base_world, capture, consent, mutation, person, send, twin

SIGHTING = {
    "id": "sighting-1",
    "url": "https://gram.example/p/1",
    "observedAt": "2025-04-01T00:00:00Z",
    "phash": "f0f0f0f0f0f0f0f1",
    "platformId": "platform-gram",
}
NOTICE = {
    "id": "notice-1",
    "sightingId": "sighting-1",
    "platformId": "platform-gram",
    "sentById": "person-ada",
    "sentAt": "2025-04-02T00:00:00Z",
    "responseHours": 72,
}


@dataclass(frozen=True)
class Case:
    """A mutation's input, what must exist before it (beyond the base world), and one field changed."""

    data: dict[str, Any]
    changed: str
    value: Any
    before: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


CASES = {
    "registerPerson": Case(person("person-bo", name="Bo Lind"), "name", "Bo Lindqvist"),
    "registerOrganization": Case({"id": "brand-other", "name": "Other", "kind": "BRAND"}, "name", "Other AB"),
    "recordRepresentation": Case(
        {"agencyId": "agency-next", "personId": "person-ada", "since": "2024-01-01", "until": "2024-12-31"},
        "until",
        "2025-06-30",
    ),
    "recordCapture": Case(capture("capture-2", n=2), "kind", "VIDEO"),
    "buildTwin": Case(twin("twin-ada-2", version=2), "builtAt", "2025-02-02T00:00:00Z"),
    "grantConsent": Case(consent("consent-use-2"), "description", "Print only"),
    "revokeConsent": Case(
        {"consentId": "consent-use", "revokedAt": "2025-06-01T00:00:00Z"}, "revokedAt", "2025-07-01T00:00:00Z"
    ),
    "createCampaign": Case(
        {"id": "campaign-spring", "brandId": "brand-nordhem", "name": "Spring"}, "name", "Summer"
    ),
    "publishAsset": Case(asset(), "channel", "WEB"),
    "withdrawAsset": Case(
        {"assetId": "asset-1", "withdrawnAt": "2025-05-01T00:00:00Z"},
        "withdrawnAt",
        "2025-05-02T00:00:00Z",
        [("publishAsset", asset())],
    ),
    "reportSighting": Case(SIGHTING, "url", "https://gram.example/p/2"),
    "recordPayment": Case(
        {
            "id": "payment-1",
            "consentId": "consent-use",
            "amount": "2500.50",
            "currency": "EUR",
            "paidAt": "2025-04-01T00:00:00Z",
        },
        "amount",
        "2500.75",
    ),
    "sendTakedownNotice": Case(NOTICE, "responseHours", 48, [("reportSighting", SIGHTING)]),
    "recordNoticeResponse": Case(
        {"noticeId": "notice-1", "respondedAt": "2025-04-05T00:00:00Z", "outcome": "REMOVED"},
        "outcome",
        "REFUSED",
        [("reportSighting", SIGHTING), ("sendTakedownNotice", NOTICE)],
    ),
}

# everything the graph holds but the access log, which records every request, replays included
NODES = "MATCH (n) WHERE NOT n:LogEntry AND NOT n:LogHead RETURN labels(n) AS labels, properties(n) AS props"
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE NOT a:LogEntry AND NOT a:LogHead "
    "RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b"
)


async def content(graph: Any) -> list[str]:
    """The graph's nodes and relationships, as sorted text."""
    rows = await graph.query(NODES) + await graph.query(RELATIONSHIPS)
    return sorted(repr(sorted(row.items())) for row in rows)


# idempotent on their key in tests that send the file the mutation requires (a multipart request)
CASES_WITH_A_FILE = {"enrollLikeness"}  # tests/faces/test_enrolment.py::test_her_face_is_enrolled_…


def test_every_mutation_of_the_contract_has_a_case() -> None:
    covered = set(CASES) | CASES_WITH_A_FILE
    assert covered == set(SPECS), f"add idempotency cases for {sorted(set(SPECS) - covered)}"


@pytest.mark.parametrize("op", sorted(CASES))
async def test_the_same_input_twice_answers_the_same_and_another_input_conflicts(
    api: Any, graph: Any, op: str
) -> None:
    case = CASES[op]
    assert case.data.get(case.changed) != case.value, "the changed value must differ"
    await base_world(api)
    for before_op, data in case.before:
        await send(api, before_op, data)
    first = await send(api, op, case.data)
    written = await content(graph)

    assert await send(api, op, case.data) == first
    assert await content(graph) == written

    (error,) = await api.errors(mutation(op), {"input": {**case.data, case.changed: case.value}})
    assert error["extensions"]["code"] == "CONFLICT", error
    assert error["extensions"].get("field") == case.changed, error
    assert case.changed in error["message"], error
    assert await content(graph) == written
