"""Audits over the stored verdicts: index scans on (code, span), never a re-evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

import orjson

from likeness.graph.driver import Graph
from likeness.graph.reads import plain
from likeness.rules.facts import Liability, Verdict

_FILTER: LiteralString = """
    MATCH (v:Verdict)
    WHERE v.start <= $asOf AND v.end > $asOf
      AND v.occurredAt >= $from AND v.occurredAt < $to
      AND ($codes IS NULL OR v.code IN $codes)
      AND ($partyId IS NULL OR $partyId IN v.partyIds)
      AND ($personId IS NULL OR $personId IN v.personIds)
      AND ($territory IS NULL OR $territory IN v.territories)
      AND ($visibleParty IS NULL OR $visibleParty IN v.partyIds OR v.publisherId = $visibleParty)
      AND ($visiblePerson IS NULL OR $visiblePerson IN v.personIds)
"""

_PAGE: LiteralString = _FILTER + """
      AND ($afterAt IS NULL OR v.occurredAt > $afterAt OR (v.occurredAt = $afterAt AND v.vkey > $afterKey))
    RETURN properties(v) AS v
    ORDER BY v.occurredAt, v.vkey
    LIMIT $limit
"""

_COUNTS: LiteralString = _FILTER + """
    RETURN v.code AS code, count(*) AS count
    ORDER BY code
"""


@dataclass(frozen=True)
class AuditFilter:
    as_of: datetime
    start: datetime
    end: datetime
    codes: list[str] | None = None
    party_id: str | None = None
    person_id: str | None = None
    territory: str | None = None
    # the caller's own scope (access): a tenant party, or a person, whose verdicts alone it may see
    visible_party: str | None = None
    visible_person: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "asOf": self.as_of, "from": self.start, "to": self.end, "codes": self.codes,
            "partyId": self.party_id, "personId": self.person_id, "territory": self.territory,
            "visibleParty": self.visible_party, "visiblePerson": self.visible_person,
        }


@dataclass(frozen=True)
class StoredVerdict:
    verdict: Verdict
    start: datetime
    end: datetime
    occurred_at: datetime
    key: str


def stored_verdict(props: dict[str, Any]) -> StoredVerdict:
    v = {key: plain(value) for key, value in props.items()}
    return StoredVerdict(
        verdict=Verdict(
            code=v["code"], subject_id=v["subjectId"],
            liable=tuple(Liability(party_id=party, role=role) for party, role in orjson.loads(v["liable"])),
            consent_ids=tuple(v["consentIds"]), failed_clauses=tuple(v["failedClauses"]),
            evidence=tuple(v["evidence"]), explanation=v["explanation"],
        ),
        start=v["start"], end=v["end"], occurred_at=v["occurredAt"], key=v["vkey"],
    )


async def audit_page(
    graph: Graph, flt: AuditFilter, *, after: tuple[datetime, str] | None, limit: int
) -> list[StoredVerdict]:
    rows = await graph.query(
        _PAGE, afterAt=after[0] if after else None, afterKey=after[1] if after else None, limit=limit, **flt.params()
    )
    return [stored_verdict(row["v"]) for row in rows]


async def audit_counts(graph: Graph, flt: AuditFilter) -> dict[str, int]:
    return {row["code"]: row["count"] for row in await graph.query(_COUNTS, **flt.params())}
