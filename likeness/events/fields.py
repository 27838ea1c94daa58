"""Parsers for the scalar values of mutation inputs: each returns the canonical value or raises
InvalidInput naming the field, the value (shortened) and what would be accepted.

Every value has a bounded domain, so that no input, from the API or from a bulk import, can store
an absurd value or make a later step (Neo4j, the rules, an export) fail:

- **amounts** (consent compensation, payments): a decimal from 0 to 999,999,999,999,999.9999, that
  is at most 15 digits before the point and 4 after (trailing zeros do not count: "5000.00" is
  5000). Any notation Python's Decimal reads is accepted ("1500.5", "1.5e3", a JSON number), an
  amount's text has at most 100 characters; NaN, Infinity, negative amounts and exponents that
  leave those digits ("1E+999998", "1e-999999") are refused. Canonical form: "1500.5", "0".
- **instants**: ISO-8601 with a UTC offset, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z
  *after* conversion to UTC (so 0001-01-01T00:00:00+14:00, which is in year 0 in UTC, is refused);
  that is Python's datetime range, which Neo4j's DateTime holds. Canonical form: UTC with a 'Z',
  the year always four digits ("0999-01-01T00:00:00Z").
- **dates**: ISO-8601 dates from 0001-01-01 to 9999-12-31; a birth date is not in the future
  anywhere on earth (not after today in UTC+14).
- **currencies**: active ISO 4217 codes that are money. The X-codes that are not (XXX no currency,
  XTS testing, the metals XAU, XAG, XPT and XPD, XDR, the bond market units XBA–XBD, XSU, XUA, XAD)
  are refused; the X-codes of real currencies (XAF, XCD, XCG, XOF, XPF) are accepted.
- **lists** (these are sets in the domain): at most 100 values (ids, media types, channels, tags),
  territories at most 249 (each ISO 3166-1 country once), counted before repeats are dropped.
- **text**: ids at most 200 characters, tags 200, names 500, emails 254, urls 2,000, free text
  (descriptions, reasons) 10,000.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, DecimalException
from typing import Any

import pycountry

from likeness.errors import InvalidInput

Parser = Callable[[str, Any], Any]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
MAX_TEXT = 10_000
MAX_NAME = 500
MAX_URL = 2_000
MAX_ID = 200
MAX_TAG = 200
MAX_LIST = 100
MAX_TERRITORIES = len(pycountry.countries)
AMOUNT_INTEGER_DIGITS = 15
AMOUNT_DECIMAL_PLACES = 4
MAX_AMOUNT_TEXT = 100
# longer than any ISO-8601 instant or date Python reads; refused before parsing
_MAX_TEMPORAL_TEXT = 64
# the X-codes of ISO 4217 that are real currencies; every other X-code is a metal, a unit of account,
# a testing code or "no currency"
_MONEY_X_CODES = frozenset({"XAF", "XCD", "XCG", "XOF", "XPF"})
# the latest offset in use (Kiribati): a date after today there is after today everywhere
_EARLIEST_TIMEZONE = timedelta(hours=14)

_INSTANT_EXAMPLE = "expected an ISO-8601 instant such as 2025-03-01T09:00:00Z"
_INSTANT_RANGE = "an instant lies from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z in UTC"
_DATE_EXAMPLE = "expected a date from 0001-01-01 to 9999-12-31 such as 1998-04-17"
_AMOUNT_EXAMPLE = 'expected a decimal amount such as "1500.00"'
_AMOUNT_RANGE = (
    f"expected an amount from 0 to {'9' * AMOUNT_INTEGER_DIGITS}.{'9' * AMOUNT_DECIMAL_PLACES}: "
    f"at most {AMOUNT_INTEGER_DIGITS} digits before the point and {AMOUNT_DECIMAL_PLACES} after"
)


def refuse(field: str, value: Any, reason: str) -> InvalidInput:
    """The refusal of a value, shown shortened whatever its type (a list may hold millions of items)
    and as the caller wrote it (an amount or an instant the API parsed is shown as text)."""
    if isinstance(value, Decimal):
        value = str(value)
    elif isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        shown = repr(value)
        if len(shown) > 80:
            count = f" ({len(value):,} items)" if isinstance(value, list | dict) else ""
            value = shown[:50] + "..." + count
    return InvalidInput(field, value, reason)


def _bounded_text(field: str, value: Any, most: int, what: str) -> str:
    if not isinstance(value, str):
        raise refuse(field, value, "expected a string")
    if len(value) > most:
        raise refuse(field, value, f"{what} has at most {most:,} characters, not {len(value):,}")
    return value


def text(field: str, value: Any) -> str:
    """Free text (a description, a reason): any string of at most MAX_TEXT characters."""
    return _bounded_text(field, value, MAX_TEXT, "a text")


def _non_blank(field: str, value: Any, most: int, what: str) -> str:
    value = _bounded_text(field, value, most, what).strip()
    if not value:
        raise refuse(field, value, "must not be blank")
    return value


def name(field: str, value: Any) -> str:
    """A name, without surrounding spaces and not blank."""
    return _non_blank(field, value, MAX_NAME, "a name")


def url(field: str, value: Any) -> str:
    """Where something was seen, without surrounding spaces and not blank."""
    return _non_blank(field, value, MAX_URL, "a url")


def identifier(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse(field, value, "expected a non-empty id")
    if len(value) > MAX_ID or value != value.strip():
        raise refuse(field, value, f"an id has at most {MAX_ID} characters and no surrounding spaces")
    return value


def in_utc(field: str, value: Any, moment: datetime) -> datetime:
    """The instant `moment` (given as `value`) in UTC; refused when it has no offset or leaves years
    0001–9999 in UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise refuse(field, value, "an instant needs a UTC offset, e.g. 'Z' or '+02:00'")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise refuse(field, value, _INSTANT_RANGE) from None


def instant(field: str, value: Any) -> str:
    """An ISO-8601 instant with an offset, canonicalised to UTC with a 'Z'."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= _MAX_TEMPORAL_TEXT:
        try:
            parsed = datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            raise refuse(field, value, f"{_INSTANT_EXAMPLE} ({_INSTANT_RANGE})") from None
    else:
        raise refuse(field, value, _INSTANT_EXAMPLE)
    return format_instant(in_utc(field, value, parsed))


def format_instant(moment: datetime) -> str:
    """An aware instant's canonical text: UTC, 'Z', a four-digit year, microseconds only when some."""
    moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds") + "Z"


def parse_instant(value: str) -> datetime:
    """The aware UTC instant of an instant's text; ValueError unless it has an offset and lies in
    years 0001–9999 in UTC (a cursor's text comes from the caller)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an instant needs a UTC offset: {value!r}")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{_INSTANT_RANGE}: {value!r}") from None


def _date(field: str, value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > _MAX_TEMPORAL_TEXT:
        raise refuse(field, value, _DATE_EXAMPLE)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise refuse(field, value, _DATE_EXAMPLE) from None


def day(field: str, value: Any) -> str:
    """An ISO-8601 date."""
    return _date(field, value).isoformat()


def birth_date(field: str, value: Any) -> str:
    """An ISO-8601 date that is not in the future anywhere on earth."""
    born = _date(field, value)
    latest = (datetime.now(UTC) + _EARLIEST_TIMEZONE).date()
    if born > latest:
        raise refuse(field, born.isoformat(), f"a birth date is not in the future (today is {latest})")
    return born.isoformat()


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise refuse(field, value, "expected true or false")
    return value


def whole(low: int, high: int) -> Parser:
    def parse(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(field, value, "expected a whole number")
        if not low <= value <= high:
            raise refuse(field, value, f"expected a whole number from {low} to {high}")
        return value

    return parse


def money(field: str, value: Any) -> str:
    """A decimal amount within the bounds above, canonical without trailing zeros ("1500.5")."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise refuse(field, value, _AMOUNT_EXAMPLE)
    if isinstance(value, str) and len(value) > MAX_AMOUNT_TEXT:
        raise refuse(field, value, f"{_AMOUNT_EXAMPLE}, of at most {MAX_AMOUNT_TEXT} characters")
    try:
        amount = Decimal(str(value))
    except DecimalException:
        raise refuse(field, value, _AMOUNT_EXAMPLE) from None
    sign, digits, exponent = amount.as_tuple()
    if not amount.is_finite() or not isinstance(exponent, int):
        raise refuse(field, value, f"{_AMOUNT_RANGE}; not NaN or Infinity")
    significant = len(digits)
    while significant and digits[significant - 1] == 0:
        significant -= 1
    if not significant:
        return "0"
    exponent += len(digits) - significant
    if sign:
        raise refuse(field, value, f"{_AMOUNT_RANGE}; not negative")
    # compared before any arithmetic: "1E+999998" must not become a million digits
    if significant + exponent > AMOUNT_INTEGER_DIGITS or -exponent > AMOUNT_DECIMAL_PLACES:
        raise refuse(field, value, _AMOUNT_RANGE)
    return f"{Decimal((0, digits[:significant], exponent)):f}"


def currency(field: str, value: Any) -> str:
    if (
        not isinstance(value, str)
        or len(value) != 3
        or pycountry.currencies.get(alpha_3=value.upper()) is None
        or (value.upper().startswith("X") and value.upper() not in _MONEY_X_CODES)
    ):
        raise refuse(
            field,
            value,
            "expected an ISO 4217 code of a currency such as EUR or USD "
            "(not XXX, XTS, a metal such as XAU, or a unit of account such as XDR)",
        )
    return value.upper()


def sha256(field: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) != 64 or not _HEX64.match(value.lower()):
        raise refuse(field, value, "expected a SHA-256 digest: 64 hexadecimal characters")
    return value.lower()


def phash(field: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) != 16 or not _HEX16.match(value.lower()):
        raise refuse(field, value, "expected a 64-bit perceptual hash: 16 hexadecimal characters")
    return value.lower()


def country(field: str, value: Any) -> str:
    if (
        not isinstance(value, str)
        or len(value) != 2
        or pycountry.countries.get(alpha_2=value.upper()) is None
    ):
        raise refuse(field, value, "expected an ISO 3166-1 alpha-2 country code such as SE or US")
    return value.upper()


def territory(field: str, value: Any) -> str:
    """A country code, or '*' for worldwide (consents only)."""
    if value == "*":
        return "*"
    return country(field, value)


def jurisdiction(field: str, value: Any) -> str:
    """An ISO 3166-1 country (NL) or ISO 3166-2 subdivision (US-NY)."""
    if isinstance(value, str) and "-" in value:
        if len(value) > 6 or pycountry.subdivisions.get(code=value.upper()) is None:
            raise refuse(field, value, "expected an ISO 3166-1 or 3166-2 code such as US or US-NY")
        return value.upper()
    return country(field, value)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254


def email(field: str, value: Any) -> str:
    """An email address: one '@', a dotted domain, no spaces, at most 254 characters."""
    if not isinstance(value, str) or len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise refuse(field, value, "expected an email address such as notices@example.org")
    return value


def real(low: float, high: float) -> Parser:
    """A finite number from `low` to `high` (a JSON integer is read as its float), canonical as a float."""

    def parse(field: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse(field, value, f"expected a number from {low:g} to {high:g}")
        if isinstance(value, int) and abs(value) > 2**53:
            raise refuse(field, value, f"expected a number from {low:g} to {high:g}")
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            raise refuse(field, value, f"expected a finite number from {low:g} to {high:g}")
        return number

    return parse


def one_of(*values: str) -> Parser:
    def parse(field: str, value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise refuse(field, value, f"expected one of {', '.join(values)}")
        return value

    return parse


def tag(field: str, value: Any) -> str:
    """A content tag: a short name ("political", "swimwear")."""
    return _non_blank(field, value, MAX_TAG, "a tag")


def many(item: Parser, *, non_empty: bool = False) -> Parser:
    """A list canonicalised as sorted and without repeats (these lists are sets in the domain), of at
    most MAX_LIST values, or MAX_TERRITORIES for a list of countries."""
    most = MAX_TERRITORIES if item in (country, territory) else MAX_LIST

    def parse(field: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise refuse(field, value, "expected a list")
        if non_empty and not value:
            raise refuse(field, value, "expected at least one value")
        if len(value) > most:
            raise refuse(field, value, f"a list of at most {most} values, not {len(value):,}")
        return sorted({item(f"{field}[{index}]", element) for index, element in enumerate(value)})

    return parse


# the largest picture side a face box may reach: far above any picture the budget lets be decoded
MAX_PICTURE_SIDE = 1_000_000


def face_box(field: str, value: Any) -> list[int]:
    """A face's box in pixels of the upright picture: [left, top, right, bottom], left < right and
    top < bottom."""
    if not isinstance(value, list) or len(value) != 4:
        raise refuse(field, value, "expected a box [left, top, right, bottom] of four whole numbers")
    sides = [whole(0, MAX_PICTURE_SIDE)(f"{field}[{index}]", side) for index, side in enumerate(value)]
    left, top, right, bottom = sides
    if left >= right or top >= bottom:
        raise refuse(field, value, "a box has left < right and top < bottom")
    return sides
