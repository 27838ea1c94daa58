"""likenessUsage: a person's every use, by anyone, with the verdicts as of an instant (stored spans)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from likeness.events.fields import format_instant
from likeness.graph.usage import usage_page
from likeness.resolvers.common import as_of_arg, decode_time_cursor, encode_cursor, page_size, range_args
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node
from likeness.rules.facts import Verdict


@dataclass(frozen=True)
class UsageRow:
    """One use on a page: the asset with its cursor and the verdicts holding against it."""

    cursor: str
    asset: Node
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class UsagePage:
    """A page of a person's uses, the count of all of them, and whether more follow."""

    total: int
    rows: list[UsageRow]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return self.rows[-1].cursor if self.rows else None


async def likeness_usage(
    context: Context,
    person_id: str,
    start: datetime | None,
    end: datetime | None,
    as_of: datetime | None,
    first: int,
    after: str | None,
) -> UsagePage:
    """The page of the person's uses after the cursor, with the verdicts as of `as_of`."""
    moment = as_of_arg(as_of)
    begin, finish = range_args(start, end)
    limit = page_size(first)
    after_key = decode_time_cursor(after)
    found, total = await usage_page(
        context.graph,
        person_id=person_id,
        start=begin,
        end=finish,
        as_of=moment,
        after=after_key,
        limit=limit + 1,
        scope=context.scope,
    )
    page, more = found[:limit], len(found) > limit
    if context.scope is None:
        # the publishers came with the page: `node { publisher }` then costs no round trip (for a
        # tenant the loader reads them itself, through its visibility)
        context.related("asset.publisher").prime_many({use.asset["id"]: use.publishers for use in page})
    rows = [
        UsageRow(
            cursor=encode_cursor(format_instant(use.asset["publishedAt"]), use.asset["id"]),
            asset=use.asset,
            verdicts=use.verdicts,
        )
        for use in page
    ]
    return UsagePage(total=total, rows=rows, has_next=more)
