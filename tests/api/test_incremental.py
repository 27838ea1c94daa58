"""Incremental verdicts equal a from-scratch re-evaluation, and stored answers equal the rules as of T."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from likeness import rules
from likeness.access.principals import OPERATOR
from likeness.events.contract import parse_event
from likeness.graph.worlds import asset_worlds, sighting_worlds, twin_worlds
from likeness.ingest.record import record
from likeness.verdicts.refresh import reevaluate_all
from tests.factories import asset, capture, consent, org, person, twin

BASE = [
    ("registerPerson", person(birthDate="2009-06-01")),
    ("registerPerson", person("person-guardian")),
    ("registerOrganization", org("brand-nordhem", "BRAND")),
    ("registerOrganization", org("brand-other", "BRAND")),
    ("registerOrganization", org("vendor-uncut", "VENDOR")),
    ("registerOrganization", org("studio-north", "STUDIO")),
    ("registerOrganization", org("platform-gram", "PLATFORM")),
    ("registerOrganization", org("platform-other", "PLATFORM")),
    ("recordCapture", capture()),
    ("buildTwin", twin()),
]


def day(n: int) -> str:
    return (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


consents = st.builds(
    lambda i, start, length, grantee, guardian, signer, sub, territory: (
        "grantConsent",
        consent(
            f"consent-{i}",
            signedAt=day(start),
            validFrom=day(start),
            validUntil=day(start + length),
            granteeId=grantee,
            sublicensable=sub,
            territories=[territory],
            signedById=signer,
            **({"guardianId": "person-guardian"} if guardian else {}),
        ),
    ),
    st.integers(0, 3),
    st.integers(0, 200),
    st.integers(20, 400),
    st.sampled_from(["brand-nordhem", "brand-other"]),
    st.booleans(),
    st.sampled_from(["person-ada", "person-guardian"]),
    st.booleans(),
    st.sampled_from(["SE", "US"]),
)
assets = st.builds(
    lambda i, published, publisher, sub, label: (
        "publishAsset",
        asset(
            f"asset-{i}",
            i,
            publishedAt=day(published),
            publisherId=publisher,
            aiLabel=label,
            **({"sublicensedFromId": "brand-nordhem"} if sub and publisher == "brand-other" else {}),
        ),
    ),
    st.integers(0, 3),
    st.integers(0, 300),
    st.sampled_from(["brand-nordhem", "brand-other"]),
    st.booleans(),
    st.booleans(),
)
revocations = st.builds(
    lambda i, at: ("revokeConsent", {"consentId": f"consent-{i}", "revokedAt": day(at)}),
    st.integers(0, 3),
    st.integers(200, 500),
)
withdrawals = st.builds(
    lambda i, at: ("withdrawAsset", {"assetId": f"asset-{i}", "withdrawnAt": day(at)}),
    st.integers(0, 3),
    st.integers(300, 600),
)
# perceptual hashes: captures near each other, sightings near a capture, the assets' or nothing
CAPTURE_PHASHES = ("00ff00ff00ff00ff", "0fff00ff00ff00ff")
SIGHTING_PHASHES = (None, "00ff00ff00ff00f0", "00ff00ff00ff00f0", "f0f0f0f0f0f0f0f1", "ff00ff00ff00ff00")
sightings = st.builds(
    lambda i, at, phash, platform: (
        "reportSighting",
        {
            "id": f"sighting-{i}",
            "url": f"https://gram.example/{i}",
            "observedAt": day(at),
            "sha256": f"{i:064x}",
            **({"phash": phash} if phash else {}),
            **({"platformId": "platform-gram"} if platform else {}),
        },
    ),
    st.integers(0, 3),
    st.integers(0, 600),
    st.sampled_from(SIGHTING_PHASHES),
    st.booleans(),
)
captures = st.builds(
    lambda i, at, phash, person: (
        "recordCapture",
        {
            **capture(f"capture-p{i}", persons=[person], n=50 + i),
            "phash": phash,
            "capturedAt": day(at),
        },
    ),
    st.integers(0, 2),
    st.integers(-30, 600),
    st.sampled_from(CAPTURE_PHASHES),
    st.sampled_from(["person-ada", "person-guardian"]),
)
notices = st.builds(
    lambda i, sighting, at, hours, platform: (
        "sendTakedownNotice",
        {
            "id": f"notice-{i}",
            "sightingId": f"sighting-{sighting}",
            "platformId": platform,
            "sentById": "person-ada",
            "sentAt": day(at),
            "responseHours": hours,
        },
    ),
    st.integers(0, 2),
    st.integers(0, 3),
    st.integers(0, 600),
    st.sampled_from([24, 72, 24 * 40]),
    st.sampled_from(["platform-gram", "platform-other"]),
)
responses = st.builds(
    lambda i, at, outcome: (
        "recordNoticeResponse",
        {"noticeId": f"notice-{i}", "respondedAt": day(at), "outcome": outcome},
    ),
    st.integers(0, 2),
    st.integers(0, 700),
    st.sampled_from(["REMOVED", "REFUSED", "COUNTER_NOTICE"]),
)
worlds = st.lists(
    st.one_of(consents, assets, revocations, withdrawals, sightings, captures, notices, responses),
    min_size=3,
    max_size=12,
)

SNAPSHOT = (
    "MATCH (v:Verdict) RETURN v.subjectId AS s, v.code AS c, v.start AS start, v.end AS end, "
    "v.liable AS liable, v.consentIds AS k, v.failedClauses AS f, v.evidence AS e "
    "ORDER BY s, start, c, k, e"
)
AT_INSTANT = (
    "MATCH (v:Verdict) WHERE v.start <= $t AND v.end > $t RETURN v.subjectId AS s, v.code AS c, "
    "v.liable AS liable ORDER BY s, c, liable"
)


async def apply_one(graph: Any, op: str, data: dict[str, Any]) -> None:
    await record(graph, OPERATOR, [parse_event(op, data)])


# worlds about sightings: captures with a phash, sightings near them or an asset, notices and answers
sighting_worlds_strategy = st.lists(
    st.one_of(captures, sightings, notices, notices, responses, responses, assets),
    min_size=4,
    max_size=12,
)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=worlds, instants=st.lists(st.integers(-10, 700), min_size=3, max_size=6))
async def test_incremental_verdicts_equal_a_full_reevaluation(
    graph: Any, events: list[Any], instants: list[int]
) -> None:
    await _incremental_equals_full(graph, events, instants)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=sighting_worlds_strategy, instants=st.lists(st.integers(-10, 700), min_size=3, max_size=6))
async def test_incremental_sighting_verdicts_equal_a_full_reevaluation(
    graph: Any, events: list[Any], instants: list[int]
) -> None:
    await _incremental_equals_full(graph, events, instants)


async def _incremental_equals_full(graph: Any, events: list[Any], instants: list[int]) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    await apply_one(
        graph, "grantConsent", consent("consent-build", "BUILD", signedAt=day(-30), validFrom=day(-30))
    )
    for op, data in BASE + events:
        await apply_one(graph, op, data)  # rejected events (unknown targets, conflicts) leave no trace
    incremental = await graph.query(SNAPSHOT)
    await reevaluate_all(graph)
    assert await graph.query(SNAPSHOT) == incremental

    async def facts(tx: Any) -> Any:
        ids = [row["id"] for row in await (await tx.run("MATCH (a:Asset) RETURN a.id AS id")).data()]
        seen = [row["id"] for row in await (await tx.run("MATCH (s:Sighting) RETURN s.id AS id")).data()]
        return (
            await asset_worlds(tx, ids),
            await twin_worlds(tx, ["twin-ada-1"]),
            await sighting_worlds(tx, seen),
        )

    asset_facts, twin_facts, sighting_facts = await graph.read(facts)
    for offset in instants:
        moment = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=offset, seconds=offset % 7)
        expected = sorted(
            [
                (v.subject_id, v.code, [[p.party_id, p.role] for p in v.liable])
                for world in asset_facts.values()
                for v in rules.verdicts_for_asset(world, moment)
            ]
            + [
                (v.subject_id, v.code, [[p.party_id, p.role] for p in v.liable])
                for world in twin_facts.values()
                for v in rules.verdicts_for_twin(world, moment)
            ]
            + [
                (v.subject_id, v.code, [[p.party_id, p.role] for p in v.liable])
                for world, _ in sighting_facts.values()
                for v in rules.verdicts_for_sighting(world, moment)
            ]
        )
        stored = sorted(
            (row["s"], row["c"], orjson.loads(row["liable"]))
            for row in await graph.query(AT_INSTANT, t=moment)
        )
        assert stored == expected, moment
