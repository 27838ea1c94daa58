"""Verdicts, liable parties and the answers built from them."""

from __future__ import annotations

import functools
from datetime import datetime

import strawberry

from likeness.resolvers.audit import AuditRow, liable_parties
from likeness.resolvers.records import LiableParty, VerdictRecord
from likeness.schema.enums import LiabilityRole
from likeness.schema.grounding import LawGrounding, groundings


@strawberry.type
class Liability:
    party_id: strawberry.ID
    role: LiabilityRole


# a role's member by its value: a dict lookup, where calling the enum costs ~10 µs (a page holds thousands)
_ROLES = {role.value: role for role in LiabilityRole}


@functools.lru_cache(maxsize=4096)
def _keyed_liabilities(key: str) -> tuple[Liability, ...]:
    """The answer's liable parties for an audit row's, by the key its set shares with every row naming it
    (resolvers.audit.AuditRow): a page makes each distinct set's parties once, and a miss costs the set's
    decoding and the answer's objects, no record in between."""
    return tuple(
        Liability(party_id=strawberry.ID(party), role=_ROLES[role]) for party, role in liable_parties(key)
    )


@functools.lru_cache(maxsize=4096)
def _liabilities(liable: tuple[LiableParty, ...]) -> tuple[Liability, ...]:
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
    laws: list[LawGrounding] = strawberry.field(
        default_factory=list,
        description="The ENACTED laws in force at the verdict's relevant instant (publication for an asset, "
        "signing for a consent, sending for a notice) whose conditions hold: the statutes the same facts "
        "also break. Possibly empty; the code and span never depend on them.",
    )
    would_break: list[LawGrounding] = strawberry.field(
        default_factory=list,
        description="PROPOSED laws the verdict would break if adopted: shown, grounding nothing.",
    )

    @classmethod
    def of(
        cls,
        verdict: VerdictRecord,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Verdict:
        # strawberry.ID is a NewType of str: a list of ids is the list of its strings
        return cls(
            code=verdict.code,
            subject_id=strawberry.ID(verdict.subject_id),
            liable=list(_liabilities(verdict.liable)),
            consent_ids=list(verdict.consent_ids),  # type: ignore[arg-type]
            failed_clauses=list(verdict.failed_clauses),
            evidence=list(verdict.evidence),
            explanation=verdict.explanation,
            holds_from=start,
            holds_until=end,
            laws=list(groundings(verdict.laws, verdict.code)),
            would_break=list(groundings(verdict.would_break, verdict.code)),
        )

    @classmethod
    def of_row(cls, row: AuditRow) -> Verdict:
        """A stored verdict on an audit page."""
        key = row.liable_key
        return cls(
            code=row.code,
            subject_id=strawberry.ID(row.subject_id),
            liable=list(_keyed_liabilities(key)) if key is not None else [],
            consent_ids=list(row.consent_ids),  # type: ignore[arg-type]
            failed_clauses=list(row.failed_clauses),
            evidence=list(row.evidence),
            explanation=row.explanation,
            holds_from=row.holds_from,
            holds_until=row.holds_until,
            laws=list(groundings(row.laws, row.code)),
            would_break=list(groundings(row.would_break, row.code)),
        )
