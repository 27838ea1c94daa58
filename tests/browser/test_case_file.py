"""A case file opened from disk in a real Chromium: readable with no network and no script, its graph drawn
as SVG with the knockoff's asset, twin, person and publisher, and every verdict code of the asset."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from likeness.access.principals import OPERATOR
from likeness.demo import DEMO_WORLD
from likeness.execution.context import context_for
from likeness.ingest.bulk import import_lines
from likeness.reports.filing import generate_case
from likeness.resolvers import provenance
from tests import needs
from tests.browser.conftest import ARTEFACTS, PLAYWRIGHT

needs.module("playwright.async_api", PLAYWRIGHT)

if TYPE_CHECKING:
    from playwright.async_api import Browser, ConsoleMessage, Route

KNOCKOFF = "asset-maren-liv-knockoff"


async def test_the_knockoffs_case_file_reads_offline_with_its_graph_and_verdicts(
    browser: Browser, graph: Any
) -> None:
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected
    context = context_for(graph=graph, principal=OPERATOR)
    now = datetime.now(UTC)
    made = await generate_case(context, KNOCKOFF, now)
    assert made is not None
    found = await provenance.provenance(context, KNOCKOFF, None, now)
    assert found is not None
    verdicts = found.verdicts
    codes = {verdict.code for verdict in verdicts}
    assert codes, "the knockoff has verdicts"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / "case-knockoff.html"
    path.write_bytes(made.data)

    page_context = await browser.new_context(
        viewport={"width": 1440, "height": 900}, java_script_enabled=False
    )
    requested: list[str] = []
    errors: list[str] = []

    async def only_the_file(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            await route.continue_()
        else:
            requested.append(url)
            await route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    await page_context.route("**/*", only_the_file)
    page = await page_context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await page.goto(path.as_uri())
        svg = page.locator("figure.graph svg")
        assert await svg.count() == 1
        ids = {
            "asset": KNOCKOFF,
            "twin": found.twins[0]["id"],
            "person": found.persons[0]["id"],
            "publisher": found.publisher["id"],
        }
        for kind, node_id in ids.items():
            node = svg.locator(f"g.node.{kind}", has_text=node_id)
            assert await node.count() == 1, f"no {kind} node {node_id} in the graph"
            assert await node.is_visible()
        for code in codes:
            verdict = page.locator(f"#verdict-{KNOCKOFF}-{code}")
            assert await verdict.is_visible()
            assert code in await verdict.inner_text()
        await page.screenshot(path=str(ARTEFACTS / "case-knockoff.png"), full_page=True)
    finally:
        await page_context.close()
    assert requested == [], f"the case file tried to load {requested}"
    assert errors == []
