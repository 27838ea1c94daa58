"""The synthetic world generator: deterministic, well formed, streaming, and planting what it says."""

from __future__ import annotations

import itertools
import math
import tracemalloc
import types
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from bench.loading import generate
from bench.world import (
    ASSET_CODES,
    PLANTED_AS_OF,
    TWIN_CODES,
    generate_world,
    planted_code,
    write_world,
)
from tests.demo.event_checks import check_world, parse_instant
from tests.demo.reference_verdicts import codes, reference_verdicts


def _world(assets: int = 1_500, seed: int = 7, violation_share: float = 0.2) -> list[dict[str, Any]]:
    return list(generate_world(assets=assets, seed=seed, violation_share=violation_share))


def _assets(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e["input"] for e in events if e["op"] == "publishAsset"]


def test_the_same_seed_gives_the_same_world() -> None:
    assert _world(seed=3) == _world(seed=3)


def test_different_seeds_give_different_worlds() -> None:
    assert _world(seed=3) != _world(seed=4)


def test_every_event_is_well_formed_and_refers_only_to_ids_defined_above() -> None:
    events = _world(assets=4_000, seed=11)
    assert check_world(events) == len(events)


def test_events_are_plausible_in_time() -> None:
    events = _world(assets=2_000)
    captured: dict[str, datetime] = {}
    built: dict[str, datetime] = {}
    published: dict[str, datetime] = {}
    for event in events:
        op, fields = event["op"], event["input"]
        if op == "recordCapture":
            captured[fields["id"]] = parse_instant(fields["capturedAt"])
        elif op == "buildTwin":
            built[fields["id"]] = parse_instant(fields["builtAt"])
            assert all(captured[c] < built[fields["id"]] for c in fields["captureIds"])
        elif op == "grantConsent":
            signed = parse_instant(fields["signedAt"])
            assert signed <= parse_instant(fields["validFrom"])
            assert all(built[t] <= signed for t in fields.get("twinIds", ()))
        elif op == "publishAsset":
            published[fields["id"]] = parse_instant(fields["publishedAt"])
            assert all(built[t] < published[fields["id"]] for t in fields["twinIds"])
            assert published[fields["id"]] < PLANTED_AS_OF
        elif op == "withdrawAsset":
            assert published[fields["assetId"]] < parse_instant(fields["withdrawnAt"]) < PLANTED_AS_OF


def test_the_requested_share_of_assets_is_planted_evenly_over_every_asset_code() -> None:
    events = _world(assets=3_000, violation_share=0.25)
    planted = Counter(planted_code(a["id"]) for a in _assets(events))
    assert sum(n for code, n in planted.items() if code) == math.floor(3_000 * 0.25)
    per_code = [planted[code] for code in ASSET_CODES]
    assert min(per_code) >= 49 and max(per_code) <= 51
    twins = {planted_code(e["input"]["id"]) for e in events if e["op"] == "buildTwin"}
    assert set(TWIN_CODES) <= twins


@pytest.mark.parametrize("violation_share", [0.0, 1.0])
def test_the_share_can_be_none_or_all(violation_share: float) -> None:
    assets = _assets(_world(assets=300, violation_share=violation_share))
    planted = sum(planted_code(a["id"]) is not None for a in assets)
    assert planted == round(300 * violation_share)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_rules_find_exactly_what_was_planted(seed: int) -> None:
    events = _world(assets=2_000, seed=seed, violation_share=0.3)
    verdicts = reference_verdicts(events, PLANTED_AS_OF)
    wrong = {
        subject: (planted_code(subject), sorted(codes(found)))
        for subject, found in verdicts.items()
        if codes(found) != ({planted_code(subject)} - {None})
    }
    assert not wrong, dict(itertools.islice(wrong.items(), 10))


def test_three_stars_each_appear_in_a_steady_share_of_assets_thousands_in_a_million() -> None:
    uses: Counter[str] = Counter()
    for asset in _assets(_world(assets=120_000, seed=5, violation_share=0.1)):
        for person in {twin_id.split("-")[1] for twin_id in asset["twinIds"]}:
            uses[person] += 1
    stars = [person for person, _ in uses.most_common(3)]
    assert sorted(stars) == ["000000", "000001", "000002"]
    assert all(uses[star] >= 0.004 * 120_000 for star in stars)


def test_the_generator_holds_nothing_per_asset_it_has_yielded() -> None:
    world = generate_world(assets=15_000, seed=1)
    assert isinstance(world, types.GeneratorType)
    next(e for e in world if e["op"] == "publishAsset")
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        assets = 1 + sum(e["op"] == "publishAsset" for e in world)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert assets == 15_000
    assert after - before < 200_000  # a few hundred days of cached date strings, no assets


def test_write_world_writes_one_event_per_line_and_counts_them(tmp_path: Path) -> None:
    target = tmp_path / "world.jsonl"
    count = write_world(target, assets=500, seed=2, violation_share=0.1)
    lines = target.read_bytes().splitlines()
    assert count == len(lines)
    assert [orjson.loads(line) for line in lines] == _world(assets=500, seed=2, violation_share=0.1)


@pytest.mark.parametrize("arguments", [{"assets": -1}, {"assets": 10, "violation_share": 1.5}])
def test_nonsense_sizes_are_refused_with_the_field_named(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="assets|violation_share"):
        generate_world(**arguments)


def test_a_run_reuses_a_complete_world_file_of_the_same_kind_and_writes_any_other_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "world.jsonl"
    first = generate(path, assets=50, seed=3, violations=0.1)
    assert "reused" not in first and first["events"] == len(path.read_bytes().splitlines())
    again = generate(path, assets=50, seed=3, violations=0.1)
    assert again == {**first, "reused": True}
    # another seed, or a file cut short (a run stopped while writing it): written again
    other = generate(path, assets=50, seed=4, violations=0.1)
    assert "reused" not in other and path.read_bytes() != b""
    path.write_bytes(path.read_bytes()[:100])
    assert "reused" not in generate(path, assets=50, seed=4, violations=0.1)
    assert len(path.read_bytes().splitlines()) == other["events"]
