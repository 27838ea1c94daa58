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
    # platforms under notice clocks of their own (TAKE IT DOWN in the US, the IT Rules in India)
    ("registerOrganization", {**org("platform-gram", "PLATFORM"), "jurisdiction": "US"}),
    ("registerOrganization", {**org("platform-other", "PLATFORM"), "jurisdiction": "IN"}),
    ("recordCapture", capture()),
    ("buildTwin", twin()),
]


def day(n: int) -> str:
    return (datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


# perceptual hashes: captures near each other, sightings near a capture, the assets' or nothing
CAPTURE_PHASHES = ("00ff00ff00ff00ff", "0fff00ff00ff00ff")
SIGHTING_PHASHES = (None, "00ff00ff00ff00f0", "00ff00ff00ff00f0", "f0f0f0f0f0f0f0f1", "ff00ff00ff00ff00")
PERSONS = ("person-ada", "person-guardian")
PLATFORMS = ("platform-gram", "platform-other")
WORLD_KINDS = ("consent", "asset", "revocation", "withdrawal", "sighting", "capture", "notice", "response")
# worlds about sightings: captures with a phash, sightings near them or an asset, notices and answers
SIGHTING_KINDS = ("capture", "sighting", "notice", "notice", "response", "response", "asset")


@st.composite
def histories(draw: st.DrawFn, kinds: tuple[str, ...], size: int) -> list[tuple[str, dict[str, Any]]]:
    """A history of up to `size` events, each drawn among `kinds` with what it refers to drawn among what
    the history made before it (a revocation of a granted consent, a notice about a reported sighting,
    each at or after what it follows), so that nearly every event applies; plus a few faults (an id sent
    again with another value, a reference to nothing), at most one event in four, which must be refused
    without a trace."""
    made: dict[str, list[dict[str, Any]]] = {
        kind: [] for kind in ("consent", "asset", "sighting", "notice", "capture")
    }

    def faces() -> dict[str, Any]:
        """The faces of enrolled persons the file shows (none, hers, her guardian's or both), each with one
        capture of that person made so far."""
        captures = {"person-ada": "capture-1"}
        captures.update({c["personIds"][0]: c["id"] for c in made["capture"]})
        shown = draw(st.lists(st.sampled_from(sorted(captures)), max_size=2, unique=True))
        matches = [
            {
                "personId": person_id,
                "captureId": captures[person_id],
                "distance": draw(st.sampled_from([0.31, 0.45, 0.59])),
                "box": [10, 20, 110, 140],
                "frameTime": 0.0,
                "model": "dlib-resnet-v1",
                "threshold": 0.6,
            }
            for person_id in shown
        ]
        return {"faceMatches": matches} if matches else {}

    revoked: set[str] = set()
    withdrawn: set[str] = set()
    events: list[tuple[str, dict[str, Any]]] = []
    for n in range(draw(st.integers(3, size))):
        possible = [
            kind
            for kind in kinds
            if kind in ("consent", "asset", "sighting", "capture")
            or (kind == "revocation" and len(made["consent"]) > len(revoked))
            or (kind == "withdrawal" and len(made["asset"]) > len(withdrawn))
            or (kind == "notice" and made["sighting"])
            or (kind == "response" and made["notice"])
        ]
        kind = draw(st.sampled_from(possible))
        if kind == "consent":
            start = draw(st.integers(0, 200))
            data = consent(
                f"consent-{n}",
                signedAt=day(start),
                validFrom=day(start),
                validUntil=day(start + draw(st.integers(20, 400))),
                granteeId=draw(st.sampled_from(["brand-nordhem", "brand-other"])),
                sublicensable=draw(st.booleans()),
                territories=[draw(st.sampled_from(["SE", "US"]))],
                signedById=draw(st.sampled_from(["person-ada", "person-guardian"])),
                **({"guardianId": "person-guardian"} if draw(st.booleans()) else {}),
                # person-ada lives in US-NY: an unrepresented consent replacing her work is unenforceable
                **draw(
                    st.sampled_from(
                        [
                            {},
                            {"replacesInPersonWork": True, "representation": "NONE"},
                            {"replacesInPersonWork": True, "representation": "COUNSEL"},
                            {"replacesInPersonWork": False, "representation": "NONE"},
                        ]
                    )
                ),
            )
            events.append(("grantConsent", data))
        elif kind == "asset":
            publisher = draw(st.sampled_from(["brand-nordhem", "brand-other"]))
            sublicensed = draw(st.booleans()) and publisher == "brand-other"
            data = asset(
                f"asset-{n}",
                100 + n,
                publishedAt=day(draw(st.integers(0, 300))),
                publisherId=publisher,
                aiLabel=draw(st.booleans()),
                **({"sublicensedFromId": "brand-nordhem"} if sublicensed else {}),
                **faces(),
            )
            events.append(("publishAsset", data))
        elif kind == "revocation":
            granted = draw(st.sampled_from([c for c in made["consent"] if c["id"] not in revoked]))
            revoked.add(granted["id"])
            at = _after(granted["signedAt"], draw(st.integers(0, 400)))
            events.append(("revokeConsent", {"consentId": granted["id"], "revokedAt": at}))
        elif kind == "withdrawal":
            published = draw(st.sampled_from([a for a in made["asset"] if a["id"] not in withdrawn]))
            withdrawn.add(published["id"])
            at = _after(published["publishedAt"], draw(st.integers(0, 300)))
            events.append(("withdrawAsset", {"assetId": published["id"], "withdrawnAt": at}))
        elif kind == "sighting":
            # its file is one of the assets' (an exact match) or a file of its own
            number = draw(st.sampled_from([*(int(a["sha256"], 16) for a in made["asset"]), 1000 + n]))
            phash = draw(st.sampled_from(SIGHTING_PHASHES))
            data = {
                "id": f"sighting-{n}",
                "url": f"https://gram.example/{n}",
                "observedAt": day(draw(st.integers(0, 600))),
                "sha256": f"{number:064x}",
                **({"phash": phash} if phash else {}),
                **draw(
                    st.sampled_from([{}, {"platformId": "platform-gram"}, {"platformId": "platform-other"}])
                ),
                **faces(),
            }
            events.append(("reportSighting", data))
        elif kind == "capture":
            data = {
                **capture(
                    f"capture-p{n}", persons=[draw(st.sampled_from(["person-ada", "person-guardian"]))]
                ),
                "sha256": f"{50 + n:064x}",
                "phash": draw(st.sampled_from(CAPTURE_PHASHES)),
                "capturedAt": day(draw(st.integers(-30, 600))),
            }
            events.append(("recordCapture", data))
        elif kind == "notice":
            seen = draw(st.sampled_from(made["sighting"]))
            data = {
                "id": f"notice-{n}",
                "sightingId": seen["id"],
                # a notice about a sighting seen on a platform goes to that platform
                "platformId": seen.get("platformId")
                or draw(st.sampled_from(["platform-gram", "platform-other"])),
                "sentById": "person-ada",
                # some a year or more later, under the clocks of 2026 (from 20 February and 19 May)
                "sentAt": _after(
                    seen["observedAt"], draw(st.one_of(st.integers(0, 100), st.sampled_from([420, 520, 600])))
                ),
                # hours given, or the law's clock (by the platform, the day, the category and the order)
                **draw(
                    st.sampled_from(
                        [
                            {"responseHours": 24},
                            {"responseHours": 24 * 40},
                            {},
                            {"category": "INTIMATE"},
                            {"category": "INTIMATE"},
                            {"category": "OTHER", "ordered": True},
                            {"ordered": True},
                            {"category": "INTIMATE", "ordered": True},
                        ]
                    )
                ),
            }
            events.append(("sendTakedownNotice", data))
        else:
            sent = draw(st.sampled_from(made["notice"]))
            data = {
                "noticeId": sent["id"],
                "respondedAt": _after(sent["sentAt"], draw(st.integers(0, 100))),
                "outcome": draw(st.sampled_from(["REMOVED", "REFUSED", "COUNTER_NOTICE"])),
            }
            events.append(("recordNoticeResponse", data))
        if kind in made:
            made[kind].append(events[-1][1])
    faults = draw(
        st.lists(st.tuples(st.integers(0, len(events) - 1), st.booleans()), max_size=len(events) // 3)
    )
    for at, again in faults:
        op, data = events[at]
        if again and "id" in data:
            # the same id with another value: a CONFLICT
            events.append((op, _changed(data)))
        else:
            # a reference to nothing: NOT_FOUND
            events.insert(at, ("revokeConsent", {"consentId": f"consent-none-{at}", "revokedAt": day(0)}))
    return events


def _after(instant: str, days: int) -> str:
    return (datetime.fromisoformat(instant.replace("Z", "+00:00")) + timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def _changed(data: dict[str, Any]) -> dict[str, Any]:
    """The input with one field changed."""
    if "description" in data:
        return {**data, "description": data["description"] + " (changed)"}
    if "url" in data:
        return {**data, "url": data["url"] + "/other"}
    if "sha256" in data:
        return {**data, "sha256": f"{int(data['sha256'], 16) + 7_000:064x}"}
    # a notice: other hours than it was given or the law set (at most 72)
    return {**data, "responseHours": data.get("responseHours", 72) + 1}


SNAPSHOT = (
    "MATCH (v:Verdict) RETURN v.subjectId AS s, v.code AS c, v.start AS start, v.end AS end, "
    "v.liable AS liable, v.consentIds AS k, v.failedClauses AS f, v.evidence AS e "
    "ORDER BY s, start, c, k, e"
)
AT_INSTANT = (
    "MATCH (v:Verdict) WHERE v.start <= $t AND v.end > $t RETURN v.subjectId AS s, v.code AS c, "
    "v.liable AS liable ORDER BY s, c, liable"
)


INSTANTS = st.lists(st.integers(-10, 700), min_size=3, max_size=6)


# the histories of the verdict tests, shared with the audit counts' generated worlds (test_audit_counts)
worlds = histories(WORLD_KINDS, 10)


async def apply_one(graph: Any, op: str, data: dict[str, Any]) -> bool:
    """Record one event as its own mutation; whether it was applied (not refused)."""
    outcome = await record(graph, OPERATOR, [parse_event(op, data)])
    return not outcome.rejected


# 100 examples each (hypothesis' default), every event recorded against the real Neo4j: small histories
# (3 to 10 events and their faults) keep each example to a few dozen transactions
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=worlds, instants=INSTANTS, consented_build=st.booleans())
async def test_incremental_verdicts_equal_a_full_reevaluation(
    graph: Any, events: list[Any], instants: list[int], consented_build: bool
) -> None:
    await _incremental_equals_full(graph, events, instants, consented_build)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=histories(SIGHTING_KINDS, 10), instants=INSTANTS, consented_build=st.booleans())
async def test_incremental_sighting_verdicts_equal_a_full_reevaluation(
    graph: Any, events: list[Any], instants: list[int], consented_build: bool
) -> None:
    await _incremental_equals_full(graph, events, instants, consented_build)


NOTICES = """
    MATCH (n:TakedownNotice)-[:TO]->(p)
    RETURN n.input AS input, n.responseHours AS hours, n.responseHoursGiven AS given, n.clockLaw AS law,
           n.sentAt AS sentAt, n.dueAt AS dueAt, p.jurisdiction AS jurisdiction
"""


def expected_clock(notice: dict[str, Any], jurisdiction: str | None) -> tuple[int, str | None]:
    """The clock of a notice that gave no hours, worked out here from the two packs' words: 48 h for
    intimate imagery on a US platform from 2026-05-19, 3 h for an ordered takedown on an Indian one from
    2026-02-20, else 72 h."""
    day = notice["sentAt"][:10]
    if jurisdiction == "US" and notice.get("category") == "INTIMATE" and day >= "2026-05-19":
        return 48, "US-TAKE-IT-DOWN@1"
    if jurisdiction == "IN" and notice.get("ordered") is True and day >= "2026-02-20":
        return 3, "IN-IT-RULES-2026@1"
    return 72, None


async def _clocks_are_the_laws(graph: Any) -> None:
    """Every stored notice has the hours it was given, else the law's clock (an oracle apart from
    likeness.laws), and its window closes that many hours after it was sent."""
    for row in await graph.query(NOTICES):
        notice = orjson.loads(row["input"])
        if "responseHours" not in notice:
            assert (row["hours"], row["given"], row["law"]) == (
                *expected_clock(notice, row["jurisdiction"])[:1],
                False,
                expected_clock(notice, row["jurisdiction"])[1],
            ), notice
        else:
            assert (row["hours"], row["given"], row["law"]) == (notice["responseHours"], True, None), notice
        assert row["dueAt"].to_native() == row["sentAt"].to_native() + timedelta(hours=row["hours"])


async def _incremental_equals_full(
    graph: Any, events: list[Any], instants: list[int], consented_build: bool
) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    build = [("grantConsent", consent("consent-build", "BUILD", signedAt=day(-30), validFrom=day(-30)))]
    # the fixed start (the twin built with its person's consent or without) in one batch: what is
    # incremental is the events after it, one mutation each
    base = BASE[:-1] + (build if consented_build else []) + BASE[-1:]
    start = await record(graph, OPERATOR, [parse_event(op, data) for op, data in base], source="base")
    assert not start.rejected, start.rejected
    # rejected events (unknown targets, conflicts) leave no trace
    applied = [await apply_one(graph, op, data) for op, data in events]
    # the history is made so that nearly every event applies; only its few faults (at most one in four)
    # are refused: a history mostly refused would test nothing
    assert sum(applied) >= 3 * len(events) / 4, [e for e, ok in zip(events, applied, strict=True) if not ok]
    incremental = await graph.query(SNAPSHOT)
    await reevaluate_all(graph)
    assert await graph.query(SNAPSHOT) == incremental
    await _clocks_are_the_laws(graph)

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
