"""likenessUsage: a person's every use, by anyone, with the verdicts as of an instant (stored spans)."""

from __future__ import annotations

from datetime import datetime

from strawberry.types import Info

from likeness.errors import InvalidInput
from likeness.graph.usage import usage_page
from likeness.events.fields import format_instant, parse_instant
from likeness.resolvers.common import decode_cursor, encode_cursor, instant_arg, page_size, range_args
from likeness.schema.convert import from_node
from likeness.schema.nodes import Asset
from likeness.schema.results import PageInfo, UsageConnection, UsageEdge
from likeness.schema.verdicts import Verdict


async def likeness_usage(
    info: Info, person_id: str, start: datetime | None, end: datetime | None, as_of: datetime | None,
    first: int, after: str | None,
) -> UsageConnection:
    context = info.context
    moment = instant_arg("asOf", as_of)
    begin, finish = range_args(start, end)
    limit = page_size(first)
    cursor = decode_cursor(after, 2)
    try:
        after_key = (parse_instant(cursor[0]), cursor[1]) if cursor else None
    except ValueError:
        raise InvalidInput("after", after, "not a cursor this query returned") from None
    found, total = await usage_page(
        context.graph, person_id=person_id, start=begin, end=finish, as_of=moment, after=after_key, limit=limit + 1,
        scope=context.scope,
    )
    page, more = found[:limit], len(found) > limit
    if context.scope is None:
        # the publishers came with the page: `node { publisher }` then costs no round trip (for a
        # tenant the loader reads them itself, through its visibility)
        context.related("asset.publisher").prime_many({use.asset["id"]: use.publishers for use in page})
    edges = [
        UsageEdge(
            cursor=encode_cursor(format_instant(use.asset["publishedAt"]), use.asset["id"]),
            node=from_node(Asset, use.asset),
            verdicts=[Verdict.of(verdict) for verdict in use.verdicts],
        )
        for use in page
    ]
    return UsageConnection(
        total_count=total,
        edges=edges,
        page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None),
    )
