"""Audits over the stored verdicts: index scans on (code, span), never a re-evaluation."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

import orjson

from likeness.graph.driver import Graph
from likeness.graph.projection import instant
from likeness.graph.verdict_counts import HOLDING_COUNTS, WHOLE_PERIOD, holding_params
from likeness.graph.visibility import Scope, scoped
from likeness.rules.facts import Liability, Role, Verdict

# Which verdicts hold as of $asOf and match the filter. Whole-market counts come from the buckets kept
# at write time (graph.verdict_counts); narrowed ones read only the span index
# (end, start, code, occurredAt), never a verdict node, but for a filter or count by law (a span's
# lawIds and lawPlaces are lists, which no index answers); the unfiltered page walks the verdicts in
# page order (occurredAt, vkey) and stops after $limit, so neither grows with the number stored.
_HOLDING: LiteralString = """
      WHERE v.end > $asOf AND v.start <= $asOf AND v.code IS NOT NULL
        AND v.occurredAt >= $from AND v.occurredAt < $to
        AND ($codes IS NULL OR v.code IN $codes)
        AND ($partyId IS NULL OR $partyId IN v.partyIds)
        AND ($personId IS NULL OR $personId IN v.personIds)
        AND ($territory IS NULL OR $territory IN v.territories)
        AND ($laws IS NULL OR any(law IN v.lawIds WHERE law IN $laws))
        AND ($places IS NULL OR any(place IN v.lawPlaces WHERE place IN $places))
        AND VISIBLE(v:Verdict)
"""
# $seekFrom repeats the cursor's bound as a range the index can start from (later pages do not
# rescan the earlier ones). A page reads only the parts of a verdict its caller asks for ($with…, see
# PageParts): on a page of thousands, the properties and instants nobody reads cost more than the
# index walk itself.
_AFTER: LiteralString = """
        AND v.occurredAt >= $seekFrom
        AND ($afterAt IS NULL OR v.occurredAt > $afterAt OR (v.occurredAt = $afterAt AND v.vkey > $afterKey))
      WITH v ORDER BY v.occurredAt, v.vkey LIMIT $limit
      RETURN collect(v {.code, .subjectId,
                        liable: CASE WHEN $withLiable THEN v.liable END,
                        consentIds: CASE WHEN $withConsentIds THEN v.consentIds END,
                        failedClauses: CASE WHEN $withFailedClauses THEN v.failedClauses END,
                        evidence: CASE WHEN $withEvidence THEN v.evidence END,
                        explanation: CASE WHEN $withExplanation THEN v.explanation END,
                        lawKeys: CASE WHEN $withLaws THEN v.lawKeys END,
                        wouldBreakKeys: CASE WHEN $withLaws THEN v.wouldBreakKeys END,
                        start: CASE WHEN $withSpan THEN toString(v.start) END,
                        end: CASE WHEN $withSpan THEN toString(v.end) END,
                        vkey: CASE WHEN $withCursor THEN v.vkey END,
                        occurredAt: CASE WHEN $withCursor THEN toString(v.occurredAt) END}) AS page
    }
"""
_CODE_COUNTS: LiteralString = (
    """
    CALL () {
      MATCH (v:Verdict) USING INDEX v:Verdict(end, start, code, occurredAt)"""
    + _HOLDING
    + """
      WITH v.code AS code, count(*) AS count ORDER BY code
      RETURN collect([code, count]) AS counts
    }
"""
)
_COUNTS: LiteralString = (
    _CODE_COUNTS
    + """
    RETURN page, counts
"""
)
# The counts by law: no bucket keeps them, so they read every matching span (its lawIds, off the index);
# a span counts once for each law grounding it, so they need not add up to the total.
_COUNTS_AND_LAW_COUNTS: LiteralString = (
    _CODE_COUNTS
    + """
    CALL () {
      MATCH (v:Verdict) USING INDEX v:Verdict(end, start, code, occurredAt)"""
    + _HOLDING
    + """
      UNWIND v.lawIds AS law
      WITH law, count(*) AS count ORDER BY law
      RETURN collect([law, count]) AS lawCounts
    }
    RETURN page, counts, lawCounts
"""
)
# the page and the counts by code in one round trip; with no filter on codes, parties, persons or
# territories the page follows the (occurredAt, vkey) index, else the planner picks a selective index
_PAGE_IN_ORDER: LiteralString = (
    """
    CALL () {
      MATCH (v:Verdict) USING INDEX v:Verdict(occurredAt, vkey)"""
    + _HOLDING
    + """ AND v.vkey IS NOT NULL"""
    + _AFTER
)
_AUDIT_IN_ORDER = scoped(_PAGE_IN_ORDER + _COUNTS)
_AUDIT_IN_ORDER_BY_LAW = scoped(_PAGE_IN_ORDER + _COUNTS_AND_LAW_COUNTS)
# over the whole market and period the counts come from the buckets kept at write time
# (graph.verdict_counts), in time independent of the number of spans
_AUDIT_COUNTED = scoped(
    _PAGE_IN_ORDER
    + HOLDING_COUNTS
    + """
    RETURN page, counts, stored = bucketed AS complete
"""
)
_PAGE_FILTERED: LiteralString = (
    """
    CALL () {
      MATCH (v:Verdict)"""
    + _HOLDING
    + _AFTER
)
_AUDIT_FILTERED = scoped(_PAGE_FILTERED + _COUNTS)
_AUDIT_FILTERED_BY_LAW = scoped(_PAGE_FILTERED + _COUNTS_AND_LAW_COUNTS)
# the same pages without the counts, for a caller who asks for none of totalCount, countsByCode, countsByLaw
_PAGE_ONLY: LiteralString = """
    RETURN page
"""
_PAGE_IN_ORDER_ONLY = scoped(_PAGE_IN_ORDER + _PAGE_ONLY)
_PAGE_FILTERED_ONLY = scoped(_PAGE_FILTERED + _PAGE_ONLY)

# Inside a query about an asset `a`: its verdict spans holding as of $asOf (what `held_verdicts` reads).
HELD_VERDICTS: LiteralString = """COLLECT {
        MATCH (held:Verdict {subjectId: a.id}) WHERE held.start <= $asOf AND held.end > $asOf
        RETURN held {.code, .subjectId, .liable, .consentIds, .failedClauses, .evidence, .explanation,
                     .lawKeys, .wouldBreakKeys, .vkey} }"""


@dataclass(frozen=True)
class AuditFilter:
    as_of: datetime
    start: datetime
    end: datetime
    codes: list[str] | None = None
    party_id: str | None = None
    person_id: str | None = None
    territory: str | None = None
    # the laws grounding the verdict (any of them), the places those laws applied through (any of them)
    laws: list[str] | None = None
    places: list[str] | None = None
    # the caller's view (access): None for callers who see every verdict
    scope: Scope | None = None

    @property
    def narrowed(self) -> bool:
        """Whether anything but the instant and the period narrows the verdicts."""
        return any(
            value is not None
            for value in (
                self.codes,
                self.party_id,
                self.person_id,
                self.territory,
                self.laws,
                self.places,
                self.scope,
            )
        )

    @property
    def whole_market(self) -> bool:
        """Whether the audit counts every verdict of at least the whole default period (the buckets' case)."""
        return not self.narrowed and self.start <= WHOLE_PERIOD[0] and self.end >= WHOLE_PERIOD[1]

    def params(self) -> dict[str, Any]:
        return {
            "asOf": self.as_of,
            "from": self.start,
            "to": self.end,
            "codes": self.codes,
            "partyId": self.party_id,
            "personId": self.person_id,
            "territory": self.territory,
            "laws": self.laws,
            "places": self.places,
        }


@dataclass(frozen=True)
class PageParts:
    """What an audit page reads of each verdict beyond its code and subject, and whether the counts by
    code and by law are read: the API asks for what its selection names (a part not read is empty on the
    page). The counts by law are read only when asked for: no bucket keeps them, they read every span."""

    liable: bool = True
    consent_ids: bool = True
    failed_clauses: bool = True
    evidence: bool = True
    explanation: bool = True
    laws: bool = True  # the laws grounding it, and the proposals it would break
    span: bool = True  # the instants the verdict holds from and until
    cursor: bool = True  # the occurrence and key a cursor is made of
    counts: bool = True
    law_counts: bool = False

    def params(self) -> dict[str, bool]:
        return {
            "withLiable": self.liable,
            "withConsentIds": self.consent_ids,
            "withFailedClauses": self.failed_clauses,
            "withEvidence": self.evidence,
            "withExplanation": self.explanation,
            "withLaws": self.laws,
            "withSpan": self.span,
            "withCursor": self.cursor,
        }


EVERY_PART = PageParts()


@dataclass(slots=True)
class PagedVerdict:
    """A verdict span on an audit page: the verdict's fields (as rules.facts.Verdict names them) and its
    span; what the page's PageParts did not read is empty (None for the span and the cursor's parts).
    Built by the thousand per page, so a plain slotted record: a frozen one costs three times as much."""

    code: str
    subject_id: str
    liable_text: str | None  # the liable parties as the span stores them (JSON text), None when not read
    consent_ids: tuple[str, ...]
    failed_clauses: tuple[str, ...]
    evidence: tuple[str, ...]
    explanation: str
    laws: tuple[str, ...]
    would_break: tuple[str, ...]
    start: datetime | None
    end: datetime | None
    occurred_at: datetime | None
    key: str | None


@dataclass(frozen=True)
class StoredVerdict:
    verdict: Verdict
    start: datetime
    end: datetime
    occurred_at: datetime
    key: str


def liable_pairs(text: str) -> list[tuple[str, Role]]:
    """The (party id, role) pairs of the liable parties a span stores as JSON text (verdicts.refresh writes
    it); what reads a stored span's parties decodes them here."""
    return [(party, role) for party, role in orjson.loads(text)]


@functools.lru_cache(maxsize=4096)
def _liable(text: str) -> tuple[Liability, ...]:
    """The liable parties a span stores as JSON text: few distinct texts recur across thousands of
    verdicts, and the parties are immutable, so each text is decoded once."""
    return tuple(Liability(party_id=party, role=role) for party, role in liable_pairs(text))


def _verdict(v: dict[str, Any]) -> Verdict:
    """A verdict from its span's projection; a part the projection left out (None) is empty."""
    liable, consents, clauses, evidence = v["liable"], v["consentIds"], v["failedClauses"], v["evidence"]
    return Verdict(
        code=v["code"],
        subject_id=v["subjectId"],
        liable=_liable(liable) if liable is not None else (),
        consent_ids=tuple(consents) if consents is not None else (),
        failed_clauses=tuple(clauses) if clauses is not None else (),
        evidence=tuple(evidence) if evidence is not None else (),
        explanation=v["explanation"] or "",
        laws=tuple(v.get("lawKeys") or ()),
        would_break=tuple(v.get("wouldBreakKeys") or ()),
    )


def _paged(v: dict[str, Any]) -> PagedVerdict:
    liable, consents, clauses, evidence = v["liable"], v["consentIds"], v["failedClauses"], v["evidence"]
    start, end, occurred = v["start"], v["end"], v["occurredAt"]
    return PagedVerdict(
        v["code"],
        v["subjectId"],
        liable,
        tuple(consents) if consents is not None else (),
        tuple(clauses) if clauses is not None else (),
        tuple(evidence) if evidence is not None else (),
        v["explanation"] or "",
        tuple(v["lawKeys"] or ()),
        tuple(v["wouldBreakKeys"] or ()),
        instant(start) if start is not None else None,
        instant(end) if end is not None else None,
        instant(occurred) if occurred is not None else None,
        v["vkey"],
    )


def stored_verdict(v: dict[str, Any]) -> StoredVerdict:
    """A verdict span as the audit page projects it (instants as text, see graph.projection)."""
    return StoredVerdict(
        verdict=_verdict(v),
        start=instant(v["start"]),
        end=instant(v["end"]),
        occurred_at=instant(v["occurredAt"]),
        key=v["vkey"],
    )


def held_verdicts(rows: list[dict[str, Any]]) -> tuple[Verdict, ...]:
    """One subject's verdicts from its span holding at an instant (HELD_VERDICTS), in the rules' order.

    A span's verdicts are stored with keys ending in their position in the rules' answer
    (`subject|code|007`, verdicts.refresh), so sorting by it gives back exactly that answer.
    """
    return tuple(_verdict(v) for v in sorted(rows, key=lambda v: int(v["vkey"].rsplit("|", 1)[1])))


@dataclass(frozen=True)
class AuditAnswer:
    """A page of the verdicts matching a filter, with the counts by code and by law of all of them (each
    empty when its PageParts left it out)."""

    page: list[PagedVerdict]
    counts: dict[str, int]
    law_counts: dict[str, int]


async def audit_page(
    graph: Graph,
    flt: AuditFilter,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
    parts: PageParts = EVERY_PART,
) -> AuditAnswer:
    """A page of the verdicts matching the filter (ordered by occurrence) and the counts by code and by
    law of all of them, as `parts` asks; each verdict holds the parts `parts` names."""
    params = {
        "afterAt": after[0] if after else None,
        "afterKey": after[1] if after else None,
        "seekFrom": max(after[0], flt.start) if after else flt.start,
        "limit": limit,
        **flt.params(),
        **parts.params(),
    }
    if parts.law_counts:  # they scan the spans, so the counts by code are counted in the same pass
        cypher, viewer = (_AUDIT_FILTERED_BY_LAW if flt.narrowed else _AUDIT_IN_ORDER_BY_LAW).for_scope(
            flt.scope
        )
        row = (await graph.query(cypher, **params, **viewer))[0]
        return AuditAnswer(
            [_paged(props) for props in row["page"]],
            {code: count for code, count in row["counts"]} if parts.counts else {},
            {law: count for law, count in row["lawCounts"]},
        )
    if not parts.counts:
        cypher, viewer = (_PAGE_FILTERED_ONLY if flt.narrowed else _PAGE_IN_ORDER_ONLY).for_scope(flt.scope)
        row = (await graph.query(cypher, **params, **viewer))[0]
        return AuditAnswer([_paged(props) for props in row["page"]], {}, {})
    row = None
    if flt.whole_market:
        counted, _ = _AUDIT_COUNTED.for_scope(None)
        row = (await graph.query(counted, **params, **holding_params(flt.as_of)))[0]
    if row is None or not row["complete"]:  # narrowed, or spans were stored around the counts: scan them
        cypher, viewer = (_AUDIT_FILTERED if flt.narrowed else _AUDIT_IN_ORDER).for_scope(flt.scope)
        row = (await graph.query(cypher, **params, **viewer))[0]
    return AuditAnswer(
        [_paged(props) for props in row["page"]], {code: count for code, count in row["counts"]}, {}
    )


_SPANS_OF = scoped(
    """
    MATCH (a:Entity {id: $assetId}) WHERE a:Asset AND VISIBLE(a:Asset)
    MATCH (v:Verdict {subjectId: a.id}) WHERE v.code IS NOT NULL
    RETURN v {.code, .subjectId, .liable, .consentIds, .failedClauses, .evidence, .explanation,
              .lawKeys, .wouldBreakKeys, .vkey, start: toString(v.start), end: toString(v.end),
              occurredAt: toString(v.occurredAt)} AS v
    ORDER BY v.start, v.vkey
"""
)


async def asset_spans(graph: Graph, *, asset_id: str, scope: Scope | None) -> list[StoredVerdict]:
    """Every stored verdict span of one asset the scope may see, oldest first: where its span starts or
    ends, the asset's verdicts change (empty when the asset is not the scope's to see)."""
    cypher, extra = _SPANS_OF.for_scope(scope)
    rows = await graph.query(cypher, assetId=asset_id, **extra)
    return [stored_verdict(row["v"]) for row in rows]
