"""Law packs as data: the shipped packs load, carry DESIGN's ids and dates, and a bad pack is refused
naming its file, field and reason. Pure: no Neo4j."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from pathlib import Path

import pytest

from likeness.laws import PACKS_DIR, InvalidPack, LawBook, load_packs, read_pack
from likeness.rules.codes import CODES

# the verdict code DESIGN's "Law packs" adds (the rule itself is a later deliverable of issue 23)
VERDICT_CODES = set(CODES) | {"CONSENT_UNENFORCEABLE"}

# DESIGN.md, "Law packs": every id with its status and the day it applies from (None: DESIGN gives none)
DESIGN_PACKS: dict[str, tuple[str, date | None]] = {
    "EU-AI-ACT-50": ("ENACTED", date(2026, 8, 2)),
    "CN-AI-LABELLING": ("ENACTED", date(2025, 9, 1)),
    "IN-IT-RULES-2026": ("ENACTED", date(2026, 2, 20)),
    "KR-AI-BASIC-ACT": ("ENACTED", date(2026, 1, 22)),
    "US-NY-FWA": ("ENACTED", date(2025, 6, 19)),
    "US-NY-GOL-5-302": ("ENACTED", date(2025, 1, 1)),
    "US-CA-LAB-927": ("ENACTED", date(2025, 1, 1)),
    "US-CA-CIV-3344-1": ("ENACTED", date(2025, 1, 1)),
    "US-TN-ELVIS": ("ENACTED", date(2024, 7, 1)),
    "US-TAKE-IT-DOWN": ("ENACTED", date(2026, 5, 19)),
    "EU-DSA-16": ("ENACTED", None),
    "DK-LIKENESS": ("PROPOSED", None),
    "US-NO-FAKES": ("PROPOSED", None),
}

GOOD = """\
id = "XX-LAW"
version = 1
title = "A law of tests"
jurisdiction = ["SE", "US-NY"]
status = "ENACTED"
inForceFrom = 2026-01-01
appliesTo = ["ASSET"]
source = ["https://example.org/law"]

[[grounds]]
code = "MISSING_AI_LABEL"
article = "art. 1"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def pack_text(version: int = 1, status: str = "ENACTED", dates: str = "inForceFrom = 2026-01-01") -> str:
    return (
        GOOD.replace("version = 1", f"version = {version}")
        .replace('status = "ENACTED"', f'status = "{status}"')
        .replace("inForceFrom = 2026-01-01", dates)
    )


def test_every_shipped_pack_loads_with_known_codes_and_a_source() -> None:
    book = load_packs(codes=VERDICT_CODES)
    files = sorted(path.name for path in PACKS_DIR.glob("*.toml"))
    assert sorted(pack.file for pack in book.packs) == files
    for pack in book.packs:
        assert pack.sources and all(source.startswith("https://") for source in pack.sources), pack.key
        assert set(pack.codes) <= VERDICT_CODES, pack.key


def test_design_ids_are_all_shipped_with_design_status_and_dates() -> None:
    book = load_packs(codes=VERDICT_CODES)
    assert set(book.ids) == set(DESIGN_PACKS)
    for law_id, (status, in_force_from) in DESIGN_PACKS.items():
        first = book.versions(law_id)[0]
        assert first.status == status, law_id
        if in_force_from is not None:
            assert first.in_force_from == in_force_from, law_id
        if status == "PROPOSED":
            assert book.enacted_at(law_id, date(2026, 12, 7)) is None, law_id


def test_eu_ai_act_50_is_not_in_force_before_2_august_2026() -> None:
    book = load_packs(codes=VERDICT_CODES)
    assert book.enacted_at("EU-AI-ACT-50", date(2026, 7, 1)) is None
    assert book.enacted_at("EU-AI-ACT-50", date(2026, 8, 1)) is None
    in_force = book.enacted_at("EU-AI-ACT-50", date(2026, 8, 2))
    assert in_force is not None and "MISSING_AI_LABEL" in in_force.codes
    assert "EU-AI-ACT-50" in {pack.id for pack in book.in_force(date(2026, 8, 3))}


def test_proposed_laws_are_listed_apart_and_never_in_force() -> None:
    book = load_packs(codes=VERDICT_CODES)
    day = date(2026, 12, 7)
    assert {pack.id for pack in book.proposed(day)} == {"DK-LIKENESS", "US-NO-FAKES"}
    assert not {pack.id for pack in book.in_force(day)} & {"DK-LIKENESS", "US-NO-FAKES"}


def test_a_pack_that_is_unsure_of_something_says_so() -> None:
    # DESIGN: each pack says where a date or scope is unconfirmed; the proposed ones always are
    book = load_packs(codes=VERDICT_CODES)
    for law_id in ("DK-LIKENESS", "US-NO-FAKES", "EU-DSA-16", "EU-AI-ACT-50"):
        unconfirmed = book.versions(law_id)[0].unconfirmed
        assert unconfirmed and len(unconfirmed) > 40, law_id


def test_each_pack_carries_the_sha256_of_its_file() -> None:
    book = load_packs()
    hashes = book.hashes()
    assert set(hashes) == {pack.key for pack in book.packs}
    for pack in book.packs:
        assert hashes[pack.key] == hashlib.sha256((PACKS_DIR / pack.file).read_bytes()).hexdigest()


def test_a_changed_byte_changes_the_hash(tmp_path: Path) -> None:
    first = read_pack(write(tmp_path, "XX-LAW@1.toml", GOOD))
    second = read_pack(write(tmp_path, "XX-LAW@1.toml", GOOD.replace("art. 1", "art. 2")))
    assert first.sha256 != second.sha256


def test_the_packs_ship_with_the_package() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["likeness"]
    package = PACKS_DIR.parents[1]
    shipped = {path for pattern in globs for path in package.glob(pattern)}
    assert set(PACKS_DIR.glob("*.toml")) <= shipped


BAD_PACKS = [
    # (what, file name, text, field, words of the reason)
    ("a field missing", "XX-LAW@1.toml", GOOD.replace('title = "A law of tests"\n', ""), "title", "missing"),
    (
        "a misspelt field",
        "XX-LAW@1.toml",
        GOOD.replace("2026-01-01\n", "2026-01-01\ninforceUntil = 2027-01-01\n"),
        "inforceUntil",
        "unknown field",
    ),
    ("an unknown status", "XX-LAW@1.toml", GOOD.replace('"ENACTED"', '"ADOPTED"'), "status", "not one of"),
    (
        "a date written as text",
        "XX-LAW@1.toml",
        GOOD.replace("inForceFrom = 2026-01-01", 'inForceFrom = "2026-01-01"'),
        "inForceFrom",
        "TOML date",
    ),
    (
        "a date with a time",
        "XX-LAW@1.toml",
        GOOD.replace("inForceFrom = 2026-01-01", "inForceFrom = 2026-01-01T00:00:00Z"),
        "inForceFrom",
        "TOML date",
    ),
    (
        "an enacted law with no start",
        "XX-LAW@1.toml",
        GOOD.replace("inForceFrom = 2026-01-01\n", ""),
        "inForceFrom",
        "ENACTED",
    ),
    (
        "an end before the start",
        "XX-LAW@1.toml",
        GOOD.replace("2026-01-01\n", "2026-01-01\ninForceUntil = 2025-12-31\n"),
        "inForceUntil",
        "not after inForceFrom",
    ),
    ("an unknown country", "XX-LAW@1.toml", GOOD.replace('"SE", ', '"XX", '), "jurisdiction[0]", "ISO 3166"),
    (
        "a lower-case subdivision",
        "XX-LAW@1.toml",
        GOOD.replace('"US-NY"', '"us-ny"'),
        "jurisdiction[1]",
        "ISO",
    ),
    ("a jurisdiction twice", "XX-LAW@1.toml", GOOD.replace('"US-NY"', '"SE"'), "jurisdiction[1]", "twice"),
    ("no jurisdiction", "XX-LAW@1.toml", GOOD.replace('["SE", "US-NY"]', "[]"), "jurisdiction", "non-empty"),
    (
        "an unknown subject",
        "XX-LAW@1.toml",
        GOOD.replace('["ASSET"]', '["ASSET", "TWIN"]'),
        "appliesTo[1]",
        "TWIN",
    ),
    (
        "an unknown verdict code",
        "XX-LAW@1.toml",
        GOOD.replace('"MISSING_AI_LABEL"', '"MISSING_LABEL"'),
        "grounds[0].code",
        "not a verdict code of the rules",
    ),
    (
        "a grounding without its article",
        "XX-LAW@1.toml",
        GOOD.replace('article = "art. 1"\n', ""),
        "grounds[0].article",
        "text",
    ),
    (
        "a code grounded twice",
        "XX-LAW@1.toml",
        GOOD + '\n[[grounds]]\ncode = "MISSING_AI_LABEL"\narticle = "art. 2"\n',
        "grounds[1].code",
        "twice",
    ),
    ("no grounds", "XX-LAW@1.toml", GOOD.split("[[grounds]]")[0] + "grounds = []\n", "grounds", "non-empty"),
    (
        "a source that is no address",
        "XX-LAW@1.toml",
        GOOD.replace("https://example.org/law", "a book"),
        "source[0]",
        "http",
    ),
    ("an id unlike its file", "XX-OTHER@1.toml", GOOD, "id", "file's name"),
    ("a version unlike its file", "XX-LAW@2.toml", GOOD, "version", "file's name"),
    (
        "a version that is no number",
        "XX-LAW@1.toml",
        GOOD.replace("version = 1", 'version = "1"'),
        "version",
        "whole number",
    ),
    ("an id in lower case", "xx-law@1.toml", GOOD, None, "named <ID>@<version>.toml"),
    ("a file of no version", "XX-LAW.toml", GOOD, None, "named <ID>@<version>.toml"),
    (
        "not TOML",
        "XX-LAW@1.toml",
        GOOD.replace('title = "A law of tests"', "title = A law"),
        None,
        "not valid TOML",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "field", "reason"), [case[1:] for case in BAD_PACKS], ids=[c[0] for c in BAD_PACKS]
)
def test_a_bad_pack_is_refused_naming_file_field_and_reason(
    tmp_path: Path, name: str, text: str, field: str | None, reason: str
) -> None:
    write(tmp_path, name, text)
    with pytest.raises(InvalidPack) as refused:
        load_packs(tmp_path, codes=VERDICT_CODES)
    assert refused.value.file == name
    assert refused.value.field == field
    assert reason in refused.value.reason
    assert str(refused.value).startswith(name)


def test_one_bad_pack_stops_the_load_among_good_ones(tmp_path: Path) -> None:
    write(tmp_path, "XX-LAW@1.toml", GOOD)
    write(tmp_path, "XX-LAW@2.toml", pack_text(2, dates="inForceFrom = 2027-01-01").replace('"SE"', '"ZZ"'))
    with pytest.raises(InvalidPack) as refused:
        load_packs(tmp_path)
    assert (refused.value.file, refused.value.field) == ("XX-LAW@2.toml", "jurisdiction[0]")


def test_a_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "XX-LAW@1.toml").write_bytes(GOOD.encode("utf-8") + b'unconfirmed = "\xff"\n')
    with pytest.raises(InvalidPack, match="not UTF-8") as refused:
        load_packs(tmp_path)
    assert refused.value.file == "XX-LAW@1.toml"


def test_two_versions_in_force_at_once_are_refused(tmp_path: Path) -> None:
    write(
        tmp_path, "XX-LAW@1.toml", pack_text(1, dates="inForceFrom = 2025-01-01\ninForceUntil = 2026-07-01")
    )
    write(tmp_path, "XX-LAW@2.toml", pack_text(2, dates="inForceFrom = 2026-01-01"))
    with pytest.raises(InvalidPack) as refused:
        load_packs(tmp_path)
    assert (refused.value.file, refused.value.field) == ("XX-LAW@2.toml", "inForceFrom")
    assert "overlaps XX-LAW@1" in refused.value.reason


def test_a_new_version_that_starts_before_the_one_it_follows_is_refused(tmp_path: Path) -> None:
    # rewriting history under a new number is editing in place by another name
    write(tmp_path, "XX-LAW@1.toml", pack_text(1, dates="inForceFrom = 2025-01-01"))
    write(tmp_path, "XX-LAW@2.toml", pack_text(2, dates="inForceFrom = 2025-01-01"))
    with pytest.raises(InvalidPack) as refused:
        load_packs(tmp_path)
    assert (refused.value.file, refused.value.field) == ("XX-LAW@2.toml", "inForceFrom")
    assert "never edited in place" in refused.value.reason


def test_a_removed_version_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "XX-LAW@2.toml", pack_text(2))
    with pytest.raises(InvalidPack) as refused:
        load_packs(tmp_path)
    assert (refused.value.file, refused.value.field) == ("XX-LAW@2.toml", "version")
    assert "version 1 of XX-LAW is missing" in refused.value.reason


def test_a_new_version_takes_over_from_its_first_day(tmp_path: Path) -> None:
    write(tmp_path, "XX-LAW@1.toml", pack_text(1, dates="inForceFrom = 2025-01-01"))
    write(
        tmp_path, "XX-LAW@2.toml", pack_text(2, dates="inForceFrom = 2026-01-01\ninForceUntil = 2027-01-01")
    )
    book = load_packs(tmp_path)
    assert book.enacted_at("XX-LAW", date(2024, 12, 31)) is None
    assert [book.enacted_at("XX-LAW", day) for day in (date(2025, 1, 1), date(2025, 12, 31))] == [
        book.versions("XX-LAW")[0]
    ] * 2
    assert book.enacted_at("XX-LAW", date(2026, 1, 1)) == book.versions("XX-LAW")[1]
    # inForceUntil is the first day the law no longer applies
    assert book.enacted_at("XX-LAW", date(2026, 12, 31)) == book.versions("XX-LAW")[1]
    assert book.enacted_at("XX-LAW", date(2027, 1, 1)) is None
    assert book.in_force(date(2027, 1, 1)) == ()


def test_an_adopted_proposal_is_a_new_enacted_version(tmp_path: Path) -> None:
    write(tmp_path, "XX-LAW@1.toml", pack_text(1, status="PROPOSED", dates=""))
    write(tmp_path, "XX-LAW@2.toml", pack_text(2, dates="inForceFrom = 2026-03-31"))
    book = load_packs(tmp_path)
    assert [pack.key for pack in book.proposed(date(2026, 3, 30))] == ["XX-LAW@1"]
    assert book.in_force(date(2026, 3, 30)) == ()
    assert book.proposed(date(2026, 3, 31)) == ()
    assert [pack.key for pack in book.in_force(date(2026, 3, 31))] == ["XX-LAW@2"]


def test_one_version_given_twice_is_refused(tmp_path: Path) -> None:
    first = read_pack(write(tmp_path, "XX-LAW@1.toml", GOOD))
    with pytest.raises(InvalidPack, match="XX-LAW@1 is given twice") as refused:
        LawBook([first, first])
    assert (refused.value.file, refused.value.field) == ("XX-LAW@1.toml", "version")


def test_a_folder_named_like_a_pack_is_refused(tmp_path: Path) -> None:
    (tmp_path / "XX-LAW@1.toml").mkdir()
    with pytest.raises(InvalidPack, match="not a file") as refused:
        load_packs(tmp_path)
    assert refused.value.file == "XX-LAW@1.toml"


def test_a_pack_too_large_to_be_one_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "XX-LAW@1.toml", GOOD + "# " + "x" * 70_000 + "\n")
    with pytest.raises(InvalidPack, match="a pack holds at most"):
        load_packs(tmp_path)


def test_a_book_of_no_packs_is_empty() -> None:
    book = LawBook([])
    assert book.packs == () and book.in_force(date(2026, 1, 1)) == () and book.hashes() == {}


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidPack, match="no such folder"):
        load_packs(tmp_path / "absent")
