"""The alerts' audience in the competing-tenants world: a tenant never reads an alert about a subject it may
not see (tests/access/world.py SEES), and reads every alert of a change about a subject it sees (an alert is
addressed when its change is written: to those who see the subject then); readers of everything read all."""

from __future__ import annotations

from typing import Any

from tests.access import world
from tests.factories import send

ALERTS = "{ alerts(first: 500) { unread items { id seq type subjectId } } }"


# the new notice is seen by those who see the old one about the same sighting
LIKE = {"n-3": "n-2"}


def sees(tenant: tuple[str, str], subject: str) -> bool:
    return world.sees(tenant, LIKE.get(subject, subject))


async def changes(api: Any) -> None:
    """Changes to the finished world: two revocations, a new notice and an answer to an old one."""
    for consent in ("k-ada-a", "k-bea-b"):
        await send(api, "revokeConsent", {"consentId": consent, "revokedAt": "2025-06-01T00:00:00Z"})
    (old,) = [data for op, data in world.EVENTS if op == "sendTakedownNotice" and data["id"] == "n-2"]
    await send(api, "sendTakedownNotice", {**old, "id": "n-3", "sentAt": "2025-04-03T00:00:00Z"})
    answer = {"noticeId": "n-2", "respondedAt": "2025-04-04T00:00:00Z", "outcome": "REFUSED"}
    await send(api, "recordNoticeResponse", answer)


async def test_each_tenant_reads_the_alerts_about_what_it_sees_and_no_other(
    api: Any, tenants: dict[tuple[str, str], str]
) -> None:
    built = max(a["seq"] for a in (await api(ALERTS, token=tenants[("INVESTIGATOR", "")]))["alerts"]["items"])
    await changes(api)
    everything = (await api(ALERTS, token=tenants[("INVESTIGATOR", "")]))["alerts"]["items"]
    changed = [a for a in everything if a["seq"] > built]
    assert {a["type"] for a in changed} >= {
        "CONSENT_REVOKED",
        "NOTICE_SENT",
        "NOTICE_ANSWERED",
        "VERDICT_OPENED",
    }
    for role in ("ADMIN", "REGULATOR"):
        assert {a["id"] for a in (await api(ALERTS, token=tenants[(role, "")]))["alerts"]["items"]} == {
            a["id"] for a in everything
        }
    for tenant in world.SEES:
        read = (await api(ALERTS, token=tenants[tenant]))["alerts"]["items"]
        foreign = [a for a in read if not sees(tenant, a["subjectId"])]
        assert not foreign, f"{tenant} reads alerts about what it may not see: {foreign}"
        missed = [
            a for a in changed if sees(tenant, a["subjectId"]) and a["id"] not in {b["id"] for b in read}
        ]
        assert not missed, f"{tenant} misses alerts about what it sees: {missed}"
