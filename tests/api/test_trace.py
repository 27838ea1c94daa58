"""trace: from a file found online, in one GraphQL multipart request, to what it matches — the registered
asset with its provenance and verdicts, or a capture of a person — and its Content Credentials."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from likeness.access import keys, log
from likeness.app import create_app
from likeness.demo import DEMO_WORLD
from likeness.ingest.bulk import import_lines
from likeness.media.hashing import hash_file
from likeness.media.images import phash_distance
from tests.api.uploads import ok, post_files, refused
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import base_world, capture, send
from tests.media.media_factories import IPTC, encoded, scene, video

KNOCKOFF = "asset-maren-liv-knockoff"
AS_OF = "2026-07-01T00:00:00Z"

TRACE = """
query Trace($file: Upload, $sha256: String, $phash: String, $maxDistance: Int! = 8, $asOf: DateTime) {
  trace(file: $file, sha256: $sha256, phash: $phash, maxDistance: $maxDistance, asOf: $asOf) {
    sha256 phash mediaType format framesHashed
    contentCredentials {
      validationState failures claimGenerator signer signerOrganization signedAt digitalSourceTypes
      declaresAiGeneration manifestLabel
      ingredients { title relationship thumbnailPhash dataSha256 }
    }
    matches { kind distance exact asset { id } capture { id } }
    bestMatch { kind exact distance asset { id publisher { id } } capture { id persons { id } } }
    provenance {
      asset { id } twins { id } persons { id } publisher { id }
      verdicts { code } liable { partyId role } permitted
    }
  }
}
"""


def jpeg(kind: int, quality: int = 90) -> bytes:
    return encoded(scene(kind), "JPEG", quality=quality)


def noise(size: int) -> bytes:
    """A PNG that does not compress: `size` × `size` random pixels."""
    pixels = np.random.default_rng(7).integers(0, 255, (size, size, 3), dtype=np.uint8)
    return encoded(Image.fromarray(pixels), "PNG")


@pytest.fixture
async def api(graph: Any, settings: Any) -> Any:
    """The app with a 30 s deadline: a Neo4j started for the tests plans each new query cold, and a
    tenant's provenance query (visibility predicates on every part) takes it up to 5 s to plan on a
    2-core machine; warm, a trace answers in ~150 ms (measured)."""
    app = create_app(settings.model_copy(update={"likeness_query_timeout": 30.0}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield Api(client, ADMIN_TOKEN)


@pytest.fixture
def found_jpeg() -> bytes:
    """The knockoff as found online: a JPEG whose hashes the demo world registers for the knockoff."""
    return jpeg(0)


@pytest.fixture
async def demo_with_knockoff_file(graph: Any, found_jpeg: bytes) -> Any:
    """The demo world, its knockoff asset registered with the hashes of `found_jpeg`."""
    hashes = hash_file(found_jpeg)
    lines = []
    for line in Path(str(DEMO_WORLD)).read_text().splitlines():
        event = json.loads(line)
        if event["op"] == "publishAsset" and event["input"]["id"] == KNOCKOFF:
            event["input"].update(sha256=hashes.sha256, phash=hashes.phash)
            line = json.dumps(event)
        lines.append(line)
    summary = await import_lines(graph, lines)
    assert not summary.rejected
    return graph


async def test_a_jpeg_alone_gives_the_registered_asset_its_provenance_and_verdicts_in_one_call(
    api: Any, demo_with_knockoff_file: Any, found_jpeg: bytes
) -> None:
    graph = demo_with_knockoff_file
    investigator = (await keys.create(graph, role="INVESTIGATOR", label="desk")).secret

    response = await post_files(
        api.client,
        TRACE,
        {"file": None, "asOf": AS_OF},
        {"file": ("found.jpg", found_jpeg, "image/jpeg")},
        token=investigator,
    )

    traced = (await ok(response))["trace"]
    assert traced["sha256"] == hash_file(found_jpeg).sha256
    assert (traced["mediaType"], traced["format"], traced["framesHashed"]) == ("IMAGE", "JPEG", 1)
    assert traced["contentCredentials"] is None  # a plain JPEG carries none
    assert traced["bestMatch"] == {
        "kind": "ASSET",
        "exact": True,
        "distance": 0,
        "asset": {"id": KNOCKOFF, "publisher": {"id": "brand-maren"}},
        "capture": None,
    }
    provenance = traced["provenance"]
    assert provenance["asset"] == {"id": KNOCKOFF}
    assert provenance["twins"] == [{"id": "twin-liv-deepfold"}]
    assert provenance["persons"] == [{"id": "person-liv-aberg"}]
    assert sorted(v["code"] for v in provenance["verdicts"]) == ["NO_CONSENT", "TAINTED_TWIN"]
    assert provenance["permitted"] is False
    assert {"partyId": "brand-maren", "role": "PRIMARY"} in provenance["liable"]
    # the trace is logged like every investigator read, the file named by its size and sha256
    entries = await graph.query("MATCH (e:LogEntry) RETURN properties(e) AS e ORDER BY e.seq DESC LIMIT 1")
    entry = entries[0]["e"]
    assert entry["operation"] == "query trace" and entry["principal"].startswith("INVESTIGATOR")
    assert entry["variablesHash"] == log.sha256_of(
        {
            "file": {"upload": "found.jpg", "bytes": len(found_jpeg), "sha256": traced["sha256"]},
            "asOf": AS_OF,
        }
    )


async def test_a_re_encoded_copy_matches_by_phash_and_a_tenant_sees_only_what_it_may(
    api: Any, demo_with_knockoff_file: Any
) -> None:
    graph = demo_with_knockoff_file
    copy = jpeg(0, quality=40)
    nordhem = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    maren = (await keys.create(graph, role="BRAND", party_id="brand-maren")).secret

    seen = await ok(await post_files(api.client, TRACE, {"file": None}, {"file": ("c.jpg", copy, "")}))
    as_maren = await ok(
        await post_files(api.client, TRACE, {"file": None}, {"file": ("c.jpg", copy, "")}, token=maren)
    )
    as_nordhem = await ok(
        await post_files(api.client, TRACE, {"file": None}, {"file": ("c.jpg", copy, "")}, token=nordhem)
    )

    best = seen["trace"]["bestMatch"]
    assert best["asset"]["id"] == KNOCKOFF and best["exact"] is False and 0 <= best["distance"] <= 8
    assert as_maren["trace"]["bestMatch"]["asset"]["id"] == KNOCKOFF
    # Nordhem sees nothing of Maren's knockoff: no match, no provenance
    assert as_nordhem["trace"]["matches"] == [] and as_nordhem["trace"]["provenance"] is None


async def test_a_capture_alone_matches_a_near_copy_and_names_the_person(api: Any) -> None:
    await base_world(api)
    shot = encoded(scene(1), "PNG")
    await send(api, "recordCapture", capture("capture-shot", n=7) | {"phash": hash_file(shot).phash})
    found = jpeg(1, quality=50)

    traced = (await ok(await post_files(api.client, TRACE, {"file": None}, {"file": ("f.jpg", found, "")})))[
        "trace"
    ]

    assert [(m["kind"], m["capture"]["id"] if m["capture"] else None) for m in traced["matches"]] == [
        ("CAPTURE", "capture-shot")
    ]
    best = traced["bestMatch"]
    assert best["exact"] is False and best["distance"] == phash_distance(
        hash_file(found).phash, hash_file(shot).phash
    )
    assert best["capture"]["persons"] == [{"id": "person-ada"}]
    assert traced["provenance"] is None


async def test_hashes_alone_trace_too_and_exact_matches_come_first(api: Any, graph: Any) -> None:
    await base_world(api)
    picture = encoded(scene(2), "PNG")
    hashes = hash_file(picture)
    await send(api, "recordCapture", capture("capture-exact", n=1) | {"sha256": hashes.sha256})
    await send(api, "recordCapture", capture("capture-near", n=2) | {"phash": hashes.phash})

    by_sha = (await api(TRACE, {"sha256": hashes.sha256, "phash": hashes.phash}))["trace"]

    assert [(m["capture"]["id"], m["exact"]) for m in by_sha["matches"]] == [
        ("capture-exact", True),
        ("capture-near", False),
    ]
    by_phash = (await api(TRACE, {"phash": hashes.phash, "maxDistance": 0}))["trace"]
    assert [m["capture"]["id"] for m in by_phash["matches"]] == ["capture-near"]


async def test_a_clip_matches_when_any_sampled_frame_is_near(api: Any) -> None:
    await base_world(api)
    third = encoded(scene(2), "PNG")
    await send(api, "recordCapture", capture("capture-third", n=9) | {"phash": hash_file(third).phash})
    clip = video([(scene(0), 10), (scene(1), 10), (scene(2), 10)])

    traced = (await ok(await post_files(api.client, TRACE, {"file": None}, {"file": ("c.mp4", clip, "")})))[
        "trace"
    ]

    assert traced["mediaType"] == "VIDEO" and traced["framesHashed"] == 3
    assert [m["capture"]["id"] for m in traced["matches"]] == ["capture-third"]


@pytest.mark.parametrize(
    ("name", "state", "failure", "ai", "ingredient"),
    [
        ("C.jpg", "VALID", "signingCredential.untrusted", True, None),
        ("CA.jpg", "VALID", "signingCredential.untrusted", False, "A.jpg"),
        ("E-sig-CA.jpg", "INVALID", "claimSignature.mismatch", False, "A.jpg"),
    ],
)
async def test_the_c2pa_samples_read_through_the_api(
    api: Any, c2pa_fixtures: Path, name: str, state: str, failure: str, ai: bool, ingredient: str | None
) -> None:
    data = (c2pa_fixtures / name).read_bytes()

    traced = (await ok(await post_files(api.client, TRACE, {"file": None}, {"file": (name, data, "")})))[
        "trace"
    ]

    credentials = traced["contentCredentials"]
    assert credentials["validationState"] == state
    assert failure in credentials["failures"]
    assert (credentials["signer"], credentials["signerOrganization"]) == (
        "C2PA Signer",
        "C2PA Test Signing Cert",
    )
    assert credentials["declaresAiGeneration"] is ai
    assert [item["title"] for item in credentials["ingredients"]] == ([ingredient] if ingredient else [])
    if name == "C.jpg":
        assert credentials["signedAt"] == "2023-09-29T17:40:14+00:00"
        assert credentials["digitalSourceTypes"] == [IPTC + "algorithmicMedia"]


async def test_a_traced_files_ingredient_names_the_capture_it_shows(api: Any, c2pa_fixtures: Path) -> None:
    await base_world(api)
    parent = hash_file(c2pa_fixtures / "A.jpg")
    await send(api, "recordCapture", capture("capture-a", n=5) | {"phash": parent.phash})
    query = """query($file: Upload) { trace(file: $file) {
        contentCredentials { ingredients { title links { kind matchedBy distance capture { id } } } }
        matches { kind capture { id } } } }"""
    data = (c2pa_fixtures / "CA.jpg").read_bytes()

    traced = (await ok(await post_files(api.client, query, {"file": None}, {"file": ("CA.jpg", data, "")})))[
        "trace"
    ]

    (ingredient,) = traced["contentCredentials"]["ingredients"]
    assert ingredient["links"] == [
        {"kind": "CAPTURE", "matchedBy": "thumbnailPhash", "distance": 0, "capture": {"id": "capture-a"}}
    ]
    # the edited picture is near its parent too: the capture is also a match of the file itself
    assert traced["matches"] == [{"kind": "CAPTURE", "capture": {"id": "capture-a"}}]


async def test_a_file_without_credentials_reads_none(api: Any, c2pa_fixtures: Path) -> None:
    data = (c2pa_fixtures / "A.jpg").read_bytes()

    traced = (await ok(await post_files(api.client, TRACE, {"file": None}, {"file": ("A.jpg", data, "")})))[
        "trace"
    ]

    assert traced["contentCredentials"] is None and traced["matches"] == []


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({}, "file"),
        ({"sha256": "ab" * 32, "maxDistance": 17}, "maxDistance"),
        ({"sha256": "ab" * 32, "maxDistance": -1}, "maxDistance"),
        ({"phash": "xyz"}, "phash"),
        ({"sha256": "123"}, "sha256"),
        ({"file": "not a file"}, "file"),
    ],
)
async def test_bad_trace_arguments_are_refused_naming_the_field(
    api: Any, graph: Any, variables: dict[str, Any], field: str
) -> None:
    errors = await api.errors(TRACE, variables)

    assert errors[0]["extensions"]["code"] == "BAD_INPUT"
    assert errors[0]["extensions"]["field"] == field


async def test_a_file_and_hashes_together_are_refused(api: Any, graph: Any) -> None:
    response = await post_files(
        api.client, TRACE, {"file": None, "sha256": "ab" * 32}, {"file": ("a", b"x", "")}
    )

    (error,) = refused(response)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "file")


@pytest.mark.parametrize(
    "data",
    [jpeg(0)[:700], b"%PDF-1.7 not an image", b""],
    ids=["truncated-jpeg", "pdf", "empty"],
)
async def test_a_corrupt_or_unsupported_file_is_refused_naming_file(
    api: Any, graph: Any, data: bytes
) -> None:
    response = await post_files(api.client, TRACE, {"file": None}, {"file": ("bad.jpg", data, "image/jpeg")})

    (error,) = refused(response)
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "file")
    assert "bad.jpg" in error["message"] or data == b""


async def test_an_upload_over_its_limit_is_refused_with_its_code_and_json_keeps_its_own(
    graph: Any, settings: Any
) -> None:
    app = create_app(
        settings.model_copy(update={"likeness_upload_max_bytes": 200_000, "likeness_max_body_bytes": 10_000}),
        graph=graph,
    )
    big = noise(300)
    assert len(big) > 200_000
    small = noise(70)
    assert 10_000 < len(small) < 200_000
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        too_big = await post_files(client, TRACE, {"file": None}, {"file": ("big.png", big, "image/png")})
        fits = await post_files(client, TRACE, {"file": None}, {"file": ("small.jpg", small, "image/jpeg")})
        json_body = await client.post(
            "/graphql",
            json={"query": TRACE, "variables": {"phash": "0" * 16}, "padding": "x" * 20_000},
            headers={"Authorization": "Bearer test-admin-token"},
        )

    assert too_big.status_code == 413
    (error,) = refused(too_big)
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["extensions"]["limit"] == "LIKENESS_UPLOAD_MAX_BYTES"
    assert error["extensions"]["limitBytes"] == 200_000
    assert "LIKENESS_UPLOAD_MAX_BYTES" in error["message"]
    # an upload under its own limit passes, though larger than the JSON body limit
    assert (await ok(fits))["trace"]["format"] == "PNG"
    assert json_body.status_code == 413
    assert refused(json_body)[0]["extensions"]["limit"] == "LIKENESS_MAX_BODY_BYTES"


async def test_a_browser_fetch_with_form_data_and_a_bearer_token_works_and_without_it_is_refused(
    api: Any, graph: Any
) -> None:
    """What a page's `fetch("/graphql", {method: "POST", headers: {Authorization}, body: formData})` sends:
    the browser sets `multipart/form-data; boundary=…` itself."""
    body = httpx.Request(
        "POST",
        "http://test/graphql",
        data={
            "operations": json.dumps({"query": TRACE, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": ("found.jpg", jpeg(2), "image/jpeg")},
    )
    content_type = body.headers["content-type"]
    payload = body.read()
    assert content_type.startswith("multipart/form-data; boundary=")

    with_token = await api.client.post(
        "/graphql",
        content=payload,
        headers={
            "Content-Type": content_type,
            "Authorization": "Bearer test-admin-token",
            "Origin": "http://x",
        },
    )
    without = await api.client.post("/graphql", content=payload, headers={"Content-Type": content_type})

    assert (await ok(with_token))["trace"]["format"] == "JPEG"
    assert without.status_code == 401
    assert refused(without)[0]["extensions"]["code"] == "UNAUTHENTICATED"
