"""Near-duplicate search finds exactly the hashes within the distance, whichever band layout serves it,
and sightings meet the assets they show across import batches and other writers."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from likeness.access.principals import OPERATOR
from likeness.events.contract import parse_event
from likeness.graph.migrations import migrate
from likeness.graph.phash import LAYOUTS, WIDE, band_properties, distance, layout_for
from likeness.graph.similarity import similar_assets
from likeness.ingest.record import record
from likeness.matching.sightings import SIGHTING_MATCH_DISTANCE, KnownSightings, SightingIndex
from tests.api.test_incremental import BASE, apply_one
from tests.factories import asset, base_world, capture, send

hashes = st.integers(0, 2**64 - 1)


def flip(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


@given(query=hashes, bits=st.lists(st.integers(0, 63), unique=True, max_size=16))
def test_every_hash_within_the_distance_shares_a_candidate_band(query: int, bits: list[int]) -> None:
    # the tightest case: the other hash lies exactly at the searched distance
    max_distance = len(bits)
    other = f"{flip(query, bits):016x}"
    layout = layout_for(max_distance)
    stored = band_properties(other)
    candidates = layout.candidates(f"{query:016x}", max_distance)
    assert any(stored[name] in values for name, values in zip(layout.properties, candidates, strict=True))
    assert {name for one in LAYOUTS for name in one.properties} == set(stored)


def test_the_sighting_index_finds_what_a_full_comparison_finds() -> None:
    rng = random.Random(5)
    sightings = [
        {"id": f"s{i}", "sha256": f"{i:064x}", "phash": f"{rng.getrandbits(64):016x}"} for i in range(400)
    ]
    index = SightingIndex(sightings)
    for n in range(300):
        base = int(rng.choice(sightings)["phash"], 16) if n % 2 else rng.getrandbits(64)
        probe = {
            "sha256": f"{n % 7:064x}" if n % 5 == 0 else "none",
            "phash": f"{flip(base, rng.sample(range(64), rng.randint(0, 11))):016x}",
        }
        expected = {
            s["id"]: 0 if s["sha256"] == probe["sha256"] else distance(s["phash"], probe["phash"])
            for s in sightings
            if s["sha256"] == probe["sha256"] or distance(s["phash"], probe["phash"]) <= 8
        }
        assert index.near(probe) == expected


async def _publish(graph: Any, hashes: dict[str, str]) -> None:
    for n, (aid, phash) in enumerate(sorted(hashes.items())):
        await apply_one(graph, "publishAsset", asset(aid, 1000 + n, phash=phash))


async def test_similar_assets_matches_a_full_comparison_with_both_layouts(graph: Any) -> None:
    for op, data in BASE:
        await apply_one(graph, op, data)
    rng = random.Random(11)
    query = rng.getrandbits(64)
    stored = {f"asset-{n:03d}": f"{flip(query, rng.sample(range(64), n % 20)):016x}" for n in range(60)}
    await _publish(graph, stored)
    for max_distance in (0, 3, 8, 9, 12, 16):
        found = await similar_assets(graph, phash=f"{query:016x}", max_distance=max_distance, limit=100)
        expected = sorted(
            (d, aid)
            for aid, phash in stored.items()
            if (d := distance(phash, f"{query:016x}")) <= max_distance
        )
        assert [(d, node["id"]) for d, node in found] == expected, max_distance


_LINKS = (
    "MATCH (s:Sighting)-[m:MATCHES]->(a:Asset) RETURN s.id AS s, a.id AS a, m.distance AS d ORDER BY s, a"
)


def _sighting(sid: str, phash: str) -> dict[str, Any]:
    return {
        "id": sid,
        "url": f"https://gram.example/{sid}",
        "observedAt": "2025-04-01T00:00:00Z",
        "phash": phash,
        "platformId": "platform-gram",
    }


async def _batch(graph: Any, events: list[tuple[str, dict[str, Any]]], known: KnownSightings) -> None:
    await record(
        graph, OPERATOR, [parse_event(op, data) for op, data in events], source="test", known_sightings=known
    )


async def test_an_import_meets_sightings_from_earlier_batches_and_from_other_writers(graph: Any) -> None:
    for op, data in BASE:
        await apply_one(graph, op, data)
    known = KnownSightings()
    await _batch(graph, [("reportSighting", _sighting("sighting-a", "00000000000000ff"))], known)
    # another writer reports a sighting between the import's batches: the import's table is stale
    await apply_one(graph, "reportSighting", _sighting("sighting-b", "ffff000000000000"))
    await _batch(
        graph,
        [
            ("publishAsset", asset("asset-a", 1, phash="00000000000000f0")),  # 4 bits from sighting-a
            ("publishAsset", asset("asset-b", 2, phash="ffff0000000000ff")),  # 8 bits from sighting-b
            ("publishAsset", asset("asset-c", 3, phash="0f0f0f0f0f0f0f0f")),  # near neither
            ("reportSighting", _sighting("sighting-c", "0f0f0f0f0f0f0f0e")),  # shows asset-c, same batch
        ],
        known,
    )
    assert len(known.committed) == 3
    await _batch(graph, [("publishAsset", asset("asset-d", 4, phash="0f0f0f0f0f0f0f0c"))], known)
    assert await graph.query(_LINKS) == [
        {"s": "sighting-a", "a": "asset-a", "d": 4},
        {"s": "sighting-b", "a": "asset-b", "d": 8},
        {"s": "sighting-c", "a": "asset-c", "d": 1},
        {"s": "sighting-c", "a": "asset-d", "d": 1},
    ]


async def test_a_capture_keeps_its_phash_with_the_bands_sightings_and_traces_search_by(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    await send(api, "recordCapture", capture("capture-hashed", n=7) | {"phash": "c3a5f00f0ff00ff0"})
    data = await api('{ capture(id: "capture-hashed") { id phash } }')
    assert data["capture"] == {"id": "capture-hashed", "phash": "c3a5f00f0ff00ff0"}
    rows = await graph.query(
        "MATCH (c:Capture {id: 'capture-hashed'}) RETURN c.phashW0 AS w0, c.phashW1 AS w1, c.phashW2 AS w2"
    )
    expected = band_properties("c3a5f00f0ff00ff0")
    assert [rows[0]["w0"], rows[0]["w1"], rows[0]["w2"]] == [expected[f"phashW{i}"] for i in range(3)]


def _sightings_read() -> float:
    return REGISTRY.get_sample_value("likeness_sightings_read_for_matching_total") or 0.0


def _unrelated_hashes(rng: random.Random, near: str, count: int) -> list[str]:
    """Hashes that share no wide band within the matching radius with `near`: never a candidate."""
    reach = [set(values) for values in WIDE.candidates(near, SIGHTING_MATCH_DISTANCE)]
    out: list[str] = []
    while len(out) < count:
        phash = f"{rng.getrandbits(64):016x}"
        if not any(band in values for band, values in zip(WIDE.bands(phash), reach, strict=True)):
            out.append(phash)
    return out


async def _report_unrelated(graph: Any, rng: random.Random, near: str, first: int, count: int) -> None:
    events = [
        parse_event("reportSighting", _sighting(f"sighting-x{first + n:05d}", phash))
        for n, phash in enumerate(_unrelated_hashes(rng, near, count))
    ]
    await record(graph, OPERATOR, events, source="test")


async def test_a_publish_or_capture_reads_the_sightings_near_it_however_many_others_are_recorded(
    graph: Any,
) -> None:
    for op, data in BASE:
        await apply_one(graph, op, data)
    rng = random.Random(3)
    near = "00000000000000ff"
    await apply_one(graph, "reportSighting", _sighting("sighting-near", near))
    await _report_unrelated(graph, rng, near, 0, 30)
    reads = []
    for n, count in enumerate((0, 600)):
        await _report_unrelated(graph, rng, near, 1000 * (n + 1), count)
        before = _sightings_read()
        await apply_one(graph, "publishAsset", asset(f"asset-near-{n}", 10 + n, phash="00000000000000f0"))
        await apply_one(
            graph, "recordCapture", capture(f"capture-near-{n}", n=20 + n) | {"phash": "00000000000001ff"}
        )
        reads.append(_sightings_read() - before)
    # the one sighting near both, once for the asset and once for the capture, with 31 or 631 recorded
    assert reads == [2, 2]
    assert await graph.query(_LINKS) == [
        {"s": "sighting-near", "a": "asset-near-0", "d": 4},
        {"s": "sighting-near", "a": "asset-near-1", "d": 4},
    ]
    resembles = await graph.query(
        "MATCH (s:Sighting)-[r:RESEMBLES]->(c:Capture)"
        " RETURN s.id AS s, c.id AS c, r.distance AS d ORDER BY c"
    )
    assert resembles == [
        {"s": "sighting-near", "c": "capture-near-0", "d": 1},
        {"s": "sighting-near", "c": "capture-near-1", "d": 1},
    ]


async def test_migrate_gives_sightings_recorded_without_bands_their_bands(graph: Any) -> None:
    for op, data in BASE:
        await apply_one(graph, op, data)
    await apply_one(graph, "reportSighting", _sighting("sighting-old", "00000000000000ff"))
    # as an older version left it: the hash without its bands, no marker
    async with graph.driver.session(database=graph.database) as session:
        bands = "s.phashW0, s.phashW1, s.phashW2, s.phashB0, s.phashB1, s.phashB2, s.phashB3"
        await (await session.run("MATCH (s:Sighting) REMOVE " + bands)).consume()
        await (await session.run("MATCH (m:DataMigration) DELETE m")).consume()
    await migrate(graph)
    rows = await graph.query("MATCH (s:Sighting {id: 'sighting-old'}) RETURN properties(s) AS props")
    assert {
        name: rows[0]["props"].get(name) for name in band_properties("00000000000000ff")
    } == band_properties("00000000000000ff")
    # and a new asset meets it through them
    await apply_one(graph, "publishAsset", asset("asset-new", 5, phash="00000000000000f0"))
    assert await graph.query(_LINKS) == [{"s": "sighting-old", "a": "asset-new", "d": 4}]


async def test_assets_published_one_by_one_meet_exactly_the_sightings_a_full_comparison_finds(
    graph: Any,
) -> None:
    for op, data in BASE:
        await apply_one(graph, op, data)
    rng = random.Random(17)
    centres = [rng.getrandbits(64) for _ in range(4)]
    sightings = {
        f"sighting-r{n:03d}": f"{flip(rng.choice(centres), rng.sample(range(64), rng.randint(0, 6))):016x}"
        for n in range(60)
    }
    await record(
        graph,
        OPERATOR,
        [parse_event("reportSighting", _sighting(sid, phash)) for sid, phash in sightings.items()],
        source="test",
    )
    assets = {
        f"asset-r{n:03d}": f"{flip(rng.choice(centres), rng.sample(range(64), rng.randint(0, 8))):016x}"
        for n in range(25)
    }
    await _publish(graph, assets)
    expected = [
        {"s": sid, "a": aid, "d": found}
        for sid, s_hash in sorted(sightings.items())
        for aid, a_hash in sorted(assets.items())
        if (found := distance(s_hash, a_hash)) <= SIGHTING_MATCH_DISTANCE
    ]
    assert expected  # the centres make near pairs and far ones
    assert await graph.query(_LINKS) == expected
