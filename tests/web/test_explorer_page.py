"""The explorer page over HTTP: served without credentials under a strict Content-Security-Policy, and
loading only the package's own files, its modules importing only one another. tests/browser drives it."""

from __future__ import annotations

import re
from typing import Any

from likeness.web.page import HERE
from tests.web.test_graphiql_page import _Links

EXPLORER = HERE / "static" / "explorer"


async def test_the_explorer_needs_no_credentials_and_loads_only_its_own_files(api: Any) -> None:
    response = await api.client.get("/explore")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'", "no inline or foreign script"
    assert policy["connect-src"] == "'self'"
    assert "<script>" not in response.text and "javascript:" not in response.text
    links = _Links()
    links.feed(response.text)
    assert any(url.endswith("explorer.js") for url in links.urls)
    for url in links.urls:
        if url.startswith(("data:", "#")):
            continue
        assert not re.match(r"^([a-z]+:|//|/)", url), f"{url} is not relative to the page"
        served = await api.client.get(f"/{url}")
        assert served.status_code == 200, url


async def test_every_module_imports_only_its_neighbours(api: Any) -> None:
    modules = sorted(EXPLORER.glob("*.js"))
    assert {module.name for module in modules} >= {"api.js", "explorer.js", "graph.js", "views.js"}
    for module in modules:
        text = module.read_text(encoding="utf-8")
        for imported in re.findall(r'^import .* from "([^"]+)";$', text, flags=re.MULTILINE):
            assert re.fullmatch(r"\./[a-z]+\.js", imported), f"{module.name} imports {imported}"
            assert (EXPLORER / imported[2:]).is_file(), f"{module.name} imports a missing {imported}"
        # values from the API enter the page as text only
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, module.name
        served = await api.client.get(f"/static/explorer/{module.name}")
        assert served.status_code == 200
        assert served.headers["content-type"].startswith(("text/javascript", "application/javascript"))


async def test_only_the_api_module_talks_to_the_server() -> None:
    for module in sorted(EXPLORER.glob("*.js")):
        if module.name != "api.js":
            assert "fetch(" not in module.read_text(encoding="utf-8"), module.name
            # the live alerts' socket too (api.subscribe)
            assert "WebSocket(" not in module.read_text(encoding="utf-8"), module.name
