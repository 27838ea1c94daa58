"""The GraphiQL page over HTTP: served without credentials, loads only the package's own files, and its
examples are README's and answer on the demo world. tests/browser drives it in a real browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from likeness.demo import DEMO_WORLD
from likeness.ingest.bulk import import_lines
from likeness.web.examples import EXAMPLES
from likeness.web.page import HERE

README = Path(__file__).parents[2] / "README.md"
VENDOR = HERE / "static" / "vendor"


class _Links(HTMLParser):
    """Every src and href in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def _words(text: str) -> str:
    return " ".join(text.split())


async def _page(api: Any) -> Any:
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response


async def test_the_page_needs_no_credentials_and_loads_only_its_own_files(api: Any) -> None:
    response = await api.client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    links = _Links()
    links.feed(response.text)
    assert links.urls, "the page links no script or style"
    for url in links.urls:
        if url.startswith("data:"):
            continue
        assert not re.match(r"^([a-z]+:|//)", url), f"{url} leaves the API"
        served = await api.client.get(f"/{url}")
        assert served.status_code == 200, url


async def test_the_bundles_are_compressed_on_the_wire(api: Any) -> None:
    served = await api.client.get(
        "/static/vendor/graphiql-3.8.3/graphiql.min.js", headers={"Accept-Encoding": "gzip"}
    )
    assert served.status_code == 200
    assert served.headers["content-encoding"] == "gzip"
    assert served.num_bytes_downloaded < 1_000_000
    assert served.content == (VENDOR / "graphiql-3.8.3" / "graphiql.min.js").read_bytes()


def test_every_vendored_package_carries_its_licence() -> None:
    packages = [folder for folder in VENDOR.iterdir() if folder.is_dir()]
    assert {folder.name.rsplit("-", 1)[0] for folder in packages} == {
        "graphiql",
        "react",
        "react-dom",
        "cytoscape",
        "cytoscape-dagre",
    }
    # axe-core runs in the browser tests only: vendored beside them, never served
    packages.append(Path(__file__).parents[1] / "browser" / "vendor" / "axe-core-4.14.1")
    for folder in packages:
        assert (folder / "LICENSE").is_file(), f"{folder.name} has no LICENSE"


async def test_the_page_offers_one_example_per_role(api: Any) -> None:
    page = (await _page(api)).text
    for example in EXAMPLES:
        assert f"query {example.title} " in page
    assert [example.title for example in EXAMPLES] == [
        "Investigator",
        "Brand",
        "Person",
        "Regulator",
        "Platform",
    ]


@pytest.mark.skipif(not README.exists(), reason="README.md is not beside the package (an installed copy)")
def test_the_examples_are_the_readmes_guide_by_user() -> None:
    guide = README.read_text(encoding="utf-8").split("## A guide by user", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```graphql\n(.*?)```", guide, flags=re.DOTALL)
    assert [_words(block) for block in blocks] == [_words(example.body) for example in EXAMPLES], (
        "README.md's 'A guide by user' and likeness/web/examples.py differ: change them together"
    )


async def test_every_example_answers_on_the_demo_world(api: Any, graph: Any) -> None:
    world = Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines()
    assert not (await import_lines(graph, world)).rejected
    for example in EXAMPLES:
        data = await api(example.document)
        assert all(answer for answer in data.values()), f"{example.title}: {data}"


async def test_the_root_leads_to_graphiql(api: Any) -> None:
    response = await api.client.get("/")
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/graphql"
