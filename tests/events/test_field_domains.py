"""Every input value has a bounded domain: the event contract refuses what lies outside it with a
BAD_INPUT naming the field, the value (shortened) and what is accepted, and accepts the edges."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pycountry
import pytest

from likeness.errors import InvalidInput
from likeness.events import fields as f
from likeness.events.contract import parse_event
from tests.factories import asset, capture, consent, person

PAYMENT = {
    "id": "payment-1",
    "consentId": "consent-use",
    "amount": "100",
    "currency": "EUR",
    "paidAt": "2025-03-01T00:00:00Z",
}
SIGHTING = {
    "id": "sighting-1",
    "url": "https://example.com/a",
    "observedAt": "2025-03-01T00:00:00Z",
    "phash": "f0f0f0f0f0f0f0f0",
}


def refusal(op: str, data: dict[str, Any]) -> str:
    """The message of the contract's refusal of the event (which must be refused)."""
    with pytest.raises(InvalidInput) as refused:
        parse_event(op, data)
    assert refused.value.code == "BAD_INPUT"
    return refused.value.message


BAD_AMOUNTS = [
    "1E+999998",
    "1e-999999",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-0.01",
    "1000000000000000",
    "0.00001",
    "12.34567",
    "1e16",
    "abc",
    "",
    "9" * 101,
    True,
    float("inf"),
    0.1 + 0.2,
]


@pytest.mark.parametrize("amount", BAD_AMOUNTS, ids=repr)
def test_an_amount_outside_its_bounds_is_refused_for_payments_and_compensation(amount: Any) -> None:
    message = refusal("recordPayment", PAYMENT | {"amount": amount})
    assert message.startswith("amount: ")
    assert "decimal amount" in message or "999999999999999.9999" in message
    assert len(message) < 400
    terms = {"amount": amount, "currency": "EUR", "basis": "FLAT"}
    message = refusal("grantConsent", consent("consent-x", compensation=terms))
    assert message.startswith("compensation.amount: ")


@pytest.mark.parametrize(
    ("amount", "canonical"),
    [
        ("0.0001", "0.0001"),
        ("999999999999999.9999", "999999999999999.9999"),
        ("5000.00", "5000"),
        ("0", "0"),
        ("-0", "0"),
        ("0E-999999", "0"),
        ("1.5e3", "1500"),
        ("100000000000000000000E-10", "10000000000"),
        (Decimal("12.50"), "12.5"),
        (7, "7"),
        (1500.5, "1500.5"),
    ],
    ids=repr,
)
def test_an_amount_at_the_edges_is_accepted_in_canonical_form(amount: Any, canonical: str) -> None:
    assert parse_event("recordPayment", PAYMENT | {"amount": amount}).input["amount"] == canonical


def test_an_exponent_blow_up_is_refused_without_expanding_it() -> None:
    started = time.perf_counter()
    for amount in ["1E+999999999", "1E-999999999", Decimal("1E+999999999")]:
        with pytest.raises(InvalidInput):
            f.money("amount", amount)
    # expanded, each is a billion digits (a gigabyte, minutes of work); refused unexpanded it takes
    # microseconds: 5 s tells the two apart on any machine, however busy
    assert time.perf_counter() - started < 5.0


BAD_INSTANTS = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T13:59:59+14:00",
    "9999-12-31T23:59:59-00:01",
    "10000-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2025-03-01T12:00:00",
    "2025-03-01",
    "2025-02-30T00:00:00Z",
    "yesterday",
    "2025-03-01T12:00:00Z" + " " * 100,
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),
    datetime(2025, 3, 1),
    1_700_000_000,
]


@pytest.mark.parametrize("moment", BAD_INSTANTS, ids=repr)
def test_an_instant_outside_years_0001_to_9999_in_utc_or_without_offset_is_refused(moment: Any) -> None:
    message = refusal("publishAsset", asset() | {"publishedAt": moment})
    assert message.startswith("publishedAt: ")
    assert any(hint in message for hint in ("0001-01-01T00:00:00Z", "UTC offset", "ISO-8601"))


@pytest.mark.parametrize(
    ("moment", "canonical"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("0001-01-01T14:00:00+14:00", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"),
        ("9999-12-31T22:59:59-01:00", "9999-12-31T23:59:59Z"),
        ("0999-06-01T12:00:00.5+02:00", "0999-06-01T10:00:00.500000Z"),
        ("2025-03-01t09:00:00z", "2025-03-01T09:00:00Z"),
        (datetime(50, 1, 1, tzinfo=UTC), "0050-01-01T00:00:00Z"),
    ],
    ids=repr,
)
def test_an_instant_at_the_edges_is_accepted_in_utc_with_a_four_digit_year(
    moment: Any, canonical: str
) -> None:
    assert parse_event("publishAsset", asset() | {"publishedAt": moment}).input["publishedAt"] == canonical
    assert f.format_instant(f.parse_instant(canonical)) == canonical


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+14:00", "2025-03-01T12:00:00", "garbage", "9999-12-31T23:00:00-02:00"]
)
def test_parse_instant_refuses_a_caller_s_cursor_text_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        f.parse_instant(text)


@pytest.mark.parametrize("day", ["0000-01-01", "10000-01-01", "1998-02-30", "1998-4-17", 19980417, "x" * 70])
def test_a_date_outside_years_0001_to_9999_is_refused(day: Any) -> None:
    message = refusal("registerPerson", person("person-x", birthDate=day))
    assert message.startswith("birthDate: ") and "0001-01-01 to 9999-12-31" in message
    representation = {"agencyId": "agency-next", "personId": "person-ada", "since": day}
    assert refusal("recordRepresentation", representation).startswith("since: ")


def test_a_birth_date_in_the_future_is_refused_and_today_is_accepted() -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    message = refusal("registerPerson", person("person-x", birthDate=later))
    assert message.startswith("birthDate: ") and "not in the future" in message and later in message
    today = datetime.now(UTC).date().isoformat()
    assert parse_event("registerPerson", person("person-x", birthDate=today)).input["birthDate"] == today
    first = parse_event("registerPerson", person("person-x", birthDate=date(1, 1, 1)))
    assert first.input["birthDate"] == "0001-01-01"


NOT_MONEY = ["XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA", "XAD"]


@pytest.mark.parametrize("code", [*NOT_MONEY, "xau", "EURO", "HRK", "ZZZ", "", 978])
def test_a_currency_that_is_not_active_money_is_refused(code: Any) -> None:
    message = refusal("recordPayment", PAYMENT | {"currency": code})
    assert message.startswith("currency: ") and "ISO 4217" in message
    terms = {"amount": "10", "currency": code, "basis": "FLAT"}
    assert refusal("grantConsent", consent("consent-x", compensation=terms)).startswith(
        "compensation.currency: "
    )


@pytest.mark.parametrize("code", ["EUR", "usd", "CHF", "XOF", "XAF", "XCD", "XPF", "XCG", "CLF"])
def test_an_active_currency_is_accepted_upper_case(code: str) -> None:
    assert parse_event("recordPayment", PAYMENT | {"currency": code}).input["currency"] == code.upper()


COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)

LISTS = [
    ("publishAsset", asset(), "contentTags", [f"tag-{n}" for n in range(f.MAX_LIST)]),
    ("publishAsset", asset(), "twinIds", [f"twin-{n}" for n in range(f.MAX_LIST)]),
    ("publishAsset", asset(), "territories", COUNTRIES),
    ("grantConsent", consent("consent-x"), "territories", COUNTRIES),
    ("grantConsent", consent("consent-x"), "prohibitedContent", [f"tag-{n}" for n in range(f.MAX_LIST)]),
    ("grantConsent", consent("consent-x"), "twinIds", [f"twin-{n}" for n in range(f.MAX_LIST)]),
    ("grantConsent", consent("consent-x"), "channels", ["WEB"] * f.MAX_LIST),
    ("grantConsent", consent("consent-x"), "mediaTypes", ["IMAGE"] * f.MAX_LIST),
    ("recordCapture", capture(), "personIds", [f"person-{n}" for n in range(f.MAX_LIST)]),
    (
        "buildTwin",
        {"id": "twin-x", "personId": "person-ada", "vendorId": "v", "builtAt": "2025-01-01T00:00:00Z"},
        "captureIds",
        [f"capture-{n}" for n in range(f.MAX_LIST)],
    ),
]


@pytest.mark.parametrize(
    ("op", "base", "field", "full"), LISTS, ids=lambda x: x if isinstance(x, str) else ""
)
def test_a_list_over_its_cap_is_refused_and_one_at_the_cap_is_accepted(
    op: str, base: dict[str, Any], field: str, full: list[str]
) -> None:
    assert len(parse_event(op, base | {field: full}).input[field]) == len(set(full))
    message = refusal(op, base | {field: [*full, full[0]]})
    assert message.startswith(f"{field}: ") and f"at most {len(full)} values" in message


class Watched(list[str]):
    """A list that counts how often its items are read."""

    reads = 0

    def __iter__(self) -> Iterator[str]:
        self.reads += 1
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self.reads += 1
        return super().__getitem__(index)


def test_a_ten_megabyte_list_of_content_tags_is_refused_at_once_with_a_short_message() -> None:
    # "at once" as a count, not a time (parsing every item takes under a second, close to what a busy
    # machine takes for anything): the refusal reads none of the 700,000 items, a list at the cap is read
    tags = Watched(["tag-0123456789"] * 700_000)
    message = refusal("publishAsset", asset() | {"contentTags": tags})
    assert tags.reads == 0
    assert message.startswith("contentTags: ") and "700,000" in message and len(message) < 200
    read = Watched(["tag-1", "tag-2"])
    assert parse_event("publishAsset", asset() | {"contentTags": read}).input["contentTags"] == read
    assert read.reads > 0


TEXTS = [
    ("registerPerson", person("person-x"), "name", f.MAX_NAME),
    ("createCampaign", {"id": "c", "brandId": "b"}, "name", f.MAX_NAME),
    ("reportSighting", SIGHTING, "url", f.MAX_URL),
    ("grantConsent", consent("consent-x"), "description", f.MAX_TEXT),
    ("revokeConsent", {"consentId": "k", "revokedAt": "2025-06-01T00:00:00Z"}, "reason", f.MAX_TEXT),
    ("registerPerson", person("person-x"), "id", f.MAX_ID),
    ("publishAsset", asset(), "contentTags", f.MAX_TAG),
]


@pytest.mark.parametrize(
    ("op", "base", "field", "most"), TEXTS, ids=lambda x: x if isinstance(x, str) else ""
)
def test_a_text_over_its_cap_is_refused_and_one_at_the_cap_is_accepted(
    op: str, base: dict[str, Any], field: str, most: int
) -> None:
    listed = field == "contentTags"

    def value(length: int) -> Any:
        return ["t" * length] if listed else "t" * length

    assert parse_event(op, base | {field: value(most)}).input[field] == value(most)
    message = refusal(op, base | {field: value(most + 1)})
    assert message.startswith(f"{field}[0]: " if listed else f"{field}: ")
    assert f"at most {most:,} characters" in message and len(message) < 300


@pytest.mark.parametrize("op", [["publishAsset"], {"op": 1}, None, 7])
def test_an_op_that_is_not_a_string_is_refused_not_crashed_on(op: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_event(op, {})
    assert refused.value.field == "op"


def test_a_huge_value_of_the_wrong_type_is_shown_shortened() -> None:
    message = refusal("registerPerson", person("person-x") | {"name": list(range(1_000_000))})
    assert message.startswith("name: expected a string") and "1,000,000 items" in message
    assert len(message) < 200
