"""The issue's proof, in two real Chromium tabs against the real API: a platform signs in to the explorer,
sees the notice sent to it and answers it; the investigator hears the answer by its webhook (a real receiver,
the signature verified) and, with the explorer open on its inbox, live (the `alerts` subscription) without a
reload; the platform's row says what it answered."""

from __future__ import annotations

import asyncio
import time

import pytest

from likeness.access import keys
from likeness.graph.driver import Graph
from tests import needs
from tests.browser.conftest import PLAYWRIGHT, Tab

needs.module("playwright.async_api", PLAYWRIGHT)

from playwright.async_api import Browser, expect  # noqa: E402 (after the check above)

from tests.alerts.conftest import REGISTER  # noqa: E402
from tests.alerts.receiver import Receiver, receiving  # noqa: E402
from tests.browser.test_explorer import axe_violations, clean, sign_in  # noqa: E402
from tests.browser.test_inbox import LIVE_SECONDS, ask, live  # noqa: E402

expect.set_options(timeout=30_000)
NOTICE = "notice-maja-clipstream"  # Maja's notice to Clipstream, never answered in the demo world


@pytest.fixture
async def party_keys(site: str, graph: Graph) -> dict[str, str]:
    return {
        "platform": (await keys.create(graph, role="PLATFORM", party_id="platform-clipstream")).secret,
        "investigator": (await keys.create(graph, role="INVESTIGATOR", label="inbox")).secret,
    }


async def test_a_platform_answers_its_notice_and_the_investigator_hears_it_live(
    tab: Tab, browser: Browser, site: str, party_keys: dict[str, str]
) -> None:
    with receiving() as receiver:
        await answered_and_heard(tab, browser, site, party_keys, receiver)


async def answered_and_heard(
    tab: Tab, browser: Browser, site: str, party_keys: dict[str, str], receiver: Receiver
) -> None:
    # the investigator's webhook takes the answers
    registered = await ask(
        site,
        party_keys["investigator"],
        REGISTER,
        {"id": "hook-answers", "url": receiver.url(), "types": ["NOTICE_ANSWERED"], "description": "answers"},
    )
    secret = registered["registerWebhook"]["secret"]
    # the investigator watches its inbox in a tab of its own
    watching = await browser.new_context(viewport={"width": 1280, "height": 900})
    investigator = await watching.new_page()
    await investigator.goto(f"{site}/explore#/inbox")
    await investigator.get_by_label("API key").fill(party_keys["investigator"])
    await investigator.get_by_role("button", name="Sign in").click()
    await live(investigator)

    # the platform signs in and lands on the notices sent to it
    page = await sign_in(tab, site, party_keys["platform"])
    row = page.locator(f'#platform-notices tr[data-notice="{NOTICE}"]')
    await expect(row).to_be_visible()
    await expect(row.locator(".notice-answers")).to_have_text("none")
    assert await axe_violations(page) == []
    await row.get_by_label(f"Outcome for {NOTICE}").select_option("REMOVED")
    await row.get_by_role("button", name="Answer").click()
    await expect(row.locator(".notice-said")).to_have_text("Answered: removed")
    answered = time.monotonic()  # committed: the platform's page has its answer
    await expect(row.locator(".notice-answers")).to_contain_text("removed")
    await expect(row.locator(".notice-status")).to_have_text("removed")

    # the investigator's inbox shows the answer without a reload
    heard = investigator.locator(f'#alerts li[data-type="NOTICE_ANSWERED"]:has(a[href="#/node/{NOTICE}"])')
    await expect(heard).to_be_visible(timeout=LIVE_SECONDS * 1000)
    shown = time.monotonic() - answered
    # and its endpoint received it, signed
    for _ in range(100):
        if receiver.at("/hook"):
            break
        await asyncio.sleep(0.05)
    (delivery,) = receiver.at("/hook")
    payload = delivery.verified(secret)
    assert (payload["type"], payload["subjectId"]) == ("NOTICE_ANSWERED", NOTICE)
    posted = delivery.at - (time.time() - (time.monotonic() - answered))
    print(f"from the platform page showing its answer: inbox {shown:.2f} s, webhook {posted:+.2f} s")
    assert posted < 1.0, f"the webhook came {posted:.2f} s after the answer was shown"
    await watching.close()
    clean(tab)
