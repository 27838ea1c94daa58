"""What a sighting shows and the takedown notices about sightings: the verdicts holding on a sighting,
the notices page (by platform, person and status) and where one notice stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from likeness.errors import InvalidInput
from likeness.events.fields import format_instant
from likeness.events.vocabulary import NoticeStatus, words
from likeness.graph.manifests import LostManifest
from likeness.graph.notices import NoticeFilter, notice_page, sighting_verdicts_as_of
from likeness.resolvers.common import as_of_arg, decode_time_cursor, encode_cursor, page_size
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node
from likeness.rules.facts import NoticeFacts, NoticeResponseFacts, Verdict
from likeness.rules.sighting import due_at, notice_status

STATUSES = words(NoticeStatus)


async def sighting_verdicts(
    context: Context, sighting_id: str, as_of: datetime | None = None
) -> tuple[Verdict, ...]:
    """The verdicts holding as of `as_of` (default now) on what a sighting shows, as provenance gives
    them (rules.facts.Verdict): the sighting's own (NOTICE_UNANSWERED, UNREGISTERED_USE) in the rules'
    order, then those of each registered asset it matches, by asset id (a sighting inherits the verdicts
    of the asset it shows). Only assets the caller may see; () when the caller may see no such sighting,
    and before the sighting was observed.
    Stored verdict spans, no rule runs."""
    moment = as_of_arg(as_of)
    found = await sighting_verdicts_as_of(
        context.graph, sighting_id=sighting_id, as_of=moment, scope=context.scope
    )
    return () if found is None else found


async def lost_manifests(context: Context, sighting_id: str) -> list[LostManifest]:
    """The Content Credentials a sighting's copy lost: the VALID manifests of the assets it matches (those
    the caller may see), when the file it was reported with carries none; empty otherwise (no file, a
    format the C2PA SDK does not read, a manifest of its own)."""
    return await context.lost_manifests().load(sighting_id)


def notice_facts(notice: Node, answers: list[dict[str, Any]]) -> NoticeFacts:
    """A notice node and its answers as the rules read them."""
    return NoticeFacts(
        id=notice["id"],
        platform_id=notice["platformId"],
        sent_by_id=notice["sentById"],
        sent_at=notice["sentAt"],
        response_hours=int(notice["responseHours"]),
        basis=notice.get("basis"),
        responses=tuple(
            NoticeResponseFacts(responded_at=a["respondedAt"], outcome=a["outcome"], note=a["note"])
            for a in answers
        ),
    )


async def notice_answers(context: Context, notice_id: str) -> list[Node]:
    """The answers recorded to a notice the caller was shown, oldest first: respondedAt, outcome, note."""
    return await context.notice_answers().load(notice_id)


async def notice_standing(
    context: Context, notice: Node, as_of: datetime | None
) -> tuple[str | None, datetime, list[dict[str, Any]]]:
    """Where a notice the caller was shown stands as of `as_of` (default now; None before it was sent),
    when its window closes, and the answers recorded to it (all of them, oldest first)."""
    moment = as_of_arg(as_of)
    answers = await context.notice_answers().load(notice["id"])
    facts = notice_facts(notice, answers)
    return notice_status(facts, moment), due_at(facts), answers


@dataclass(frozen=True)
class NoticeRow:
    cursor: str
    notice: Node
    status: str


@dataclass(frozen=True)
class NoticesPage:
    """A page of notices in order of sending, the counts by status of every notice matching the other
    arguments, the number matching them all, and whether more follow."""

    counts: dict[str, int]
    total: int
    rows: list[NoticeRow]
    has_next: bool
    as_of: datetime

    @property
    def end_cursor(self) -> str | None:
        return self.rows[-1].cursor if self.rows else None


async def notices(
    context: Context,
    *,
    platform_id: str | None = None,
    person_id: str | None = None,
    status: str | None = None,
    as_of: datetime | None = None,
    first: int = 100,
    after: str | None = None,
) -> NoticesPage:
    """The takedown notices sent by `as_of` (default now) the caller may see, filtered by the platform
    they went to, a person whose likeness their sighting shows and their status as of `as_of`."""
    moment = as_of_arg(as_of)
    if status is not None and status not in STATUSES:
        raise InvalidInput("status", status, f"expected one of {', '.join(STATUSES)}")
    limit = page_size(first)
    after_key = decode_time_cursor(after)
    page = await notice_page(
        context.graph,
        NoticeFilter(
            as_of=moment, platform_id=platform_id, person_id=person_id, status=status, scope=context.scope
        ),
        after=after_key,
        limit=limit + 1,
    )
    rows = [
        NoticeRow(
            cursor=encode_cursor(format_instant(notice["sentAt"]), notice["id"]), notice=notice, status=found
        )
        for notice, found in page.rows[:limit]
    ]
    return NoticesPage(
        counts=page.counts, total=page.total, rows=rows, has_next=len(page.rows) > limit, as_of=moment
    )
