"""A change of law packs grounds again exactly the stored verdicts it can touch, and a full re-evaluation
gives the same state; the start refuses a bad pack and logs every pack's hash."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from likeness.access.principals import OPERATOR
from likeness.app import create_app
from likeness.config import Settings
from likeness.events.contract import parse_event
from likeness.graph.driver import Graph
from likeness.ingest.record import record
from likeness.laws import book
from likeness.laws.packs import PACKS_DIR, InvalidPack, LawBook, load_packs
from likeness.verdicts.refresh import reevaluate_all
from likeness.verdicts.regrounding import load_book, reground
from tests.factories import asset, capture, consent, org, person, twin

WORLD = [
    ("registerPerson", person()),
    ("registerOrganization", org("brand-nordhem", "BRAND")),
    ("registerOrganization", org("vendor-uncut", "VENDOR")),
    ("registerOrganization", org("studio-north", "STUDIO")),
    ("recordCapture", capture()),
    ("buildTwin", twin()),
    ("grantConsent", consent("consent-use", validUntil="2027-12-31T00:00:00Z")),
    # in Sweden without a label: before and after art. 50 applies (2 August 2026)
    ("publishAsset", asset("asset-before", 101, publishedAt="2026-07-01T12:00:00Z", aiLabel=False)),
    ("publishAsset", asset("asset-after", 102, publishedAt="2026-09-01T12:00:00Z", aiLabel=False)),
    # labelled, but in China, which the consent does not cover: nothing an EU pack grounds
    ("publishAsset", asset("asset-china", 103, publishedAt="2026-09-01T12:00:00Z", territories=["CN"])),
]

# a new version of art. 50's pack, with its own day and article (a version is never edited in place)
VERSION_2 = """\
id = "EU-AI-ACT-50"
version = 2
title = "EU AI Act (Regulation (EU) 2024/1689), article 50, as amended (test version)"
jurisdiction = ["EU"]
status = "ENACTED"
inForceFrom = 2026-08-20
appliesTo = ["ASSET"]
source = ["https://example.org/test-only"]

[[grounds]]
code = "MISSING_AI_LABEL"
article = "art. 50(4) as amended: deep fakes disclosed (test version)"
"""

_SPANS = """
    MATCH (v:Verdict)
    RETURN v.subjectId AS subject, v.code AS code, toString(v.start) AS start, elementId(v) AS node,
           v {.*, start: toString(v.start), end: toString(v.end), occurredAt: toString(v.occurredAt)} AS props
    ORDER BY subject, code, start
"""


@pytest.fixture
def shipped() -> Iterator[LawBook]:
    """The shipped packs installed, and installed again after the test."""
    loaded = book.install(load_packs())
    yield loaded
    book.install(load_packs())


def amended(tmp_path: Path) -> LawBook:
    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    (folder / "EU-AI-ACT-50@2.toml").write_text(VERSION_2, encoding="utf-8")
    return load_packs(folder)


async def spans(graph: Graph) -> list[dict[str, Any]]:
    return await graph.query(_SPANS)


def laws_of(rows: list[dict[str, Any]], subject: str, code: str) -> set[tuple[str, ...]]:
    return {
        tuple(row["props"]["lawKeys"]) for row in rows if row["subject"] == subject and row["code"] == code
    }


async def test_a_new_version_grounds_again_exactly_what_it_can_touch(
    graph: Graph, shipped: LawBook, tmp_path: Path
) -> None:
    assert (await reground(graph, shipped)).changed == ()  # nothing stored yet: the packs are recorded
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in WORLD], source="world")
    before = await spans(graph)
    assert laws_of(before, "asset-after", "MISSING_AI_LABEL") == {("EU-AI-ACT-50@1",)}
    assert laws_of(before, "asset-before", "MISSING_AI_LABEL") == {()}

    done = await reground(graph, amended(tmp_path))

    assert done.changed == ("EU-AI-ACT-50@2",)
    assert set(done.codes) == {"MISSING_AI_LABEL"}
    after = await spans(graph)
    assert laws_of(after, "asset-after", "MISSING_AI_LABEL") == {("EU-AI-ACT-50@2",)}
    assert laws_of(after, "asset-before", "MISSING_AI_LABEL") == {()}
    # the subjects holding no verdict the new version grounds keep their very nodes
    untouched = {row["node"] for row in before if row["subject"] in ("asset-china", "twin-ada-1")}
    assert untouched and untouched <= {row["node"] for row in after}
    touched = {row["node"] for row in before if row["subject"] == "asset-after"}
    assert not touched & {row["node"] for row in after}
    # codes and spans never depend on a law
    assert [(r["subject"], r["code"], r["start"]) for r in before] == [
        (r["subject"], r["code"], r["start"]) for r in after
    ]

    # applied twice: nothing changed since
    assert (await reground(graph, book.current())).changed == ()
    # a full re-evaluation with the same packs gives the same stored state
    await reevaluate_all(graph)
    assert [row["props"] for row in await spans(graph)] == [row["props"] for row in after]


async def test_a_pack_gone_is_no_longer_named(graph: Graph, shipped: LawBook, tmp_path: Path) -> None:
    await reground(graph, amended(tmp_path))
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in WORLD], source="world")
    assert laws_of(await spans(graph), "asset-after", "MISSING_AI_LABEL") == {("EU-AI-ACT-50@2",)}

    done = await reground(graph, shipped)

    assert done.changed == ("EU-AI-ACT-50@2",)
    assert laws_of(await spans(graph), "asset-after", "MISSING_AI_LABEL") == {("EU-AI-ACT-50@1",)}


def test_a_bad_pack_stops_the_start_naming_file_field_and_reason(
    settings: Settings, shipped: LawBook, tmp_path: Path
) -> None:
    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    pack = folder / "EU-AI-ACT-50@1.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace('status = "ENACTED"', 'status = "LAW"'))
    with pytest.raises(InvalidPack) as refused:
        create_app(settings.model_copy(update={"likeness_law_packs_dir": folder}))
    assert (refused.value.file, refused.value.field) == ("EU-AI-ACT-50@1.toml", "status")
    assert "'LAW' is not one of ENACTED, PROPOSED" in str(refused.value)


def test_a_pack_grounding_a_code_the_rules_do_not_have_stops_the_start(
    settings: Settings, shipped: LawBook, tmp_path: Path
) -> None:
    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    pack = folder / "KR-AI-BASIC-ACT@1.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("MISSING_AI_LABEL", "MISSING_LABEL"))
    with pytest.raises(InvalidPack) as refused:
        load_book(settings.model_copy(update={"likeness_law_packs_dir": folder}))
    assert refused.value.file == "KR-AI-BASIC-ACT@1.toml"
    assert refused.value.field is not None and refused.value.field.endswith(".code")


def test_the_log_records_each_pack_and_its_hash(
    settings: Settings, shipped: LawBook, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="likeness.verdicts.regrounding"):
        loaded = load_book(settings)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for key, sha in loaded.hashes().items():
        assert f"law pack {key} loaded" in logged and sha in logged
    assert len(loaded.hashes()) >= 13


TAKE_IT_DOWN_2 = """\
id = "US-TAKE-IT-DOWN"
version = 2
title = "TAKE IT DOWN Act, as amended (test version)"
jurisdiction = ["US"]
status = "ENACTED"
inForceFrom = 2026-05-25
appliesTo = ["NOTICE"]
source = ["https://example.org/test-only"]

[[grounds]]
code = "NOTICE_UNANSWERED"
article = "sec. 3 as amended: removal within 24 hours (test version)"
category = "INTIMATE"
responseHours = 24
"""


def notice(nid: str, sighting: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": nid,
        "sightingId": sighting,
        "platformId": "platform-gram",
        "sentById": "person-ada",
        "sentAt": "2026-06-01T08:00:00Z",
        "category": "INTIMATE",
        **extra,
    }


def sighting(sid: str) -> dict[str, Any]:
    url = f"https://gram.example/p/{sid}"
    return {
        "id": sid,
        "url": url,
        "observedAt": "2026-05-31T12:00:00Z",
        "platformId": "platform-gram",
        "phash": "0123456789abcdef" if sid.endswith("1") else "fedcba9876543210",
    }


NOTICES = [
    ("registerPerson", person()),
    ("registerOrganization", {**org("platform-gram", "PLATFORM"), "jurisdiction": "US"}),
    ("reportSighting", sighting("sighting-1")),
    ("reportSighting", sighting("sighting-2")),
    # one on the law's clock, one with its own hours
    ("sendTakedownNotice", notice("notice-law", "sighting-1")),
    ("sendTakedownNotice", notice("notice-own", "sighting-2", responseHours=96)),
]

_CLOCKS = """
    MATCH (n:TakedownNotice)
    RETURN n.id AS id, n.responseHours AS hours, n.clockLaw AS law, toString(n.dueAt) AS due ORDER BY id
"""


async def test_a_new_clock_re_clocks_exactly_the_notices_on_the_laws_clock(
    graph: Graph, shipped: LawBook, tmp_path: Path
) -> None:
    await reground(graph, shipped)
    await record(graph, OPERATOR, [parse_event(op, data) for op, data in NOTICES], source="notices")
    assert [(r["id"], r["hours"], r["law"]) for r in await graph.query(_CLOCKS)] == [
        ("notice-law", 48, "US-TAKE-IT-DOWN@1"),
        ("notice-own", 96, None),
    ]
    before = await spans(graph)
    assert [(r["subject"], r["start"][:16]) for r in before] == [
        ("sighting-1", "2026-06-03T08:00"),
        ("sighting-2", "2026-06-05T08:00"),
    ]

    folder = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, folder)
    (folder / "US-TAKE-IT-DOWN@2.toml").write_text(TAKE_IT_DOWN_2, encoding="utf-8")
    done = await reground(graph, load_packs(folder))

    assert done.reclocked == ("notice-law",)
    clocks = await graph.query(_CLOCKS)
    assert [(r["id"], r["hours"], r["law"]) for r in clocks] == [
        ("notice-law", 24, "US-TAKE-IT-DOWN@2"),
        ("notice-own", 96, None),
    ]
    assert clocks[0]["due"].startswith("2026-06-02T08:00:00")
    after = await spans(graph)
    assert [(r["subject"], r["start"][:16], r["props"]["lawKeys"]) for r in after] == [
        ("sighting-1", "2026-06-02T08:00", ["US-TAKE-IT-DOWN@2"]),
        ("sighting-2", "2026-06-05T08:00", ["US-TAKE-IT-DOWN@2"]),
    ]
    # the same state from scratch
    await reevaluate_all(graph)
    assert [row["props"] for row in await spans(graph)] == [row["props"] for row in after]
