"""The one order verdicts are reported in, so equal facts always give equal answers."""

from __future__ import annotations

from collections.abc import Iterable

from likeness.rules.facts import Verdict


def ordered(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    """Verdicts sorted by code, then subject, then consents examined, then evidence."""
    return tuple(
        sorted(
            verdicts,
            key=lambda verdict: (verdict.code, verdict.subject_id, verdict.consent_ids, verdict.evidence),
        )
    )
