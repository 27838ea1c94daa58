"""The GraphiQL page at /graphql, the explorer at /explore, and the static files they load, all served
from this package."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from likeness.web.examples import EXAMPLES

HERE = Path(__file__).parent

# Nothing but this origin: scripts, styles and requests all come from the API itself. CodeMirror
# styles elements inline; GraphiQL's fonts are data: URIs inside graphiql.min.css.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src data:; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@functools.cache
def _page_text() -> str:
    template = (HERE / "graphiql.html").read_text(encoding="utf-8")
    examples = json.dumps([{"title": example.title, "query": example.document} for example in EXAMPLES])
    # "<" escaped so that no example text can close the <script> block that carries them
    return template.replace("{{ examples }}", examples.replace("<", "\\u003c"))


def graphiql_page() -> HTMLResponse:
    """The GraphiQL page: a token bar, GraphiQL, and one worked example per role."""
    return HTMLResponse(_page_text(), headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


# The explorer: scripts only from this origin (no inline script); its styles from this origin, and style
# attributes the graph drawing sets; a case file opens as a blob: document, which inherits this policy.
EXPLORER_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def explorer_page() -> HTMLResponse:
    """The explorer: search, the graph around a node as of an instant, and one landing view per role,
    every answer read from the public GraphQL API with the signed-in key."""
    return HTMLResponse(
        (HERE / "explorer.html").read_text(encoding="utf-8"),
        headers={"Content-Security-Policy": EXPLORER_CONTENT_SECURITY_POLICY},
    )


def static_mount() -> Mount:
    """`/static`: GraphiQL, React and the page's own script and style, compressed on the wire (GraphiQL
    3's bundle is 3.5 MB as published, 0.7 MB gzipped). Public: nothing in it is data."""
    return Mount("/static", app=GZipMiddleware(StaticFiles(directory=HERE / "static")), name="static")
