"""Alerts written with the change (the outbox) and by the clock: who hears of a revocation, a verdict
announced once, nothing from a refused write, a notice's window closing with no write, catch-up without
duplicates, read marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from likeness.access import keys
from likeness.alerts import clock
from likeness.events.fields import format_instant
from likeness.graph.driver import Graph, run
from tests.api.test_notices import CAPTURE_PHASH
from tests.api.test_notices import world as notices_world
from tests.factories import asset, base_world, consent, org, send

ALERTS = """query($types: [AlertType!], $unreadOnly: Boolean) {
  alerts(types: $types, unreadOnly: $unreadOnly) {
    unread items { id seq type subjectId subjectKind code deadline summary read } } }"""
MARK = "mutation($ids: [ID!], $all: Boolean) { markAlertsRead(ids: $ids, all: $all) }"


def ago(**delta: float) -> str:
    return format_instant(datetime.now(UTC) - timedelta(**delta))


async def write(graph: Graph, cypher: LiteralString, **params: Any) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        await run(tx, cypher, **params)

    await graph.write(work)


async def token(graph: Graph, role: str, party: str | None = None) -> str:
    return (await keys.create(graph, role=role, party_id=party)).secret


async def alerts_of(api: Any, key: str, **variables: Any) -> dict[str, Any]:
    return (await api(ALERTS, variables, token=key))["alerts"]


async def published_world(api: Any) -> None:
    """The base world with a consent in force for two more years, an asset of brand-nordhem under it, and a
    second brand."""
    await base_world(api)
    await send(api, "registerOrganization", org("brand-other", "BRAND"))
    await send(api, "grantConsent", consent("consent-long", validUntil=ago(days=-700)))
    await send(api, "publishAsset", asset(publishedAt=ago(days=90)))


async def test_a_revocation_reaches_every_publisher_with_its_deadline_and_no_one_else(
    api: Any, graph: Graph
) -> None:
    await published_world(api)
    brand, other = await token(graph, "BRAND", "brand-nordhem"), await token(graph, "BRAND", "brand-other")
    person, investigator = await token(graph, "PERSON", "person-ada"), await token(graph, "INVESTIGATOR")
    before = {alert["id"] for alert in (await alerts_of(api, brand))["items"]}
    revoked = ago(days=40)
    await send(api, "revokeConsent", {"consentId": "consent-long", "revokedAt": revoked})

    new = [alert for alert in (await alerts_of(api, brand))["items"] if alert["id"] not in before]
    kinds = {(alert["type"], alert["subjectId"]) for alert in new}
    assert ("CONSENT_REVOKED", "consent-long") in kinds
    (revocation,) = [alert for alert in new if alert["type"] == "CONSENT_REVOKED"]
    # the consent's takedown period (30 days) from its revocation
    deadline = datetime.fromisoformat(revoked) + timedelta(days=30)
    assert datetime.fromisoformat(revocation["deadline"]) == deadline
    # the grace ran out ten days ago: the asset is live after revocation, announced with the change
    opened = [alert for alert in new if alert["type"] == "VERDICT_OPENED"]
    assert [(a["subjectId"], a["code"]) for a in opened] == [("asset-1", "LIVE_AFTER_REVOCATION")]
    assert all(alert["read"] is False for alert in new)

    # the person whose consent it was hears of both; the investigator too; the other brand of neither
    for key in (person, investigator):
        seen = {alert["id"] for alert in (await alerts_of(api, key))["items"]}
        assert {alert["id"] for alert in new} <= seen
    assert not {alert["id"] for alert in (await alerts_of(api, other))["items"]} & {a["id"] for a in new}
    # seq orders every alert, newest first
    seqs = [alert["seq"] for alert in (await alerts_of(api, investigator))["items"]]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)


async def test_a_verdict_is_announced_once_however_many_writes_touch_its_subject(
    api: Any, graph: Graph
) -> None:
    await published_world(api)
    revocation = {"consentId": "consent-long", "revokedAt": ago(days=40)}
    await send(api, "revokeConsent", revocation)
    investigator = await token(graph, "INVESTIGATOR")

    async def opened() -> list[tuple[str, str]]:
        found = await alerts_of(api, investigator, types=["VERDICT_OPENED"])
        return [(a["subjectId"], a["code"]) for a in found["items"] if a["subjectId"] == "asset-1"]

    assert await opened() == [("asset-1", "LIVE_AFTER_REVOCATION")]
    # the same revocation again (unchanged) and another write touching the asset's person
    await send(api, "revokeConsent", revocation)
    await send(api, "publishAsset", asset("asset-2", n=101, publishedAt=ago(days=80)))
    assert await opened() == [("asset-1", "LIVE_AFTER_REVOCATION")]


async def test_a_verdict_that_stops_holding_is_announced_closed(api: Any, graph: Graph) -> None:
    await notices_world(api)
    investigator = await token(graph, "INVESTIGATOR")
    opened = await alerts_of(api, investigator, types=["VERDICT_OPENED"])
    assert ("sighting-1", "UNREGISTERED_USE") in {(a["subjectId"], a["code"]) for a in opened["items"]}
    # the asset it shows is registered after all: the sighting is no unregistered use any more
    await send(
        api, "publishAsset", asset("asset-late", phash=CAPTURE_PHASH, publishedAt="2026-02-01T00:00:00Z")
    )
    closed = await alerts_of(api, investigator, types=["VERDICT_CLOSED"])
    assert [(a["subjectId"], a["code"]) for a in closed["items"]] == [("sighting-1", "UNREGISTERED_USE")]


async def test_a_refused_write_leaves_no_alert(api: Any, graph: Graph) -> None:
    await published_world(api)
    investigator = await token(graph, "INVESTIGATOR")
    count = len((await alerts_of(api, investigator))["items"])
    person = await token(graph, "PERSON", "person-ada")
    # a revocation before the consent was signed is refused: nothing of it lands
    errors = await api.errors(
        "mutation($input: RevocationInput!) { revokeConsent(input: $input) { id } }",
        {"input": {"consentId": "consent-missing", "revokedAt": ago(days=1)}},
        token=person,
    )
    assert errors
    assert len((await alerts_of(api, investigator))["items"]) == count


async def test_the_clock_emits_a_notice_overdue_once_on_time_and_catches_up_without_duplicates(
    api: Any, graph: Graph
) -> None:
    await base_world(api)
    now = datetime.now(UTC).replace(microsecond=0)
    await send(
        api,
        "reportSighting",
        {
            "id": "sighting-1",
            "url": "https://gram.example/p/1",
            "observedAt": ago(days=5),
            "platformId": "platform-gram",
            "phash": "0123456789abcdef",
        },
    )
    sent = now - timedelta(hours=72) + timedelta(seconds=30)  # due 30 s from now
    await send(
        api,
        "sendTakedownNotice",
        {
            "id": "notice-1",
            "sightingId": "sighting-1",
            "platformId": "platform-gram",
            "sentById": "person-ada",
            "sentAt": format_instant(sent),
            "responseHours": 72,
            "basis": "an unauthorised replica",
        },
    )
    platform_sees = await token(graph, "INVESTIGATOR")

    async def overdue() -> list[dict[str, Any]]:
        return (await alerts_of(api, platform_sees, types=["NOTICE_OVERDUE"]))["items"]

    assert await overdue() == []  # not yet due when sent
    assert await clock.tick(graph, "replica-a", 30, now=now) == 0  # the first tick starts the clock
    assert await clock.tick(graph, "replica-b", 30, now=now + timedelta(seconds=10)) is None  # leased
    assert await clock.tick(graph, "replica-a", 30, now=now + timedelta(seconds=20)) == 0
    # replica-a stops; after its lease ran out, replica-b catches up with everything since its last tick
    later = now + timedelta(minutes=5)
    await write(graph, "MATCH (l:Lease {name: 'clock'}) SET l.until = datetime() - duration('PT1S')")
    written = await clock.tick(graph, "replica-b", 30, now=later)
    assert written and written >= 1
    (alert,) = await overdue()
    assert alert["subjectId"] == "notice-1"
    assert datetime.fromisoformat(alert["deadline"]) == sent + timedelta(hours=72)
    # the time-driven verdict on the sighting is announced with it
    opened = await alerts_of(api, platform_sees, types=["VERDICT_OPENED"])
    assert ("sighting-1", "NOTICE_UNANSWERED") in {(a["subjectId"], a["code"]) for a in opened["items"]}
    # a tick over the same window again (a restart that lost its `through`) writes nothing twice
    await write(
        graph, "MATCH (l:Lease {name: 'clock'}) SET l.through = datetime($at)", at=format_instant(now)
    )
    assert await clock.tick(graph, "replica-b", 30, now=later + timedelta(seconds=1)) == 0
    assert len(await overdue()) == 1


async def test_read_marks_are_the_readers_own(api: Any, graph: Graph) -> None:
    await published_world(api)
    await send(api, "revokeConsent", {"consentId": "consent-long", "revokedAt": ago(days=40)})
    brand, person = await token(graph, "BRAND", "brand-nordhem"), await token(graph, "PERSON", "person-ada")
    mine = await alerts_of(api, brand)
    assert mine["unread"] == len(mine["items"]) > 0
    first = mine["items"][0]["id"]
    assert (await api(MARK, {"ids": [first]}, token=brand))["markAlertsRead"] == 1
    assert (await api(MARK, {"ids": [first]}, token=brand))["markAlertsRead"] == 0  # idempotent
    after = await alerts_of(api, brand)
    assert after["unread"] == mine["unread"] - 1
    assert [a["read"] for a in after["items"] if a["id"] == first] == [True]
    assert len((await alerts_of(api, brand, unreadOnly=True))["items"]) == after["unread"]
    # the person's marks are hers: the same alert is still unread for her
    assert [a["read"] for a in (await alerts_of(api, person))["items"] if a["id"] == first] == [False]
    assert (await api(MARK, {"all": True}, token=brand))["markAlertsRead"] == after["unread"]
    assert (await alerts_of(api, brand))["unread"] == 0
    errors = await api.errors(MARK, {}, token=brand)
    assert errors[0]["extensions"]["field"] == "ids"
