"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) as a browser's
`fetch` with a FormData body sends them: `operations` (the JSON request), `map` (which variable each file
part fills), then the files; an `Authorization: Bearer` header and nothing else set by hand."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import ADMIN_TOKEN


async def post_files(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes, str]],
    *,
    token: str = ADMIN_TOKEN,
) -> httpx.Response:
    """POST a multipart request; `files` maps a variable path ('file') to (name, bytes, content type)."""
    operations = {"query": query, "variables": variables}
    mapping = {str(index): [f"variables.{path}"] for index, path in enumerate(files)}
    parts = {str(index): files[path] for index, path in enumerate(files)}
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files=parts,
        headers={"Authorization": f"Bearer {token}"},
    )


async def ok(response: httpx.Response) -> Any:
    body = response.json()
    assert response.status_code == 200, body
    assert not body.get("errors"), body["errors"]
    return body["data"]


def refused(response: httpx.Response) -> list[dict[str, Any]]:
    body = response.json()
    assert body.get("errors"), body
    return list(body["errors"])
