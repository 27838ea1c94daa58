"""A page's `fetch` with a FormData body and a bearer token traces a file: the request an investigator's
panel sends (docs/api.md, Uploads), from a real Chromium to the real app."""

from __future__ import annotations

import base64
from typing import Any

from likeness.media.hashing import hash_file
from tests.browser.conftest import Tab
from tests.conftest import ADMIN_TOKEN
from tests.media.media_factories import IPTC, encoded, scene, signed

TRACE = """query($file: Upload) { trace(file: $file) {
  sha256 format contentCredentials { validationState declaresAiGeneration digitalSourceTypes } } }"""

# exactly the browser code docs/api.md shows, with the file built from bytes instead of an <input>
FETCH = """async ([query, token, encoded]) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const form = new FormData();
  form.append("operations", JSON.stringify({query, variables: {file: null}}));
  form.append("map", JSON.stringify({"0": ["variables.file"]}));
  form.append("0", new File([bytes], "render.png", {type: "image/png"}));
  const headers = token ? {Authorization: `Bearer ${token}`} : {};
  const response = await fetch("/graphql", {method: "POST", headers, body: form});
  return {status: response.status, body: await response.json()};
}"""


async def test_a_page_traces_a_file_with_fetch_and_form_data(tab: Tab, site: str) -> None:
    created = {"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}
    render = signed(encoded(scene(0), "PNG"), "image/png", actions=[created])
    await tab.page.goto(f"{site}/healthz")
    payload = base64.b64encode(render).decode()

    answer: Any = await tab.page.evaluate(FETCH, [TRACE, ADMIN_TOKEN, payload])
    anonymous: Any = await tab.page.evaluate(FETCH, [TRACE, "", payload])

    assert answer["status"] == 200, answer
    traced = answer["body"]["data"]["trace"]
    assert traced["sha256"] == hash_file(render).sha256 and traced["format"] == "PNG"
    assert traced["contentCredentials"] == {
        "validationState": "VALID",
        "declaresAiGeneration": True,
        "digitalSourceTypes": [IPTC + "trainedAlgorithmicMedia"],
    }
    assert anonymous["status"] == 401
    assert anonymous["body"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # the browser logs the refused anonymous request, and nothing else
    assert tab.offsite == [] and [error for error in tab.errors if "status of 401" not in error] == []
