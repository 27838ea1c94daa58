"""Verdicts, liable parties and the answers built from them."""

from __future__ import annotations

import functools
from datetime import datetime

import strawberry

from likeness.graph.audit import PagedVerdict, liable_pairs
from likeness.rules.facts import Liability as LiabilityFacts
from likeness.rules.facts import Verdict as VerdictFacts
from likeness.schema.enums import LiabilityRole


@strawberry.type
class Liability:
    party_id: strawberry.ID
    role: LiabilityRole


# a role's member by its value: a dict lookup, where calling the enum costs ~10 µs (a page holds thousands)
_ROLES = {role.value: role for role in LiabilityRole}


@functools.lru_cache(maxsize=4096)
def _stored_liabilities(text: str) -> tuple[Liability, ...]:
    """The answer's liable parties from a stored span's text, without the rules' records in between: a
    page of stored verdicts makes each distinct text's parties once (a str key hashes once, in C), and a
    miss costs a decode and the answer's objects."""
    return tuple(
        Liability(party_id=strawberry.ID(party), role=_ROLES[role]) for party, role in liable_pairs(text)
    )


@functools.lru_cache(maxsize=4096)
def _liabilities(liable: tuple[LiabilityFacts, ...]) -> tuple[Liability, ...]:
    """The answer's liable parties for the rules' ones. A page of thousands of verdicts names few distinct
    sets of parties, and neither side is ever changed once made, so each set is made once and shared."""
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
        verdict: VerdictFacts | PagedVerdict,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Verdict:
        # strawberry.ID is a NewType of str: a list of ids is the list of its strings
        if isinstance(verdict, PagedVerdict):
            text = verdict.liable_text
            liable = list(_stored_liabilities(text)) if text is not None else []
        else:
            liable = list(_liabilities(verdict.liable))
        return cls(
            code=verdict.code,
            subject_id=strawberry.ID(verdict.subject_id),
            liable=liable,
            consent_ids=list(verdict.consent_ids),  # type: ignore[arg-type]
            failed_clauses=list(verdict.failed_clauses),
            evidence=list(verdict.evidence),
            explanation=verdict.explanation,
            holds_from=start,
            holds_until=end,
        )
