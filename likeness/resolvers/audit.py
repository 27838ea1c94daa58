"""audit: the stored verdicts matching a filter as of an instant, with counts by code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from likeness import rules
from likeness.errors import InvalidInput
from likeness.events.fields import country, format_instant
from likeness.graph import audit as stored
from likeness.graph.verdict_counts import OPEN_END
from likeness.resolvers.common import decode_time_cursor, encode_cursor, instant_arg, page_size, range_args
from likeness.resolvers.context import Context


@dataclass(slots=True)
class AuditRow:
    """One stored verdict on a page: its cursor and the as-of span it holds for (until None: still holds).
    The cursor is empty and the span None when the page's parts did not read them (graph.audit.PageParts).
    A plain slotted record, as graph.audit.PagedVerdict: a page holds thousands."""

    cursor: str
    verdict: stored.PagedVerdict
    holds_from: datetime | None
    holds_until: datetime | None


@dataclass(frozen=True)
class AuditPage:
    """A page of the verdicts matching a filter, the counts by code of all of them, and whether more
    follow."""

    counts: dict[str, int]
    rows: list[AuditRow]
    has_next: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def end_cursor(self) -> str | None:
        return self.rows[-1].cursor or None if self.rows else None


def audit_filter(
    context: Context, flt: Mapping[str, Any] | None, as_of: datetime | None
) -> stored.AuditFilter:
    """The graph's audit filter for the API's `filter` (given as a plain dict: camelCase keys, no nulls)."""
    flt = flt or {}
    codes = None
    if flt.get("codes") is not None:
        unknown = [code for code in flt["codes"] if code not in rules.CODES]
        if unknown:
            raise InvalidInput(
                "filter.codes", unknown[0], f"expected one of {', '.join(sorted(rules.CODES))}"
            )
        codes = sorted(set(flt["codes"]))
    start, end = range_args(flt.get("from"), flt.get("to"))
    territory = flt.get("territory")
    return stored.AuditFilter(
        as_of=instant_arg("asOf", as_of),
        start=start,
        end=end,
        codes=codes,
        party_id=flt.get("partyId"),
        person_id=flt.get("personId"),
        territory=country("filter.territory", territory) if territory is not None else None,
        scope=context.scope,
    )


async def audit(
    context: Context,
    flt: Mapping[str, Any] | None,
    as_of: datetime | None,
    first: int,
    after: str | None,
    parts: stored.PageParts = stored.EVERY_PART,
) -> AuditPage:
    """The page of stored verdicts matching the filter after the cursor, with the counts by code; only
    the `parts` asked for are read (the counts are empty when they are not)."""
    query = audit_filter(context, flt, as_of)
    limit = page_size(first)
    after_key = decode_time_cursor(after)
    found, counts = await stored.audit_page(
        context.graph, query, after=after_key, limit=limit + 1, parts=parts
    )
    rows = [
        AuditRow(
            cursor=(
                encode_cursor(format_instant(item.occurred_at), item.key)
                if item.occurred_at is not None and item.key is not None
                else ""
            ),
            verdict=item,
            holds_from=item.start,
            holds_until=None if item.end == OPEN_END else item.end,
        )
        for item in found[:limit]
    ]
    return AuditPage(counts=counts, rows=rows, has_next=len(found) > limit)
