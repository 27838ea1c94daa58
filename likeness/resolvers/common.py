"""Arguments every query shares: as-of instants, time ranges, page sizes and cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from likeness.errors import InvalidInput
from likeness.graph.verdict_counts import WHOLE_PERIOD

MAX_PAGE = 10_000
# the period a query names when it names none (the audit's count buckets answer at least this one)
FAR_PAST, FAR_FUTURE = WHOLE_PERIOD


def instant_arg(name: str, value: datetime | None, default: datetime | None = None) -> datetime:
    """An instant argument in UTC; naive instants are refused (an instant needs its offset)."""
    if value is None:
        return default if default is not None else datetime.now(UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(name, value.isoformat(), "an instant needs a UTC offset, e.g. 'Z' or '+02:00'")
    return value.astimezone(UTC)


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
