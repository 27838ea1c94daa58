"""Verdicts, liable parties and the answers built from them."""

from __future__ import annotations

import functools
from datetime import datetime

import strawberry

from likeness.resolvers.records import LiableParty, VerdictRecord
from likeness.schema.enums import LiabilityRole


@strawberry.type
class Liability:
    party_id: strawberry.ID
    role: LiabilityRole


# a role's member by its value: a dict lookup, where calling the enum costs ~10 µs (a page holds thousands)
_ROLES = {role.value: role for role in LiabilityRole}


@functools.lru_cache(maxsize=4096)
def _liabilities(liable: tuple[LiableParty, ...]) -> tuple[Liability, ...]:
    """The answer's liable parties for a verdict's. A page of thousands of verdicts names few distinct
    sets of parties (an audit page's rows share one tuple per set), and neither side is ever changed once
    made, so each set is made once and shared."""
    return tuple(Liability(party_id=strawberry.ID(p.party_id), role=_ROLES[p.role]) for p in liable)


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
        cls,
        verdict: VerdictRecord,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Verdict:
        # strawberry.ID is a NewType of str: a list of ids is the list of its strings
        liable = verdict.liable
        parties = list(_liabilities(liable)) if liable else []
        return cls(
            code=verdict.code,
            subject_id=strawberry.ID(verdict.subject_id),
            liable=parties,
            consent_ids=list(verdict.consent_ids),  # type: ignore[arg-type]
            failed_clauses=list(verdict.failed_clauses),
            evidence=list(verdict.evidence),
            explanation=verdict.explanation,
            holds_from=start,
            holds_until=end,
        )
