"""GraphiQL in a real browser, with no network but the API: sign in, run an example, come back later."""

from __future__ import annotations

import json
from typing import Any

from tests import needs
from tests.browser.conftest import PLAYWRIGHT, Tab
from tests.conftest import ADMIN_TOKEN

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import expect  # noqa: E402 (after the check above)

# CodeMirror draws only the lines in view; the editor's whole text is read through its own API.
RESPONSE_TEXT = "() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"
QUERY_TEXT = "() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
ACTIVE_TAB = ".graphiql-tab-active .graphiql-tab-button"
EXAMPLE_TABS = ["Investigator", "Brand", "Person", "Regulator", "Platform"]
SCROLL_TO_VERDICTS = """() => {
  const editor = document.querySelector('.graphiql-response .CodeMirror').CodeMirror;
  const line = editor.getValue().split('\\n').findIndex(text => text.includes('"verdicts"'));
  editor.scrollTo(null, editor.heightAtLine(line, 'local'));
}"""


async def _sign_in(tab: Tab, site: str) -> None:
    await tab.page.goto(f"{site}/graphql")
    await expect(tab.page.locator(".graphiql-query-editor")).to_be_visible()
    await tab.page.fill("#token", ADMIN_TOKEN)
    await tab.page.click("#use-token")
    await expect(tab.page.locator("#token-status")).to_have_text("token in use, kept in this browser")


async def _run(tab: Tab) -> Any:
    """Press GraphiQL's run button; the response it shows, parsed."""
    before = await tab.page.evaluate(RESPONSE_TEXT)
    await tab.page.click(".graphiql-execute-button")
    await tab.page.wait_for_function(
        f"before => ({RESPONSE_TEXT})() !== before && ({RESPONSE_TEXT})()", arg=before
    )
    return json.loads(await tab.page.evaluate(RESPONSE_TEXT))


async def test_the_investigator_example_traces_the_knockoff_with_no_network(tab: Tab, site: str) -> None:
    page = tab.page
    await _sign_in(tab, site)
    await expect(page.locator(".graphiql-tab-button")).to_have_text(EXAMPLE_TABS)
    await page.select_option("#example", label="Investigator")
    await expect(page.locator(ACTIVE_TAB)).to_have_text("Investigator")

    response = await _run(tab)

    assert "errors" not in response, response
    provenance = response["data"]["provenance"]
    assert provenance["asset"]["id"] == "asset-maren-liv-knockoff"
    assert {verdict["code"] for verdict in provenance["verdicts"]} == {"NO_CONSENT", "TAINTED_TWIN"}
    assert provenance["permitted"] is False
    # and a person reading the pane sees it
    await expect(page.locator(".graphiql-response")).to_contain_text("asset-maren-liv-knockoff")
    await page.evaluate(SCROLL_TO_VERDICTS)
    await expect(page.locator(".graphiql-response")).to_contain_text("TAINTED_TWIN")
    shot = await tab.screenshot("graphiql.png")
    assert shot.stat().st_size > 0
    assert tab.offsite == [], f"the page tried to leave 127.0.0.1: {tab.offsite}"
    assert tab.errors == []


async def test_a_token_brings_the_schema(tab: Tab, site: str) -> None:
    page = tab.page
    await page.goto(f"{site}/graphql")
    # no token, no schema: GraphiQL says why in its response pane, without asking the API
    await page.wait_for_function(f"() => ({RESPONSE_TEXT})().includes('No token yet')")
    await page.fill("#token", ADMIN_TOKEN)
    await page.click("#use-token")

    await page.get_by_role("button", name="Show Documentation Explorer").click()
    explorer = page.locator(".graphiql-doc-explorer")
    await expect(explorer).to_contain_text("Root Types")
    await expect(explorer).to_contain_text("query: Query")
    assert await page.evaluate(RESPONSE_TEXT) == ""
    assert tab.offsite == []
    assert tab.errors == []


async def test_picking_an_example_whose_tab_was_edited_opens_it_afresh(tab: Tab, site: str) -> None:
    page = tab.page
    await _sign_in(tab, site)
    await page.click(".graphiql-query-editor .CodeMirror")
    await page.keyboard.press("Control+A")
    await page.keyboard.type("{ __typename }")
    await expect(page.locator(ACTIVE_TAB)).to_have_text("<untitled>")

    await page.select_option("#example", label="Investigator")

    await expect(page.locator(".graphiql-tab-button")).to_have_text(
        ["<untitled>", "Brand", "Person", "Regulator", "Platform", "Investigator"]
    )
    await expect(page.locator(ACTIVE_TAB)).to_have_text("Investigator")
    query = await page.evaluate(QUERY_TEXT)
    assert 'provenance(assetId: "asset-maren-liv-knockoff"' in query
    assert tab.errors == []


async def test_the_token_and_the_open_example_survive_a_reload(tab: Tab, site: str) -> None:
    page = tab.page
    await _sign_in(tab, site)
    await page.select_option("#example", label="Regulator")
    await expect(page.locator(ACTIVE_TAB)).to_have_text("Regulator")
    # GraphiQL writes its tabs to localStorage half a second after a change
    await page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('graphiql:tabState') || '{}').activeTabIndex === 3"
    )

    await page.reload()

    await expect(page.locator("#token-status")).to_have_text("token in use, kept in this browser")
    await expect(page.locator(".graphiql-tab-button")).to_have_text(EXAMPLE_TABS)
    await expect(page.locator(ACTIVE_TAB)).to_have_text("Regulator")
    response = await _run(tab)
    assert "errors" not in response, response
    assert response["data"]["audit"]["totalCount"] > 0
    assert tab.offsite == []
    assert tab.errors == []


async def test_signing_out_forgets_the_token(tab: Tab, site: str) -> None:
    page = tab.page
    await _sign_in(tab, site)
    await page.click("#sign-out")
    await page.reload()

    await expect(page.locator("#token-status")).to_have_text("no token")
    assert await page.evaluate("() => localStorage.getItem('likeness:token')") is None
    # the schema cannot be read without a token: GraphiQL says why in its response pane
    await page.wait_for_function(f"() => ({RESPONSE_TEXT})().includes('No token yet')")
    assert tab.offsite == []
    assert tab.errors == []
