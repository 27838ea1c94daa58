"""Parsers for the scalar values of mutation inputs: each returns the canonical value or raises
InvalidInput naming the field, the value and what would be accepted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

from likeness.errors import InvalidInput

Parser = Callable[[str, Any], Any]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
MAX_TEXT = 10_000
MAX_ID = 200


def text(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(field, value, "expected a string")
    if len(value) > MAX_TEXT:
        raise InvalidInput(field, value, f"at most {MAX_TEXT} characters")
    return value


def name(field: str, value: Any) -> str:
    value = text(field, value).strip()
    if not value:
        raise InvalidInput(field, value, "must not be blank")
    return value


def identifier(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, value, "expected a non-empty id")
    if len(value) > MAX_ID or value != value.strip():
        raise InvalidInput(field, value, f"an id has at most {MAX_ID} characters and no surrounding spaces")
    return value


def instant(field: str, value: Any) -> str:
    """An ISO-8601 instant with an offset, canonicalised to UTC with a 'Z'."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            raise InvalidInput(
                field, value, "expected an ISO-8601 instant such as 2025-03-01T09:00:00Z"
            ) from None
    else:
        raise InvalidInput(field, value, "expected an ISO-8601 instant such as 2025-03-01T09:00:00Z")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidInput(field, value, "an instant needs a UTC offset, e.g. 'Z' or '+02:00'")
    return format_instant(parsed)


def format_instant(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(spec)


def parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def day(field: str, value: Any) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str):
        raise InvalidInput(field, value, "expected a date such as 1998-04-17")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidInput(field, value, "expected a date such as 1998-04-17") from None


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(field, value, "expected true or false")
    return value


def whole(low: int, high: int) -> Parser:
    def parse(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(field, value, "expected a whole number")
        if not low <= value <= high:
            raise InvalidInput(field, value, f"expected a whole number from {low} to {high}")
        return value

    return parse


def money(field: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidInput(field, value, 'expected a decimal amount such as "1500.00"')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(field, value, 'expected a decimal amount such as "1500.00"') from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(field, value, "expected a finite amount of zero or more")
    return f"{amount.normalize():f}"


def currency(field: str, value: Any) -> str:
    if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value.upper()) is None:
        raise InvalidInput(field, value, "expected an ISO 4217 currency code such as EUR or USD")
    return value.upper()


def sha256(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _HEX64.match(value.lower()):
        raise InvalidInput(field, value, "expected a SHA-256 digest: 64 hexadecimal characters")
    return value.lower()


def phash(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _HEX16.match(value.lower()):
        raise InvalidInput(field, value, "expected a 64-bit perceptual hash: 16 hexadecimal characters")
    return value.lower()


def country(field: str, value: Any) -> str:
    if (
        not isinstance(value, str)
        or len(value) != 2
        or pycountry.countries.get(alpha_2=value.upper()) is None
    ):
        raise InvalidInput(field, value, "expected an ISO 3166-1 alpha-2 country code such as SE or US")
    return value.upper()


def territory(field: str, value: Any) -> str:
    """A country code, or '*' for worldwide (consents only)."""
    if value == "*":
        return "*"
    return country(field, value)


def jurisdiction(field: str, value: Any) -> str:
    """An ISO 3166-1 country (NL) or ISO 3166-2 subdivision (US-NY)."""
    if isinstance(value, str) and "-" in value:
        if pycountry.subdivisions.get(code=value.upper()) is None:
            raise InvalidInput(field, value, "expected an ISO 3166-1 or 3166-2 code such as US or US-NY")
        return value.upper()
    return country(field, value)


def one_of(*values: str) -> Parser:
    def parse(field: str, value: Any) -> str:
        if value not in values:
            raise InvalidInput(field, value, f"expected one of {', '.join(values)}")
        return str(value)

    return parse


def tag(field: str, value: Any) -> str:
    value = name(field, value)
    if len(value) > MAX_ID:
        raise InvalidInput(field, value, f"a tag has at most {MAX_ID} characters")
    return value


def many(item: Parser, *, non_empty: bool = False) -> Parser:
    """A list canonicalised as sorted and without repeats (these lists are sets in the domain)."""

    def parse(field: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise InvalidInput(field, value, "expected a list")
        if non_empty and not value:
            raise InvalidInput(field, value, "expected at least one value")
        return sorted({item(f"{field}[{index}]", element) for index, element in enumerate(value)})

    return parse
