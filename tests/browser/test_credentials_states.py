"""The investigator's trace box in a real Chromium says what a dropped file's Content Credentials are:
trusted (signed under the server's LIKENESS_C2PA_TRUST_ANCHORS), invalid (one byte of the picture
flipped, with its failure code) and stripped (re-encoded: found by its phash, naming the asset whose
manifest it lost); docs/credentials.md."""

from __future__ import annotations

import json

import httpx
import pytest

from likeness.access import keys
from likeness.config import Settings
from likeness.graph.driver import Graph
from tests import needs
from tests.browser.conftest import PLAYWRIGHT, Tab
from tests.conftest import ADMIN_TOKEN
from tests.media.media_factories import signed_jpeg_render, stripped_copy, tampered_copy

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import Page, expect  # noqa: E402 (after the check above)

expect.set_options(timeout=30_000)
PATIENT = 60.0
ASSET = "asset-signed-render"

PUBLISH = "mutation($i: AssetInput!, $file: Upload) { publishAsset(input: $i, file: $file) { id } }"


@pytest.fixture
def site_settings(settings: Settings) -> Settings:
    """The site's app trusts the test-only chain the files are signed with."""
    anchors = needs.c2pa_fixtures() / "es256_certs.pem"
    return settings.model_copy(update={"likeness_c2pa_trust_anchors": anchors})


async def publish_signed(site: str, data: bytes) -> None:
    """The signed render published with its file by the demo brand, as the bootstrap admin."""
    asset = {
        "id": ASSET,
        "publisherId": "brand-nordhem",
        "twinIds": ["twin-liv-v1"],
        "mediaType": "IMAGE",
        "channel": "WEB",
        "territories": ["SE"],
        "publishedAt": "2026-05-01T00:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }
    operations = {"query": PUBLISH, "variables": {"i": asset, "file": None}}
    async with httpx.AsyncClient(timeout=PATIENT) as client:
        response = await client.post(
            f"{site}/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("render.jpg", data, "image/jpeg")},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body


async def drop(page: Page, data: bytes, name: str) -> None:
    """The file dropped onto the trace box, as a person drags it from her desktop."""
    dropped = await page.evaluate_handle(
        """([bytes, name]) => { const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], name, {type: 'image/jpeg'}));
        return data; }""",
        [list(data), name],
    )
    await page.locator("#drop-zone").dispatch_event("drop", {"dataTransfer": dropped})
    await expect(page.locator("#trace-credentials")).to_be_visible()


async def test_the_trace_box_shows_trusted_invalid_and_stripped_files(
    tab: Tab, site: str, graph: Graph
) -> None:
    original = signed_jpeg_render()
    await publish_signed(site, original)
    key = (await keys.create(graph, role="INVESTIGATOR", party_id=None, label="investigator")).secret
    page = tab.page
    await page.goto(f"{site}/explore")
    await page.get_by_label("API key").fill(key)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator("#drop-zone")).to_be_visible()
    await expect(page.locator("#trace-file")).to_be_enabled()
    credentials = page.locator("#trace-credentials")

    await drop(page, original, "render.jpg")
    await expect(page.locator("#status")).to_contain_text("Traced render.jpg")
    await expect(credentials).to_have_attribute("data-state", "trusted")
    await expect(credentials).to_contain_text("signed under this server's trust anchors")
    await expect(credentials).to_contain_text("C2PA Signer")

    await drop(page, tampered_copy(original), "tampered.jpg")
    await expect(page.locator("#status")).to_contain_text("Traced tampered.jpg")
    await expect(credentials).to_have_attribute("data-state", "invalid")
    await expect(credentials.locator("code")).to_have_text(["assertion.dataHash.mismatch"])

    await drop(page, stripped_copy(original), "stripped.jpg")
    await expect(page.locator("#status")).to_contain_text("Traced stripped.jpg")
    await expect(credentials).to_have_attribute("data-state", "stripped")
    await expect(credentials).to_contain_text(f"The matched asset {ASSET} carried Content Credentials")
    await expect(credentials).to_contain_text("removed downstream")
    await expect(page.locator(f'#trace-matches li[data-match="{ASSET}"]')).to_be_visible()
    await tab.screenshot("explorer-trace-stripped.png")
    assert tab.offsite == [] and tab.errors == []
