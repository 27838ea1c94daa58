"""The audit's counts kept at write time equal the counts of the stored spans, at every instant."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from typer.testing import CliRunner

from likeness import rules
from likeness.cli import app
from likeness.graph.driver import Graph
from likeness.graph.migrations import migrate
from likeness.graph.verdict_counts import OPEN_END, backfill_verdict_counts, bucket_counts
from likeness.verdicts.refresh import reevaluate_all
from tests.api.test_incremental import BASE, apply_one, worlds
from tests.factories import asset, base_world, consent, send

MICRO = timedelta(microseconds=1)
LAST_INSTANT = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
AUDIT = """query($asOf: DateTime, $filter: AuditFilter) {
  audit(asOf: $asOf, filter: $filter, first: 3) { totalCount countsByCode { code count } } }"""
# what the audit counted before the buckets: the spans holding at $t
HELD = (
    "MATCH (v:Verdict) WHERE v.start <= $t AND v.end > $t AND v.code IS NOT NULL "
    "RETURN v.code AS code, count(*) AS n"
)
BOUNDARIES = "MATCH (v:Verdict) UNWIND [v.start, v.end] AS b RETURN DISTINCT b"
LOADED = (
    "CREATE (:Verdict {code: 'NO_CONSENT', subjectId: 'asset-loaded', vkey: 'asset-loaded|NO_CONSENT|000', "
    "start: datetime('2025-03-01T11:00:00Z'), end: datetime($end), "
    "occurredAt: datetime('2025-03-01T11:00:00Z'), "
    "liable: '[]', consentIds: [], failedClauses: [], evidence: [], explanation: 'loaded directly'})"
)
BUCKETS = (
    "MATCH (c:VerdictCountDay|VerdictCountMonth) WHERE c.opened <> 0 OR c.closed <> 0 "
    "RETURN labels(c) AS kind, coalesce(c.day, c.month) AS key, c.code AS code, c.opened AS opened, "
    "c.closed AS closed ORDER BY key, code, kind"
)


async def held(graph: Any, moment: datetime) -> dict[str, int]:
    return {row["code"]: row["n"] for row in await graph.query(HELD, t=moment)}


async def edge_instants(graph: Any) -> list[datetime]:
    """Every span boundary, a microsecond either side, and the first and last instants of its day."""
    moments = {OPEN_END, OPEN_END - MICRO, LAST_INSTANT, datetime(1900, 1, 1, tzinfo=UTC)}
    for row in await graph.query(BOUNDARIES):
        edge = row["b"].to_native().astimezone(UTC)
        midnight = edge.replace(hour=0, minute=0, second=0, microsecond=0)
        moments |= {edge, edge - MICRO, midnight, midnight - MICRO}
        if edge < LAST_INSTANT:
            moments.add(edge + MICRO)
        if midnight.date() < LAST_INSTANT.date():
            moments |= {midnight + timedelta(days=1) - MICRO, midnight + timedelta(days=1)}
    return sorted(moments)


async def load_a_span_directly(graph: Graph) -> None:
    """A span stored the way a bulk loader or an older version would: without its counts."""

    async def work(tx: Any) -> None:
        await (await tx.run(LOADED, end=OPEN_END.isoformat())).consume()

    await graph.write(work)


async def assert_buckets_count_the_spans(graph: Any, moments: list[datetime]) -> None:
    for moment in moments:
        assert await bucket_counts(graph, as_of=moment) == await held(graph, moment), moment


async def same_day_world(api: Any) -> None:
    """Spans that open and close within one day, on the day another opens, and open-ended ones."""
    await base_world(api)
    await send(api, "publishAsset", asset("asset-brief", 101, publishedAt="2025-03-01T10:00:00Z"))
    await send(api, "withdrawAsset", {"assetId": "asset-brief", "withdrawnAt": "2025-03-01T15:00:00Z"})
    await send(
        api, "publishAsset", asset("asset-unlabelled", 102, publishedAt="2025-03-01T15:00:00Z", aiLabel=False)
    )
    await send(
        api,
        "grantConsent",
        consent(
            "consent-short",
            validFrom="2025-03-02T00:00:00Z",
            validUntil="2025-03-02T08:00:00Z",
            signedAt="2025-03-02T00:00:00Z",
        ),
    )
    await send(
        api,
        "publishAsset",
        asset("asset-late", 103, publishedAt="2026-02-01T09:30:00.000001Z", territories=["US"]),
    )
    await send(api, "revokeConsent", {"consentId": "consent-use", "revokedAt": "2025-06-30T23:59:59.999999Z"})
    await send(api, "publishAsset", asset("asset-after", 104, publishedAt="2025-07-01T00:00:00Z"))


async def test_unfiltered_audit_counts_equal_the_span_scan_at_every_edge(api: Any, graph: Any) -> None:
    await same_day_world(api)
    moments = await edge_instants(graph)
    await assert_buckets_count_the_spans(graph, moments)
    every_code = sorted(rules.CODES)
    for moment in moments[::3]:
        stamp = moment.isoformat()
        whole = (await api(AUDIT, {"asOf": stamp}))["audit"]
        scanned = (await api(AUDIT, {"asOf": stamp, "filter": {"codes": every_code}}))["audit"]
        assert whole == scanned, stamp
        assert whole["totalCount"] == sum((await held(graph, moment)).values())


async def test_random_instants_count_alike_after_writes_rebuild_and_backfill(api: Any, graph: Any) -> None:
    await same_day_world(api)
    rng = random.Random(7)
    low, high = datetime(2024, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    moments = [low + timedelta(microseconds=rng.randrange(int((high - low) / MICRO))) for _ in range(150)]
    await assert_buckets_count_the_spans(graph, moments)
    incremental = await graph.query(BUCKETS)
    assert incremental
    await reevaluate_all(graph)
    assert await graph.query(BUCKETS) == incremental
    await assert_buckets_count_the_spans(graph, moments)
    assert await backfill_verdict_counts(graph) > 0
    assert await graph.query(BUCKETS) == incremental


async def test_spans_written_around_the_buckets_are_counted_from_the_spans_until_recounted(
    api: Any,
    graph: Any,
) -> None:
    await same_day_world(api)
    await load_a_span_directly(graph)
    moment = datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert await bucket_counts(graph, as_of=moment) is None
    audit = (await api(AUDIT, {"asOf": moment.isoformat()}))["audit"]
    assert audit["totalCount"] == sum((await held(graph, moment)).values())
    assert {"code": "NO_CONSENT", "count": 1} in audit["countsByCode"]
    await migrate(graph)  # at the next start
    assert await bucket_counts(graph, as_of=moment) == await held(graph, moment)
    await assert_buckets_count_the_spans(graph, await edge_instants(graph))


async def test_concurrent_writes_on_one_day_lose_no_count(api: Any, graph: Any) -> None:
    await base_world(api)
    await asyncio.gather(
        *(
            send(
                api,
                "publishAsset",
                asset(f"asset-{n}", 200 + n, publishedAt=f"2025-04-01T{n:02d}:00:00Z", aiLabel=n % 2 == 0),
            )
            for n in range(12)
        )
    )
    concurrent = await graph.query(BUCKETS)
    await backfill_verdict_counts(graph)
    assert await graph.query(BUCKETS) == concurrent
    await assert_buckets_count_the_spans(graph, await edge_instants(graph))


@examples(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=worlds)
async def test_generated_worlds_count_alike_incrementally_rebuilt_and_backfilled(
    graph: Any, events: list[Any]
) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    # the twin's BUILD consent after its person is registered (BASE's last event builds the twin)
    build = (
        "grantConsent",
        consent("consent-build", "BUILD", signedAt="2024-12-02T00:00:00Z", validFrom="2024-12-02T00:00:00Z"),
    )
    for op, data in [*BASE[:-1], build, *BASE[-1:], *events]:
        await apply_one(graph, op, data)
    moments = await edge_instants(graph)
    await assert_buckets_count_the_spans(graph, moments)
    incremental = await graph.query(BUCKETS)
    await reevaluate_all(graph)
    assert await graph.query(BUCKETS) == incremental
    await backfill_verdict_counts(graph)
    assert await graph.query(BUCKETS) == incremental
    await assert_buckets_count_the_spans(graph, moments)


def test_cli_recounts_spans_stored_before_the_counts(cli_env: CliRunner, settings: Any) -> None:
    moment = datetime(2025, 3, 1, 12, tzinfo=UTC)

    async def on_graph(work: Any) -> Any:
        graph = Graph.connect(settings.neo4j_uri, settings)
        try:
            return await work(graph)
        finally:
            await graph.close()

    asyncio.run(on_graph(load_a_span_directly))
    assert asyncio.run(on_graph(lambda graph: bucket_counts(graph, as_of=moment))) is None
    result = cli_env.invoke(app, ["reevaluate", "--counts-only"])
    assert result.exit_code == 0, result.output
    assert "into 2 day and month buckets" in result.output
    assert asyncio.run(on_graph(lambda graph: bucket_counts(graph, as_of=moment))) == {"NO_CONSENT": 1}
