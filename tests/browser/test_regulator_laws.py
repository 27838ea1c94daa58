"""The regulator's view by law, in a real Chromium against the real API: the audit filtered by a law and by
the places laws applied through, and the counts by law as a bar chart, on a world of the test's own (an
EU brand's unlabelled images published before and after EU AI Act art. 50 applies) beside the demo's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from likeness.access import keys
from likeness.graph.driver import Graph
from tests import needs
from tests.browser.conftest import PLAYWRIGHT, Tab
from tests.conftest import ADMIN_TOKEN

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import expect  # noqa: E402 (after the check above)

from tests.browser.test_explorer import PATIENT, clean, sign_in  # noqa: E402

expect.set_options(timeout=30_000)

BRAND = "brand-lawful-north"
SOFIA = "person-lawful-sofia"
EU_AI_ACT = "EU-AI-ACT-50"


async def _admin(site: str, op: str, kind: str, data: dict[str, Any]) -> None:
    async with httpx.AsyncClient(timeout=PATIENT) as client:
        response = await client.post(
            f"{site}/graphql",
            json={"query": f"mutation($i: {kind}!) {{ {op}(input: $i) {{ id }} }}", "variables": {"i": data}},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    body = response.json()
    assert not body.get("errors"), body


async def eu_brand_world(site: str) -> None:
    """Sofia (SE) consents to the brand's use of her twin in SE and DE; the brand publishes three images
    without an AI label: in SE on 2026-07-01 (before art. 50 applies), in SE and in DE on 2026-08-03."""
    await _admin(
        site, "registerPerson", "PersonInput", {"id": SOFIA, "name": "Sofia Lind", "jurisdiction": "SE"}
    )
    for oid, kind in [(BRAND, "BRAND"), ("vendor-lawful", "VENDOR"), ("studio-lawful", "STUDIO")]:
        await _admin(
            site, "registerOrganization", "OrganizationInput", {"id": oid, "name": oid, "kind": kind}
        )
    await _admin(
        site,
        "recordCapture",
        "CaptureInput",
        {
            "id": "capture-lawful-sofia",
            "personIds": [SOFIA],
            "kind": "PHOTO",
            "sha256": "1a" * 32,
            "capturedAt": "2025-01-10T10:00:00Z",
            "capturedById": "studio-lawful",
        },
    )
    terms = {
        "personId": SOFIA,
        "signedById": SOFIA,
        "signedAt": "2025-01-01T00:00:00Z",
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2028-01-01T00:00:00Z",
        "description": "Campaign images for the brand's own channels",
        "compensation": {"amount": "5000.00", "currency": "EUR", "basis": "FLAT"},
    }
    await _admin(
        site,
        "grantConsent",
        "ConsentInput",
        {"id": "consent-lawful-build", "purpose": "BUILD", "granteeId": "vendor-lawful", **terms},
    )
    await _admin(
        site,
        "buildTwin",
        "TwinInput",
        {
            "id": "twin-lawful-sofia",
            "personId": SOFIA,
            "vendorId": "vendor-lawful",
            "captureIds": ["capture-lawful-sofia"],
            "builtAt": "2025-02-01T00:00:00Z",
            "commissionedById": BRAND,
        },
    )
    await _admin(
        site,
        "grantConsent",
        "ConsentInput",
        {
            "id": "consent-lawful-use",
            "purpose": "USE",
            "granteeId": BRAND,
            "twinIds": ["twin-lawful-sofia"],
            "mediaTypes": ["IMAGE"],
            "channels": ["INSTAGRAM", "WEB"],
            "territories": ["SE", "DE"],
            **terms,
        },
    )
    for n, (aid, when, where) in enumerate(
        [
            ("asset-lawful-july", "2026-07-01T10:00:00Z", "SE"),
            ("asset-lawful-august", "2026-08-03T10:00:00Z", "SE"),
            ("asset-lawful-berlin", "2026-08-03T11:00:00Z", "DE"),
        ]
    ):
        await _admin(
            site,
            "publishAsset",
            "AssetInput",
            {
                "id": aid,
                "publisherId": BRAND,
                "twinIds": ["twin-lawful-sofia"],
                "sha256": f"{n + 0x1A0:064x}",
                "phash": "0f0f0f0f0f0f0f0f",
                "mediaType": "IMAGE",
                "channel": "WEB",
                "territories": [where],
                "publishedAt": when,
                "aiLabel": False,
                "machineReadableMark": True,
            },
        )


@pytest.fixture
async def regulator(site: str, graph: Graph) -> str:
    return (await keys.create(graph, role="REGULATOR", party_id=None, label="regulator")).secret


async def test_the_regulator_filters_by_law_and_jurisdiction_and_charts_the_counts_by_law(
    tab: Tab, site: str, regulator: str
) -> None:
    await eu_brand_world(site)
    page = await sign_in(tab, site, regulator)
    total = page.locator("#audit-total")
    await expect(total).to_contain_text("verdict(s) hold now; page 1.")
    # the law filter suggests the laws in force
    await expect(page.locator(f'#law-ids option[value="{EU_AI_ACT}"]')).to_have_count(1)
    # the brand's three unlabelled images all hold MISSING_AI_LABEL ...
    await page.get_by_label("Liable party").fill(BRAND)
    await page.get_by_role("button", name="Filter").click()
    await expect(total).to_have_text("3 verdict(s) hold now; page 1.")
    law_bars = page.locator("#audit-law-chart li")
    await expect(page.locator("#audit-law-chart")).not_to_have_attribute("aria-busy", "true")
    await expect(law_bars).to_have_count(1)
    await expect(page.locator(f'#audit-law-chart li[data-law="{EU_AI_ACT}"] .bar-count')).to_have_text("2")
    await tab.screenshot("explorer-regulator-laws.png")
    # ... two of them grounded in art. 50, which applies from 2026-08-02
    await page.get_by_label("Law").fill(EU_AI_ACT.lower())
    await page.get_by_role("button", name="Filter").click()
    await expect(total).to_have_text("2 verdict(s) hold now; page 1.")
    table = page.locator("#audit-table tbody")
    await expect(table).to_contain_text("asset-lawful-august")
    await expect(table).to_contain_text("asset-lawful-berlin")
    await expect(table).not_to_contain_text("asset-lawful-july")
    # by the place the law applied through: Sweden's is the image published in SE; the EU's both
    await page.get_by_label("Law").fill("")
    await page.get_by_label("Jurisdiction").fill("se")
    await page.get_by_role("button", name="Filter").click()
    await expect(total).to_have_text("1 verdict(s) hold now; page 1.")
    await expect(table).to_contain_text("asset-lawful-august")
    await expect(page.locator(f'#audit-law-chart li[data-law="{EU_AI_ACT}"] .bar-count')).to_have_text("1")
    await page.get_by_label("Jurisdiction").fill("EU")
    await page.get_by_role("button", name="Filter").click()
    await expect(total).to_have_text("2 verdict(s) hold now; page 1.")
    # no law of the United States grounds them: the chart says so
    await page.get_by_label("Jurisdiction").fill("US")
    await page.get_by_role("button", name="Filter").click()
    await expect(total).to_have_text("0 verdict(s) hold now; page 1.")
    await expect(law_bars).to_have_count(0)
    await expect(page.locator("#audit-law-chart .chart-empty")).to_have_text(
        "No verdict breaks a law in force where and when it happened."
    )
    # a law the server does not know is refused, naming the field
    await page.get_by_label("Jurisdiction").fill("")
    await page.get_by_label("Law").fill("EU-AI-ACT-51")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.locator("#status")).to_contain_text("filter.laws")
    clean(tab)
