"""Which alerts a change produces, written in the change's own transaction (graph.alerts).

- VERDICT_OPENED / VERDICT_CLOSED: a verdict holds now on a subject the write re-evaluated (or no longer
  does) that was not announced (or was): each subject's announced codes are kept (AlertState), so a
  verdict is announced once however many writes touch its subject, and the clock (likeness.alerts.clock)
  announces those that time alone opens or closes the same way;
- CONSENT_REVOKED: to the consent's parties and every publisher whose assets it covered, with the
  takedown deadline (revocation plus the consent's takedown period);
- CONSENT_EXPIRING: a consent granted already within 30 days of its end (the clock emits the others, with
  the same id, so never twice);
- NOTICE_SENT, NOTICE_ANSWERED; NOTICE_OVERDUE when a notice is recorded after its window closed with no
  removal (the clock emits the others, with the same id);
- LIKENESS_MATCHED: a recorded file shows the face of an enrolled person: to her (and her agency) alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from likeness.alerts.types import EXPIRY_NOTICE_DAYS
from likeness.events.contract import Event
from likeness.events.fields import parse_instant
from likeness.graph import alerts as stored

_KINDS = {"ASSET": "asset", "TWIN": "twin", "SIGHTING": "sighting"}


def new_id() -> str:
    return f"alert-{secrets.token_hex(8)}"


def _alert(type_: str, subject: str, kind: str, summary: str, **extra: Any) -> dict[str, Any]:
    """One alert as graph.alerts.emit takes it (a new id unless `extra` gives one)."""
    return {
        "id": new_id(),
        "type": type_,
        "subjectId": subject,
        "subjectKind": kind,
        "summary": summary,
        **extra,
    }


def overdue_id(notice_id: str) -> str:
    """A notice's NOTICE_OVERDUE has one id, whoever emits it (the write or the clock)."""
    return f"alert-overdue-{notice_id}"


def expiring_id(consent_id: str) -> str:
    """A consent's CONSENT_EXPIRING has one id, whoever emits it (the write or the clock)."""
    return f"alert-expiring-{consent_id}"


def verdict_alerts(changes: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """VERDICT_OPENED and VERDICT_CLOSED for each code graph.alerts.verdict_changes reports."""
    for change in changes:
        kind, subject = change["subjectKind"], change["subjectId"]
        parties = [party for party in change["parties"] if party]
        for type_, codes, says in (
            ("VERDICT_OPENED", change["opened"], "now holds on"),
            ("VERDICT_CLOSED", change["closed"], "no longer holds on"),
        ):
            for code in codes:
                summary = f"{code} {says} {_KINDS.get(kind, kind.lower())} {subject}"
                yield _alert(type_, subject, kind, summary, code=code, parties=parties)


def expiring_alert(consent_id: str) -> dict[str, Any]:
    summary = f"Consent {consent_id} ends within {EXPIRY_NOTICE_DAYS} days"
    return _alert("CONSENT_EXPIRING", consent_id, "CONSENT", summary, id=expiring_id(consent_id))


def overdue_alert(notice_id: str, *, checked: bool) -> dict[str, Any]:
    """`checked`: the caller knows the window closed with no removal (else the write checks it)."""
    summary = f"Takedown notice {notice_id}: the response window closed and the image was not removed"
    return _alert(
        "NOTICE_OVERDUE",
        notice_id,
        "NOTICE",
        summary,
        id=overdue_id(notice_id),
        when=None if checked else "OVERDUE",
    )


def event_alerts(events: Sequence[Event], now: datetime) -> Iterator[dict[str, Any]]:
    """The alerts the events themselves say (not their verdicts)."""
    for event in events:
        data = event.input
        if event.op == "revokeConsent":
            consent = data["consentId"]
            summary = f"Consent {consent} was revoked: what runs under it must be taken down by the deadline"
            yield _alert("CONSENT_REVOKED", consent, "CONSENT", summary)
        elif event.op == "grantConsent":
            until = data.get("validUntil")
            if until is not None and now < parse_instant(until) <= now + timedelta(days=EXPIRY_NOTICE_DAYS):
                yield expiring_alert(data["id"])
        elif event.op == "sendTakedownNotice":
            notice = data["id"]
            sighting, platform = data["sightingId"], data["platformId"]
            summary = f"Takedown notice {notice} about sighting {sighting} was sent to {platform}"
            yield _alert("NOTICE_SENT", notice, "NOTICE", summary)
            yield overdue_alert(notice, checked=False)
        elif event.op == "recordNoticeResponse":
            notice = data["noticeId"]
            summary = f"Takedown notice {notice} was answered: {data['outcome']}"
            yield _alert("NOTICE_ANSWERED", notice, "NOTICE", summary)
        for match in data.get("faceMatches") or ():
            kind = "SIGHTING" if event.op == "reportSighting" else "ASSET"
            summary = f"The file of {kind.lower()} {event.key} shows the face of {match['personId']}"
            yield _alert("LIKENESS_MATCHED", event.key, kind, summary, only=[match["personId"]])


async def write_alerts(
    tx: AsyncManagedTransaction, events: Sequence[Event], subject_ids: Sequence[str], now: datetime
) -> int:
    """Write, in the change's transaction, every alert the accepted events and the verdicts they re-evaluated
    (`subject_ids`) produce; answers how many were written."""
    alerts = list(event_alerts(events, now))
    alerts.extend(verdict_alerts(await stored.verdict_changes(tx, subject_ids, now)))
    return await stored.emit(tx, alerts, now)
