"""docs/laws.md lists every loaded pack as its file says, so the page cannot drift from the packs.
Pure: no Neo4j."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from likeness.laws import LawPack, load_packs
from likeness.laws.requirements import requirements_of

PAGE = Path(__file__).resolve().parents[2] / "docs" / "laws.md"
ROW = re.compile(r"^\| \[(?P<key>[^\]]+)\]\((?P<link>[^)]+)\) \|(?P<rest>.*)\|\s*$")
COLUMNS = ["jurisdiction", "status", "since", "applies", "grounds", "requires", "sources"]


def table_rows(text: str) -> dict[str, dict[str, str]]:
    """The rows of the table under "## The packs": pack key -> its cells by column."""
    section = text.split("\n## The packs\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, dict[str, str]] = {}
    for line in section.splitlines():
        found = ROW.match(line)
        if found is None:
            continue
        cells = [cell.strip() for cell in found["rest"].split(" | ")]
        assert len(cells) == len(COLUMNS), f"{found['key']}: expected {len(COLUMNS) + 1} cells, got {line}"
        assert found["key"] not in rows, f"{found['key']} is listed twice"
        rows[found["key"]] = {"link": found["link"], **dict(zip(COLUMNS, cells, strict=True))}
    return rows


def expected_cells(pack: LawPack) -> dict[str, object]:
    since = str(pack.in_force_from) if pack.in_force_from else "—"
    if pack.in_force_until:
        since += f" until {pack.in_force_until}"
    required = requirements_of(pack.codes)
    return {
        "link": f"../likeness/laws/packs/{pack.file}",
        "jurisdiction": ", ".join(pack.jurisdictions),
        "status": pack.status,
        "since": since,
        "applies": ", ".join(pack.applies_to),
        "grounds": list(pack.codes),
        "requires": ", ".join(f"`{r}`" for r in required) if required else "—",
        "sources": list(dict.fromkeys(urlsplit(s).netloc.removeprefix("www.") for s in pack.sources)),
    }


def shown_cells(row: dict[str, str]) -> dict[str, object]:
    return {
        **row,
        # the codes in the order given, each with its article (and a notice's kind) in brackets
        "grounds": re.findall(r"`([A-Z_]+)` \(", row["grounds"]),
        "sources": [host.strip() for host in row["sources"].split(",")],
    }


def test_the_table_lists_every_loaded_pack_as_its_file_says() -> None:
    rows = table_rows(PAGE.read_text(encoding="utf-8"))
    packs = {pack.key: pack for pack in load_packs().packs}
    assert sorted(rows) == sorted(packs), "docs/laws.md's table and the packs differ"
    for key, pack in packs.items():
        assert shown_cells(rows[key]) == expected_cells(pack), key


def test_the_page_keeps_its_sections() -> None:
    headings = re.findall(r"^## (.+)$", PAGE.read_text(encoding="utf-8"), re.MULTILINE)
    for heading in ("The packs", "How to add a law", "Questions a regulator asks"):
        assert heading in headings


def test_the_table_check_catches_a_wrong_date_and_a_missing_pack() -> None:
    text = PAGE.read_text(encoding="utf-8")
    packs = {pack.key: pack for pack in load_packs().packs}
    moved = text.replace("| EU | ENACTED | 2026-08-02 |", "| EU | ENACTED | 2026-08-01 |")
    assert moved != text
    shown = shown_cells(table_rows(moved)["EU-AI-ACT-50@1"])
    assert shown != expected_cells(packs["EU-AI-ACT-50@1"])
    dropped = "\n".join(line for line in text.splitlines() if "[US-NO-FAKES@1]" not in line)
    assert "US-NO-FAKES@1" not in table_rows(dropped)
