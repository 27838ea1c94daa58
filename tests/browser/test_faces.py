"""Faces in the explorer, in a real Chromium against the real API and Neo4j: an investigator traces a
photograph showing an enrolled person and others, and sees each face boxed on the picture she chose, his
named with its distance; the person's landing lists the sightings and assets whose file shows his face."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from likeness.access import keys
from likeness.graph.driver import Graph
from likeness.ingest.bulk import import_lines
from tests import needs
from tests.api.uploads import ok, post_files
from tests.browser.conftest import PLAYWRIGHT, Tab
from tests.browser.test_explorer import PATIENT, axe_violations, clean, sign_in
from tests.faces.test_enrolment import ENROL
from tests.faces.test_unregistered_photograph import PUBLISH, REPORT, the_world

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import Page, expect  # noqa: E402 (after the check above)

expect.set_options(timeout=30_000)

AD = {
    "id": "asset-ad",
    "publisherId": "brand-x",
    "twinIds": ["twin-kim"],
    "mediaType": "IMAGE",
    "channel": "WEB",
    "territories": ["SE"],
    "publishedAt": "2026-06-03T00:00:00Z",
    "aiLabel": True,
    "machineReadableMark": True,
}


@pytest.fixture
async def barack(site: str, graph: Graph, faces_fixtures: Path) -> dict[str, str]:
    """Beside the demo world (loaded by `site`): Barack, enrolled from obama.jpg under his MATCHING consent;
    keys for him and an investigator."""
    obama = (faces_fixtures / "obama.jpg").read_bytes()
    assert (await import_lines(graph, the_world(obama))).rejected == []
    made = {
        "barack": (await keys.create(graph, role="PERSON", party_id="person-barack")).secret,
        "investigator": (await keys.create(graph, role="INVESTIGATOR", label="desk")).secret,
    }
    enrolment = {"input": {"personId": "person-barack", "captureId": "capture-barack-1"}, "file": None}
    async with httpx.AsyncClient(base_url=site, timeout=PATIENT) as client:
        await ok(
            await post_files(
                client, ENROL, enrolment, {"file": ("obama.jpg", obama, "")}, token=made["barack"]
            )
        )
    return made


async def drawn_box(page: Page, number: str) -> dict[str, float]:
    """Where a face's box is drawn over the picture, in the picture's own pixels (its border's outer edge)."""
    return await page.evaluate(
        """number => { const img = document.querySelector('#face-picture img');
        const box = document.querySelector(`#face-picture .face-box[data-face="${number}"]`)
            .getBoundingClientRect();
        const at = img.getBoundingClientRect(); const sx = img.naturalWidth / at.width;
        const sy = img.naturalHeight / at.height;
        return {left: (box.left - at.left) * sx, top: (box.top - at.top) * sy,
                right: (box.right - at.left) * sx, bottom: (box.bottom - at.top) * sy,
                shownWidth: at.width, naturalWidth: img.naturalWidth}; }""",
        number,
    )


async def test_the_investigator_sees_the_enrolled_face_boxed_and_named(
    tab: Tab, site: str, barack: dict[str, str], faces_fixtures: Path
) -> None:
    # a photograph nobody registered, of him and of people never enrolled
    found = faces_fixtures / "obama_and_biden.jpg"
    page = await sign_in(tab, site, barack["investigator"])
    await expect(page.locator("#trace-file")).to_be_enabled()
    await page.locator("#trace-file").set_input_files(str(found))

    await expect(page.locator("#face-picture .face-box")).to_have_count(3)
    box = page.locator('#face-picture .face-box.matched[data-person="person-barack"]')
    await expect(box).to_have_count(1)
    await expect(box.locator(".face-label")).to_have_text(re.compile(r"^\d · Barack · 0\.\d{3}$"))
    # the faces of people never enrolled are boxed, unnamed
    await expect(page.locator("#face-picture .face-box:not(.matched) .face-label")).to_have_text(
        [re.compile(r"^\d · no enrolled match$")] * 2
    )
    await expect(page.locator("#faces-found")).to_have_text("3 face(s) found.")
    listed = page.locator('#trace-faces li[data-person="person-barack"]')
    await expect(listed).to_contain_text("Barack at distance 0.")
    await expect(listed).to_contain_text("nearest enrolled capture capture-barack-1")
    await expect(page.locator("#trace-faces > li", has_text="no enrolled match")).to_have_count(2)

    # the box is drawn where the API says the face is, scaled to the picture as shown
    number = await box.get_attribute("data-face")
    said = await page.locator(f'#trace-faces > li[data-face="{number}"]').inner_text()
    expected = json.loads(said.split("box ")[1].split("]")[0] + "]")
    at = await drawn_box(page, str(number))
    assert at["shownWidth"] < at["naturalWidth"]  # scaled down to fit: the boxes follow
    tolerance = 3 * at["naturalWidth"] / at["shownWidth"]  # three CSS pixels
    for side, value in zip(("left", "top", "right", "bottom"), expected, strict=True):
        assert abs(at[side] - value) <= tolerance, (side, at, expected)
    await tab.screenshot("explorer-trace-faces.png")
    assert await axe_violations(page) == []
    clean(tab)


async def test_her_landing_lists_where_her_face_was_found(
    tab: Tab, site: str, barack: dict[str, str], faces_fixtures: Path
) -> None:
    investigator = barack["investigator"]
    sighting = {
        "id": "sighting-barack-found",
        "url": "https://gram.example/p/found",
        "observedAt": "2026-06-01T00:00:00Z",
        "platformId": "platform-gram",
    }
    async with httpx.AsyncClient(base_url=site, timeout=PATIENT) as client:
        reported = await post_files(
            client,
            REPORT,
            {"input": sighting, "file": None},
            {"file": ("found.jpg", (faces_fixtures / "obama2.jpg").read_bytes(), "")},
            token=investigator,
        )
        # and a brand's ad showing his face on another person's twin
        published = await post_files(
            client,
            PUBLISH,
            {"input": AD, "file": None},
            {"file": ("ad.jpg", (faces_fixtures / "obama.jpg").read_bytes(), "")},
        )
    (match,) = (await ok(reported))["reportSighting"]["faceMatches"]
    await ok(published)

    page = await sign_in(tab, site, barack["barack"])
    rows = page.locator("#face-matches tbody tr")
    await expect(rows).to_have_count(2)
    # most recent first: the ad, published after the sighting was observed
    await expect(rows.first).to_have_attribute("data-subject", "asset-ad")
    await expect(rows.first).to_contain_text("0.000 (≤ 0.6, dlib-resnet-v1)")  # his enrolled photograph
    row = page.locator('#face-matches tr[data-subject="sighting-barack-found"]')
    await expect(row).to_contain_text("https://gram.example/p/found")
    await expect(row).to_contain_text("2026-06-01 00:00 UTC")
    await expect(row).to_contain_text(f"{match['distance']:.3f} (≤ 0.6, dlib-resnet-v1)")
    await expect(row).to_contain_text("capture-barack-1")
    await expect(row.get_by_role("button", name="Case file")).to_be_visible()
    await tab.screenshot("explorer-person-faces.png")
    assert await axe_violations(page) == []
    # the link opens the sighting, which names him too
    await row.get_by_role("link", name="sighting-barack-found").click()
    await expect(page.locator("#node h2")).to_contain_text("sighting-barack-found")
    await expect(page.locator('#file-faces li[data-person="person-barack"]')).to_contain_text(
        f"Barack at distance {match['distance']:.3f}"
    )
    # and the ad's page lists his face beside its graph
    await page.goto(f"{site}/explore#/node/asset-ad")
    await expect(page.locator('#asset-faces li[data-person="person-barack"]')).to_contain_text(
        "Barack at distance 0.000"
    )
    clean(tab)
