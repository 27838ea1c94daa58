"""Arguments every query shares: as-of instants, time ranges, page sizes and cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from likeness.errors import InvalidInput
from likeness.events.fields import in_utc, parse_instant
from likeness.graph.verdict_counts import WHOLE_PERIOD

MAX_PAGE = 10_000
# the period a query names when it names none (the audit's count buckets answer at least this one)
FAR_PAST, FAR_FUTURE = WHOLE_PERIOD


def instant_arg(name: str, value: datetime | None, default: datetime | None = None) -> datetime:
    """An instant argument in UTC; refused when naive (an instant needs its offset) or outside years
    0001–9999 in UTC (0001-01-01T00:00:00+14:00 is)."""
    if value is None:
        return default if default is not None else datetime.now(UTC)
    return in_utc(name, value.isoformat(), value)


def as_of_arg(value: datetime | None) -> datetime:
    """The `asOf` argument of a query: the instant its answer is read as of (default now), in UTC."""
    return instant_arg("asOf", value)


def range_args(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    begin = instant_arg("from", start, FAR_PAST)
    finish = instant_arg("to", end, FAR_FUTURE)
    if finish <= begin:
        raise InvalidInput("to", finish.isoformat(), f"must be after from ({begin.isoformat()})")
    return begin, finish


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", first, f"expected a page size from 1 to {MAX_PAGE}")
    return first


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode()


def decode_cursor(cursor: str | None, arity: int) -> list[str] | None:
    if cursor is None:
        return None
    try:
        parts = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", arity - 1)
    except (ValueError, UnicodeDecodeError):
        parts = []
    if len(parts) != arity:
        raise InvalidInput("after", cursor, "not a cursor this query returned; pass an endCursor from a page")
    return parts


def decode_time_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """A cursor of (instant, key) that `encode_cursor(format_instant(at), key)` made, or None."""
    parts = decode_cursor(cursor, 2)
    if parts is None:
        return None
    try:
        return parse_instant(parts[0]), parts[1]
    except ValueError:
        raise InvalidInput("after", cursor, "not a cursor this query returned") from None
