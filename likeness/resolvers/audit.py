"""audit: the stored verdicts matching a filter as of an instant, with counts by code and by law."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from likeness import rules
from likeness.errors import InvalidInput
from likeness.events.fields import country, format_instant
from likeness.graph import audit as stored
from likeness.graph.verdict_counts import OPEN_END
from likeness.resolvers.common import as_of_arg, decode_time_cursor, encode_cursor, page_size, range_args
from likeness.resolvers.context import Context
from likeness.resolvers.laws import law_ids, law_place
from likeness.rules.facts import Role


def liable_parties(key: str) -> list[tuple[str, Role]]:
    """The (party id, role) pairs of the liable parties an audit row's `liable_key` names."""
    return stored.liable_pairs(key)


@dataclass(slots=True)
class AuditRow:
    """One stored verdict on a page, its cursor and the as-of span it holds for (until None: still holds).
    What the page's parts did not read is empty: the cursor '', the span and `liable_key` None, the lists
    (). A plain slotted record: a page holds thousands.

    Its liable parties are named by a key that every row naming the same set shares (`liable_parties`
    gives the set): a page of thousands names few distinct sets, so whoever answers with them makes each
    set's answer once, keyed by a string that hashes once, in C."""

    cursor: str
    code: str
    subject_id: str
    liable_key: str | None
    consent_ids: tuple[str, ...]
    failed_clauses: tuple[str, ...]
    evidence: tuple[str, ...]
    explanation: str
    laws: tuple[str, ...]  # ID@version of the laws grounding it
    would_break: tuple[str, ...]
    holds_from: datetime | None
    holds_until: datetime | None


@dataclass(frozen=True)
class AuditPage:
    """A page of the verdicts matching a filter, the counts by code of all of them, and whether more
    follow; the counts by law of all of them when asked for (a verdict counts once per law grounding
    it)."""

    counts: dict[str, int]
    rows: list[AuditRow]
    has_next: bool
    law_counts: dict[str, int] = field(default_factory=dict)

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
    laws = flt.get("laws")
    places = flt.get("jurisdictions")
    return stored.AuditFilter(
        as_of=as_of_arg(as_of),
        start=start,
        end=end,
        codes=codes,
        party_id=flt.get("partyId"),
        person_id=flt.get("personId"),
        territory=country("filter.territory", territory) if territory is not None else None,
        laws=law_ids("filter.laws", laws) if laws is not None else None,
        places=(
            sorted({law_place("filter.jurisdictions", place) for place in places})
            if places is not None
            else None
        ),
        scope=context.scope,
    )


def page_parts(fields: Collection[str] | None) -> stored.PageParts:
    """What a page must read for an answer naming these fields (by their API names; None: every part
    but the counts by law): a part no field names is not read, nor are the counts."""
    if fields is None:
        return stored.EVERY_PART
    return stored.PageParts(
        liable="liable" in fields,
        consent_ids="consentIds" in fields,
        failed_clauses="failedClauses" in fields,
        evidence="evidence" in fields,
        explanation="explanation" in fields,
        laws="laws" in fields or "wouldBreak" in fields,
        span="holdsFrom" in fields or "holdsUntil" in fields,
        cursor="cursor" in fields or "endCursor" in fields,
        counts="totalCount" in fields or "countsByCode" in fields,
        law_counts="countsByLaw" in fields,
    )


async def audit(
    context: Context,
    flt: Mapping[str, Any] | None,
    as_of: datetime | None,
    first: int,
    after: str | None,
    fields: Collection[str] | None = None,
) -> AuditPage:
    """The page of stored verdicts matching the filter after the cursor, with the counts by code and by
    law; only the parts the answer's `fields` name are read (see page_parts; the counts are empty when
    not)."""
    query = audit_filter(context, flt, as_of)
    limit = page_size(first)
    after_key = decode_time_cursor(after)
    answer = await stored.audit_page(
        context.graph, query, after=after_key, limit=limit + 1, parts=page_parts(fields)
    )
    found = answer.page
    rows = [
        AuditRow(
            (
                encode_cursor(format_instant(item.occurred_at), item.key)
                if item.occurred_at is not None and item.key is not None
                else ""
            ),
            item.code,
            item.subject_id,
            item.liable_text,
            item.consent_ids,
            item.failed_clauses,
            item.evidence,
            item.explanation,
            item.laws,
            item.would_break,
            item.start,
            None if item.end == OPEN_END else item.end,
        )
        for item in found[:limit]
    ]
    return AuditPage(
        counts=answer.counts, rows=rows, has_next=len(found) > limit, law_counts=answer.law_counts
    )
