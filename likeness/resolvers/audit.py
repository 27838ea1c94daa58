"""audit: the stored verdicts matching a filter as of an instant, with counts by code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness import rules
from likeness.errors import InvalidInput
from likeness.graph import audit as stored
from likeness.graph.verdicts import OPEN_END
from likeness.events.fields import country, format_instant, parse_instant
from likeness.resolvers.common import decode_cursor, encode_cursor, instant_arg, page_size, range_args
from likeness.schema.results import AuditFilter, CodeCount, PageInfo, VerdictConnection, VerdictEdge
from likeness.schema.verdicts import Verdict


def audit_filter(context: Any, flt: AuditFilter | None, as_of: datetime | None) -> stored.AuditFilter:
    flt = flt or AuditFilter()
    codes = None
    if flt.codes is not None:
        unknown = [code for code in flt.codes if code not in rules.CODES]
        if unknown:
            raise InvalidInput("filter.codes", unknown[0], f"expected one of {', '.join(sorted(rules.CODES))}")
        codes = sorted(set(flt.codes))
    start, end = range_args(flt.from_, flt.to)
    return stored.AuditFilter(
        as_of=instant_arg("asOf", as_of), start=start, end=end, codes=codes,
        party_id=flt.party_id, person_id=flt.person_id,
        territory=country("filter.territory", flt.territory) if flt.territory is not None else None,
        scope=context.scope,
    )


async def audit(
    context: Any, flt: AuditFilter | None, as_of: datetime | None, first: int, after: str | None
) -> VerdictConnection:
    query = audit_filter(context, flt, as_of)
    limit = page_size(first)
    cursor = decode_cursor(after, 2)
    try:
        after_key = (parse_instant(cursor[0]), cursor[1]) if cursor else None
    except ValueError:
        raise InvalidInput("after", after, "not a cursor this query returned") from None
    found, counts = await stored.audit_page(context.graph, query, after=after_key, limit=limit + 1)
    page = found[:limit]
    edges = [
        VerdictEdge(
            cursor=encode_cursor(format_instant(item.occurred_at), item.key),
            node=Verdict.of(item.verdict, start=item.start, end=None if item.end == OPEN_END else item.end),
        )
        for item in page
    ]
    return VerdictConnection(
        total_count=sum(counts.values()),
        counts_by_code=[CodeCount(code=code, count=count) for code, count in sorted(counts.items())],
        edges=edges,
        page_info=PageInfo(has_next_page=len(found) > limit, end_cursor=edges[-1].cursor if edges else None),
    )
