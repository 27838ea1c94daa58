"""A brand's asset published signed, in a real Chromium: the explorer's asset view offers the signed file,
fetched with the signed-in key and saved as a download whose bytes are the asset's (sha256) and carry the
manifest naming it; docs/credentials.md."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest

from likeness.access import keys
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.media.credentials import read_content_credentials
from tests import needs
from tests.browser.conftest import PLAYWRIGHT, Tab
from tests.browser.test_explorer import clean, sign_in
from tests.conftest import ADMIN_TOKEN
from tests.media.media_factories import encoded, scene

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import expect  # noqa: E402 (after the check above)

expect.set_options(timeout=30_000)
ASSET = "asset-ss26-liv-signed"

PUBLISH = """mutation($i: AssetInput!, $file: Upload) {
  publishAsset(input: $i, file: $file, sign: true) { id sha256 signedFile { url } }
}"""


@pytest.fixture
def site_settings(settings: Settings) -> Settings:
    """The site signs with the test-only chain, and trusts it."""
    chain = needs.c2pa_fixtures()
    return settings.model_copy(
        update={
            "likeness_c2pa_signer_cert": chain / "es256_certs.pem",
            "likeness_c2pa_signer_key": chain / "es256_private.key",
            "likeness_c2pa_trust_anchors": chain / "es256_certs.pem",
        }
    )


async def publish_signed(site: str) -> str:
    """A render of Liv's twin published signed by Nordhem, within her 2026 consent; its sha256."""
    asset = {
        "id": ASSET,
        "publisherId": "brand-nordhem",
        "campaignId": "campaign-nordhem-ss26",
        "twinIds": ["twin-liv-v2"],
        "mediaType": "IMAGE",
        "channel": "INSTAGRAM",
        "territories": ["SE"],
        "publishedAt": "2026-07-01T08:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }
    operations = {"query": PUBLISH, "variables": {"i": asset, "file": None}}
    async with httpx.AsyncClient(timeout=60.0) as client:
        response = await client.post(
            f"{site}/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("render.png", encoded(scene(2), "PNG"), "image/png")},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return str(body["data"]["publishAsset"]["sha256"])


async def test_the_brand_saves_its_signed_file_from_the_asset_view(
    tab: Tab, site: str, graph: Graph, tmp_path: Path
) -> None:
    sha256 = await publish_signed(site)
    brand = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    page = await sign_in(tab, site, brand, f"#/node/{ASSET}")
    button = page.locator(f'button.signed-file[data-signed="{ASSET}"]')
    await expect(button).to_be_visible()
    async with page.expect_download() as waiting:
        await button.click()
    download = await waiting.value
    assert download.suggested_filename == f"{ASSET}.png"
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    data = saved.read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256
    anchors = (needs.c2pa_fixtures() / "es256_certs.pem").read_text(encoding="utf-8")
    credentials = read_content_credentials(data, "image/png", trust_anchors=anchors)
    assert credentials is not None and credentials.trusted and credentials.declares_ai_generation
    await expect(page.locator("#status")).to_contain_text(f"Saved the signed file of {ASSET}")
    # an asset published unsigned offers none
    await page.goto("about:blank")
    await page.goto(f"{site}/explore#/node/asset-ss26-liv-billboard")
    await expect(page.locator("#verdict-summary")).to_be_visible()
    await expect(page.locator("button.signed-file")).to_have_count(0)
    clean(tab)
