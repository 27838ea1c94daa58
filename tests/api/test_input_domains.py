"""Values outside their domain, through the real API: every answer is an error with a code, a
mutation's refusal is a BAD_INPUT naming the field and writes nothing, and the edges of each domain
are recorded and read back as sent."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pycountry
import pytest

from likeness.ingest.bulk import import_lines
from tests.factories import asset, base_world, capture, consent, mutation, person, send, twin

COUNT = (
    "MATCH (n) WHERE NOT n:LogEntry AND NOT n:LogHead RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels"
)
COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)


def payment(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "payment-x",
        "consentId": "consent-use",
        "amount": "100.00",
        "currency": "EUR",
        "paidAt": "2025-03-01T00:00:00Z",
    }
    return base | changes


def compensation(amount: str) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR", "basis": "FLAT"}


def tomorrow_everywhere() -> str:
    return (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


BAD_WRITES = [
    ("recordPayment", payment(amount="1E+999998"), "amount"),
    ("recordPayment", payment(amount="1e-999999"), "amount"),
    ("recordPayment", payment(amount="NaN"), "amount"),
    ("recordPayment", payment(amount="-Infinity"), "amount"),
    ("recordPayment", payment(amount="-5"), "amount"),
    ("recordPayment", payment(amount="0.00001"), "amount"),
    ("recordPayment", payment(amount="1000000000000000"), "amount"),
    ("grantConsent", consent("consent-x", compensation=compensation("1E+999998")), "compensation.amount"),
    ("recordPayment", payment(currency="XXX"), "currency"),
    ("recordPayment", payment(currency="XAU"), "currency"),
    ("recordPayment", payment(currency="XTS"), "currency"),
    ("recordPayment", payment(currency="XDR"), "currency"),
    ("publishAsset", asset("asset-x", 9, publishedAt="0001-01-01T00:00:00+14:00"), "publishedAt"),
    ("recordCapture", capture("capture-x", n=9) | {"capturedAt": "9999-12-31T23:59:59-01:00"}, "capturedAt"),
    ("grantConsent", consent("consent-x", validUntil="9999-12-31T23:00:00-02:00"), "validUntil"),
    ("registerPerson", person("person-x", birthDate=tomorrow_everywhere()), "birthDate"),
    ("publishAsset", asset("asset-x", 9, contentTags=[f"tag-{n}" for n in range(101)]), "contentTags"),
    ("publishAsset", asset("asset-x", 9, twinIds=[f"twin-{n}" for n in range(101)]), "twinIds"),
    ("publishAsset", asset("asset-x", 9, territories=[*COUNTRIES, "SE"]), "territories"),
    ("registerPerson", person("person-x", name="N" * 501), "name"),
    (
        "reportSighting",
        {"id": "s-x", "url": "u" * 2001, "observedAt": "2025-03-01T00:00:00Z", "phash": "f0f0f0f0f0f0f0f0"},
        "url",
    ),
    ("grantConsent", consent("consent-x", description="d" * 10_001), "description"),
]


async def graph_size(graph: Any) -> tuple[int, int]:
    row = (await graph.query(COUNT))[0]
    return row["nodes"], row["rels"]


async def published_world(api: Any) -> None:
    await base_world(api)
    await send(api, "publishAsset", asset())


async def test_every_value_outside_its_domain_is_a_bad_input_naming_the_field_and_writes_nothing(
    api: Any, graph: Any
) -> None:
    await published_world(api)
    before = await graph_size(graph)
    for op, data, field in BAD_WRITES:
        errors = await api.errors(mutation(op), {"input": data})
        assert len(errors) == 1, (op, field, errors)
        extensions = errors[0].get("extensions", {})
        assert extensions == {"code": "BAD_INPUT", "field": field}, (op, field, errors)
        message = errors[0]["message"]
        assert message.startswith(f"{field}: ") and "(got " in message and len(message) < 400, message
    assert await graph_size(graph) == before


async def test_a_bulk_import_refuses_the_same_values_with_the_same_messages(api: Any, graph: Any) -> None:
    await published_world(api)
    before = await graph_size(graph)
    answered = []
    for op, data, _ in BAD_WRITES:
        answered.append((await api.errors(mutation(op), {"input": data}))[0]["message"])
    lines = [orjson.dumps({"op": op, "input": data}).decode() for op, data, _ in BAD_WRITES]
    summary = await import_lines(graph, lines, batch_size=5)
    assert summary.applied == 0 and summary.unchanged == 0
    # the API hands the contract a parsed Decimal, shown as Python writes it: 1e-999999 as 1E-999999
    assert [message.lower() for _, message in summary.rejected] == [message.lower() for message in answered]
    assert await graph_size(graph) == before


async def test_a_long_list_of_content_tags_is_refused_and_a_ten_megabyte_one_too(
    api: Any, graph: Any
) -> None:
    await published_world(api)
    before = await graph_size(graph)
    tags = ["tag-0123456789"] * 50_000
    errors = await api.errors(mutation("publishAsset"), {"input": asset("asset-x", 9, contentTags=tags)})
    assert errors[0]["extensions"] == {"code": "BAD_INPUT", "field": "contentTags"}
    assert "at most 100 values, not 50,000" in errors[0]["message"] and len(errors[0]["message"]) < 300
    response = await api.post(mutation("publishAsset"), {"input": asset("asset-x", 9, contentTags=tags * 14)})
    assert response.json().get("errors") and not internal(response), response.json()
    assert await graph_size(graph) == before


async def test_the_edges_of_each_domain_are_recorded_and_read_back(api: Any) -> None:
    await published_world(api)
    await send(api, "registerPerson", person("person-old", birthDate="0001-01-01"))
    await send(
        api, "recordCapture", capture("capture-old", n=5) | {"capturedAt": "0001-01-01T14:00:00+14:00"}
    )
    await send(
        api, "buildTwin", twin("twin-late", captures=["capture-old"], builtAt="9999-12-31T23:59:59.999999Z")
    )
    await send(
        api, "recordCapture", capture("capture-medieval", n=6) | {"capturedAt": "0999-06-01T12:00:00Z"}
    )
    await send(
        api, "recordPayment", payment(id="payment-most", amount="999999999999999.9999", currency="XOF")
    )
    await send(api, "recordPayment", payment(id="payment-least", amount="0.0001"))
    data = await api(
        """{
          person(id: "person-old") { birthDate }
          old: capture(id: "capture-old") { capturedAt }
          medieval: capture(id: "capture-medieval") { capturedAt }
          twin(id: "twin-late") { builtAt }
          most: payment(id: "payment-most") { amount currency }
          least: payment(id: "payment-least") { amount }
        }"""
    )
    assert data == {
        "person": {"birthDate": "0001-01-01"},
        "old": {"capturedAt": "0001-01-01T00:00:00+00:00"},
        "medieval": {"capturedAt": "0999-06-01T12:00:00+00:00"},
        "twin": {"builtAt": "9999-12-31T23:59:59.999999+00:00"},
        "most": {"amount": "999999999999999.9999", "currency": "XOF"},
        "least": {"amount": "0.0001"},
    }


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


CHECK = (
    'checkUsage(twinIds: ["twin-ada-1"], publisherId: "brand-nordhem", mediaType: IMAGE, channel: WEB, '
    'territories: ["SE"], at: $t) { permitted }'
)
# (the root field's selection with a DateTime variable $t, the argument it fills)
INSTANT_ARGUMENTS = [
    ('provenance(assetId: "asset-1", asOf: $t) { permitted }', "asOf"),
    ('liability(assetId: "asset-1", asOf: $t) { partyId }', "asOf"),
    ('likenessUsage(personId: "person-ada", asOf: $t) { totalCount }', "asOf"),
    ('likenessUsage(personId: "person-ada", from: $t) { totalCount }', "from"),
    ('likenessUsage(personId: "person-ada", to: $t) { totalCount }', "to"),
    ("audit(asOf: $t) { totalCount }", "asOf"),
    ("audit(filter: {from: $t}) { totalCount }", "from"),
    ("audit(filter: {to: $t}) { totalCount }", "to"),
    (CHECK, "at"),
    (CHECK.replace("at: $t", "asOf: $t"), "asOf"),
    ('usageHistory(organizationId: "brand-nordhem", asOf: $t) { expiringConsents { id } }', "asOf"),
    ('usageHistory(organizationId: "brand-nordhem", from: $t) { expiringConsents { id } }', "from"),
    ('compensation(personId: "person-ada", asOf: $t) { paidTotal }', "asOf"),
    ('compensation(personId: "person-ada", to: $t) { paidTotal }', "to"),
]
OUT_OF_RANGE = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-00:01", "2025-06-01T00:00:00"]


async def test_an_instant_argument_outside_years_0001_to_9999_in_utc_is_a_bad_input_naming_it(
    api: Any,
) -> None:
    await published_world(api)
    for selection, argument in INSTANT_ARGUMENTS:
        for moment in OUT_OF_RANGE:
            errors = await api.errors(f"query($t: DateTime) {{ {selection} }}", {"t": moment})
            assert [error.get("extensions") for error in errors] == [
                {"code": "BAD_INPUT", "field": argument}
            ], (selection, moment, errors)
            assert moment in errors[0]["message"]


FIRST, LAST = "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"
# a period's start may be the first instant and its end the last (each with the other end by default)
EDGES = {"asOf": [FIRST, LAST], "at": [FIRST, LAST], "from": [FIRST], "to": [LAST]}


async def test_an_instant_argument_at_the_edges_of_the_domain_answers(api: Any) -> None:
    await published_world(api)
    for selection, argument in INSTANT_ARGUMENTS:
        for moment in EDGES[argument]:
            if selection.startswith("checkUsage") and argument == "asOf" and moment == FIRST:
                continue  # no twin was built by then: a BAD_INPUT naming twinIds, rightly
            await api(f"query($t: DateTime) {{ {selection} }}", {"t": moment})


BAD_PAGES = [
    ('likenessUsage(personId: "person-ada", after: $a) { totalCount }', "garbage!"),
    ('likenessUsage(personId: "person-ada", after: $a) { totalCount }', ""),
    ('likenessUsage(personId: "person-ada", after: $a) { totalCount }', cursor("no separator")),
    (
        'likenessUsage(personId: "person-ada", after: $a) { totalCount }',
        cursor("2025-01-01T00:00:00|asset-1"),
    ),
    (
        'likenessUsage(personId: "person-ada", after: $a) { totalCount }',
        cursor("0001-01-01T00:00:00+14:00|a"),
    ),
    ("audit(after: $a) { totalCount }", "%%%é"),
    ("audit(after: $a) { totalCount }", cursor("9999-12-31T23:00:00-02:00|v")),
    ("audit(after: $a) { totalCount }", cursor("yesterday|v")),
    ("audit(after: $a) { totalCount }", base64.urlsafe_b64encode(b"\xff\xfe|x").decode()),
]


async def test_a_cursor_that_no_page_returned_is_a_bad_input_naming_after(api: Any) -> None:
    await published_world(api)
    for selection, after in BAD_PAGES:
        errors = await api.errors(f"query($a: String) {{ {selection} }}", {"a": after})
        assert [error.get("extensions") for error in errors] == [{"code": "BAD_INPUT", "field": "after"}], (
            selection,
            after,
            errors,
        )


async def test_a_page_size_outside_1_to_10000_is_a_bad_input_naming_first(api: Any) -> None:
    await published_world(api)
    for selection in [
        'likenessUsage(personId: "person-ada", first: $n) { totalCount }',
        "audit(first: $n) { totalCount }",
        'usageHistory(organizationId: "brand-nordhem", first: $n) { assets { consentIds } }',
    ]:
        for first in [0, -1, 10_001]:
            errors = await api.errors(f"query($n: Int!) {{ {selection} }}", {"n": first})
            assert [error.get("extensions") for error in errors] == [{"code": "BAD_INPUT", "field": "first"}]


def internal(response: Any) -> list[Any]:
    """The errors of an answer that are not a refusal of the caller's input (a crash, however shaped)."""
    assert response.status_code < 500, response.text
    errors = response.json().get("errors") or []
    return [
        error for error in errors if (error.get("extensions") or {}).get("code") in (None, "INTERNAL_ERROR")
    ]


# Literals that strawberry's own scalars (DateTime: dateutil.isoparse, Date: date.fromisoformat,
# Decimal: Decimal()) cannot parse are refused by graphql-core's variable and literal coercion before
# any resolver runs; the answer must still be an error with a code.
@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (
            'query($t: DateTime) { provenance(assetId: "asset-1", asOf: $t) { permitted } }',
            {"t": "10000-01-01T00:00:00Z"},
        ),
        ('{ provenance(assetId: "asset-1", asOf: "10000-01-01T00:00:00Z") { permitted } }', {}),
        (mutation("recordPayment"), {"input": payment(amount="abc")}),
        (mutation("registerPerson"), {"input": person("person-x", birthDate="0000-01-01")}),
    ],
    ids=["asOf-year-10000-variable", "asOf-year-10000-literal", "amount-abc", "birthDate-year-0"],
)
async def test_a_literal_strawberry_cannot_parse_answers_an_error_with_a_code(
    api: Any, document: str, variables: dict[str, Any]
) -> None:
    await published_world(api)
    response = await api.post(document, variables)
    assert response.json().get("errors") and not internal(response), response.json()


async def test_usage_history_as_of_the_last_day_answers(api: Any) -> None:
    await published_world(api)
    response = await api.post(
        'query($t: DateTime) { usageHistory(organizationId: "brand-nordhem", asOf: $t) '
        "{ expiringConsents { id } } }",
        {"t": "9999-12-31T23:59:59Z"},
    )
    assert not internal(response), response.json()


async def test_a_revocation_on_the_last_day_answers(api: Any) -> None:
    await published_world(api)
    revocation = {"consentId": "consent-use", "revokedAt": "9999-12-31T23:59:59Z"}
    response = await api.post(mutation("revokeConsent"), {"input": revocation})
    assert not internal(response), response.json()
