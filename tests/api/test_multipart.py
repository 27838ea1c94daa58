"""Malformed GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) get
a coded error naming what is wrong — never a 500, never plain text — and run nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import ADMIN_TOKEN
from tests.media.media_factories import encoded, scene

TRACE = "query($file: Upload) { trace(file: $file) { sha256 } }"
OPERATIONS = json.dumps({"query": TRACE, "variables": {"file": None}})
MAP = json.dumps({"0": ["variables.file"]})
PNG = ("found.png", b"\x89PNG\r\n\x1a\n", "image/png")

# case -> (form fields, file parts, what the error message names)
MALFORMED: dict[str, tuple[dict[str, str], dict[str, Any], str]] = {
    "map is not JSON": ({"operations": OPERATIONS, "map": "{not json"}, {"0": PNG}, "`map`: the request"),
    "map is not an object": (
        {"operations": OPERATIONS, "map": "[1]"},
        {"0": PNG},
        "`map` must be a JSON object",
    ),
    "map names no list of paths": (
        {"operations": OPERATIONS, "map": '{"0": "variables.file"}'},
        {"0": PNG},
        "`map`'s '0' must be a list of paths",
    ),
    "map names an unknown variable": (
        {"operations": OPERATIONS, "map": '{"0": ["variables.nope"]}'},
        {"0": PNG},
        "'variables.nope', which is no null variable",
    ),
    "map names a path outside the variables": (
        {"operations": OPERATIONS, "map": '{"0": ["query"]}'},
        {"0": PNG},
        "'query', which is no null variable",
    ),
    "map names a path below a variable": (
        {"operations": OPERATIONS, "map": '{"0": ["variables.file.x.y"]}'},
        {"0": PNG},
        "'variables.file.x.y', which is no null variable",
    ),
    "a mapped part is missing": (
        {"operations": OPERATIONS, "map": MAP},
        {"1": PNG},
        "`map` names the part '0', which is not sent",
    ),
    "no map": ({"operations": OPERATIONS}, {"0": PNG}, "no `map` field"),
    "no operations": ({"map": MAP}, {"0": PNG}, "no `operations` field"),
    "operations is not JSON": (
        {"operations": "{not json", "map": MAP},
        {"0": PNG},
        "`operations`: the request",
    ),
    "operations is not an object": (
        {"operations": "[]", "map": MAP},
        {"0": PNG},
        "`operations` must be a JSON object",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_malformed_multipart_request_gets_a_coded_error_saying_what_is_wrong(
    api: Any, case: str
) -> None:
    fields, files, named = MALFORMED[case]
    response = await api.client.post(
        "/graphql", data=fields, files=files, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/"), response.headers
    body = response.json()
    assert "data" not in body, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST", error
    assert error["message"].startswith("multipart body: ") and named in error["message"], error


async def test_a_well_formed_multipart_request_still_traces_its_file(api: Any) -> None:
    response = await api.client.post(
        "/graphql",
        data={"operations": OPERATIONS, "map": MAP},
        files={"0": ("found.png", encoded(scene(0), "PNG"), "image/png")},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    assert len(body["data"]["trace"]["sha256"]) == 64
