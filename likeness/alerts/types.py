"""The kinds of alert, and whose alerts a caller reads.

Adding a kind of alert is one line in ALERT_TYPES (the GraphQL enum `AlertType` follows) and the place
that emits it (likeness.alerts.outbox for a change, likeness.alerts.clock for a deadline).
"""

from __future__ import annotations

from collections.abc import Sequence

from likeness.access.principals import Principal
from likeness.errors import InvalidInput

ALERT_TYPES: tuple[str, ...] = (
    # a verdict now holds (or no longer holds) on a subject the party may see
    "VERDICT_OPENED",
    "VERDICT_CLOSED",
    # to every publisher whose assets the consent covered, with its takedown deadline
    "CONSENT_REVOKED",
    # 30 days before a consent's validUntil
    "CONSENT_EXPIRING",
    "NOTICE_SENT",
    "NOTICE_ANSWERED",
    # a notice's response window closed without an answer
    "NOTICE_OVERDUE",
    # a new face match of a person, to her
    "LIKENESS_MATCHED",
)

# how many days before a consent's end CONSENT_EXPIRING is emitted
EXPIRY_NOTICE_DAYS = 30


def reader_key(principal: Principal) -> str:
    """Whose read marks and webhooks these are: a tenant's party id, else the role (e.g. INVESTIGATOR)."""
    if principal.sees_everything or not principal.party_id:
        return principal.role
    return principal.party_id


def alert_types(values: Sequence[str]) -> list[str]:
    """The alert types named, sorted and once each; BAD_INPUT on `types` for one that is none."""
    unknown = [value for value in values if value not in ALERT_TYPES]
    if unknown:
        raise InvalidInput("types", unknown, f"expected alert types among {', '.join(ALERT_TYPES)}")
    return sorted(set(values))
