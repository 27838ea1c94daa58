"""Deadlines near the end of the instant domain are held at its last instant instead of overflowing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from likeness.rules import days_after

LAST = datetime.max.replace(tzinfo=UTC)


@given(
    instant=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    days=st.integers(0, 3650),
)
def test_days_after_adds_the_days_or_holds_at_the_last_instant(instant: datetime, days: int) -> None:
    start = instant.replace(tzinfo=UTC)
    found = days_after(start, days)
    if LAST - start > timedelta(days=days):
        assert found == start + timedelta(days=days)
    else:
        assert found == LAST
