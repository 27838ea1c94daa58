"""The accountability rules: who used which likeness, under what consent, and who is liable.

Pure functions over the plain facts of ``likeness.rules.facts``: no I/O, no Neo4j, no GraphQL, no clock.
"""

from likeness.rules.asof import facts_as_of, twin_facts_as_of
from likeness.rules.asset import verdicts_for_asset
from likeness.rules.clauses import CLAUSE_ORDER
from likeness.rules.codes import CODES, RuleInfo
from likeness.rules.coverage import coverage
from likeness.rules.facts import (
    AssetFacts,
    AssetWorld,
    CompensationFacts,
    ConsentFacts,
    Coverage,
    FaceMatchFacts,
    Liability,
    MatchFacts,
    NoticeFacts,
    NoticeResponseFacts,
    PersonFacts,
    ResemblanceFacts,
    SightingFacts,
    SightingWorld,
    TwinFacts,
    TwinUseCheck,
    TwinWorld,
    UseCheck,
    UseRequest,
    Verdict,
    VerdictSpan,
)
from likeness.rules.sighting import notice_status, notice_unanswered, verdicts_for_sighting
from likeness.rules.timeline import asset_timeline, sighting_timeline, twin_timeline, verdicts_at
from likeness.rules.twin import verdicts_for_twin
from likeness.rules.use import check_use
from likeness.rules.windows import days_after, effective_window

__all__ = [
    "CLAUSE_ORDER",
    "CODES",
    "AssetFacts",
    "AssetWorld",
    "CompensationFacts",
    "ConsentFacts",
    "Coverage",
    "FaceMatchFacts",
    "Liability",
    "MatchFacts",
    "NoticeFacts",
    "NoticeResponseFacts",
    "PersonFacts",
    "ResemblanceFacts",
    "RuleInfo",
    "SightingFacts",
    "SightingWorld",
    "TwinFacts",
    "TwinUseCheck",
    "TwinWorld",
    "UseCheck",
    "UseRequest",
    "Verdict",
    "VerdictSpan",
    "asset_timeline",
    "check_use",
    "coverage",
    "days_after",
    "effective_window",
    "facts_as_of",
    "notice_status",
    "notice_unanswered",
    "sighting_timeline",
    "twin_facts_as_of",
    "twin_timeline",
    "verdicts_at",
    "verdicts_for_asset",
    "verdicts_for_sighting",
    "verdicts_for_twin",
]
