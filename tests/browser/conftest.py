"""A real Chromium against the real app: uvicorn on 127.0.0.1 serving the demo world, nothing offsite.

The browser is Debian's chromium (`apt-get install chromium`; scripts/setup.sh installs it when it
runs as root), driven by the `playwright` package without Playwright's own browser downloads.
LIKENESS_CHROMIUM names another Chromium binary; LIKENESS_TEST_ARTEFACTS another folder for screenshots.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from likeness.app import create_app
from likeness.config import Settings
from likeness.demo import DEMO_WORLD
from likeness.graph.driver import Graph
from likeness.ingest.bulk import import_lines
from tests import needs

if TYPE_CHECKING:
    from playwright.async_api import Browser, ConsoleMessage, Page, Route

CHROMIUM = Path(os.environ.get("LIKENESS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
PLAYWRIGHT = "the playwright package for the browser tests: .venv/bin/pip install -e '.[test]'"
ARTEFACTS = Path(
    os.environ.get("LIKENESS_TEST_ARTEFACTS") or Path(__file__).parents[2] / "data" / "test-artefacts"
)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Chromium, headless; without it or the playwright package the tests skip, or fail under CI
    (tests/needs.py)."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        needs.missing(PLAYWRIGHT)
    if not CHROMIUM.exists():
        needs.missing(
            f"Chromium at {CHROMIUM}: `apt-get install chromium` (Debian; scripts/setup.sh does it "
            "when run as root), or set LIKENESS_CHROMIUM to a Chromium binary"
        )
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


@pytest.fixture
def site_settings(settings: Settings) -> Settings:
    """The settings `site` builds its app with (a test module overrides this fixture to change some)."""
    return settings


@pytest.fixture
async def site(graph: Graph, site_settings: Settings) -> AsyncIterator[str]:
    """The app over real HTTP on a free 127.0.0.1 port, with the demo world loaded; its base URL."""
    settings = site_settings
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected
    listener = socket.socket()
    listener.bind((HOST, 0))
    port = listener.getsockname()[1]
    # a page's first questions of each tenant plan their visibility filters: on a loaded 2-core machine
    # that can pass the 5 s query deadline, which is the limits tests' business, not the pages'
    # webhooks may reach a receiver the test runs on loopback
    patient = settings.model_copy(
        update={"likeness_query_timeout": 120.0, "likeness_webhook_allow_private": True}
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(patient, graph=graph),
            lifespan="on",
            ws="websockets-sansio",  # the explorer's live alerts: a subscription over graphql-transport-ws
            log_level="warning",
            timeout_graceful_shutdown=5,
        )
    )
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    for _ in range(500):
        if server.started or serving.done():
            break
        await asyncio.sleep(0.01)
    if not server.started:
        serving.cancel()
        listener.close()
        raise RuntimeError(f"uvicorn did not start on {HOST}:{port}")
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        await serving
        listener.close()


@dataclass
class Tab:
    """A browser tab, with every request it tried to send offsite and every error it logged."""

    page: Page
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def screenshot(self, name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / name
        await self.page.screenshot(path=str(path))
        return path


@pytest.fixture
async def tab(browser: Browser) -> AsyncIterator[Tab]:
    """A fresh browser context (empty localStorage) whose requests can reach 127.0.0.1 only."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    tab = Tab(page)

    async def only_this_machine(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == HOST:
            await route.continue_()
        else:
            tab.offsite.append(url)
            await route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Any) -> None:
        tab.errors.append(f"uncaught: {error}")

    await context.route("**/*", only_this_machine)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield tab
    finally:
        await context.close()
