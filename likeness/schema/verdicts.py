"""Verdicts, liable parties and the answers built from them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from likeness.rules.facts import Verdict as VerdictFacts
from likeness.schema.enums import LiabilityRole


@strawberry.type
class Liability:
    party_id: strawberry.ID
    role: LiabilityRole


@strawberry.type
class Verdict:
    code: str
    subject_id: strawberry.ID
    liable: list[Liability]
    consent_ids: list[strawberry.ID]
    failed_clauses: list[str]
    evidence: list[str] = strawberry.field(
        description="The proving path: node ids alternating with relationship types."
    )
    explanation: str
    holds_from: datetime | None = strawberry.field(
        default=None, description="The as-of instant from which this verdict holds (stored verdicts)."
    )
    holds_until: datetime | None = None

    @classmethod
    def of(
        cls, verdict: VerdictFacts, *, start: datetime | None = None, end: datetime | None = None
    ) -> Verdict:
        return cls(
            code=verdict.code,
            subject_id=strawberry.ID(verdict.subject_id),
            liable=[
                Liability(party_id=strawberry.ID(p.party_id), role=LiabilityRole(p.role))
                for p in verdict.liable
            ],
            consent_ids=[strawberry.ID(k) for k in verdict.consent_ids],
            failed_clauses=list(verdict.failed_clauses),
            evidence=list(verdict.evidence),
            explanation=verdict.explanation,
            holds_from=start,
            holds_until=end,
        )
