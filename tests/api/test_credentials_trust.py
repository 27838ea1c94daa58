"""Content Credentials trusted, untrusted, invalid and stripped, through the API: an app built with
LIKENESS_C2PA_TRUST_ANCHORS hands the anchors to its file workers, so a file signed under them reads
TRUSTED; a copy whose manifest was removed (re-encoded) is still found by its phash, and both trace and
the sighting reported with it say that its credentials were stripped (docs/credentials.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from likeness.access import keys
from likeness.app import create_app
from likeness.errors import InvalidInput
from likeness.media.hashing import hash_file
from tests.api.uploads import ok, post_files
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import asset, base_world, org, send
from tests.media.media_factories import (
    c2pa_fixture,
    encoded,
    scene,
    signed_jpeg_render,
    stripped_copy,
    tampered_copy,
)

AS_OF = "2025-06-01T00:00:00Z"

PUBLISH = """
mutation Publish($input: AssetInput!, $file: Upload) {
  publishAsset(input: $input, file: $file) {
    id machineReadableMark contentCredentials { validationState trust failures signer }
  }
}
"""

REPORT = """
mutation Report($input: SightingInput!, $file: Upload) {
  reportSighting(input: $input, file: $file) {
    id credentialsStripped assets { nodes { id } } contentCredentials { validationState trust }
  }
}
"""

TRACE = """
query Trace($file: Upload, $phash: String) {
  trace(file: $file, phash: $phash) {
    credentialsStripped
    contentCredentials { validationState trust failures }
    matches { kind exact distance credentialsStripped asset { id } }
  }
}
"""


def app_client(graph: Any, settings: Any, anchors: Path | None) -> httpx.AsyncClient:
    """A client of the app built with these trust anchors (LIKENESS_C2PA_TRUST_ANCHORS), or none."""
    configured = settings.model_copy(
        update={"likeness_query_timeout": 30.0, "likeness_c2pa_trust_anchors": anchors}
    )
    app = create_app(configured, graph=graph)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def anchored(graph: Any, settings: Any, c2pa_fixtures: Path) -> Any:
    """The app with the test chain's own PEM as its trust anchors."""
    async with app_client(graph, settings, c2pa_fixtures / "es256_certs.pem") as client:
        yield Api(client, ADMIN_TOKEN)


@pytest.fixture
async def unanchored(graph: Any, settings: Any) -> Any:
    async with app_client(graph, settings, None) as client:
        yield Api(client, ADMIN_TOKEN)


async def publish(api: Api, asset_id: str, file: bytes) -> dict[str, Any]:
    data = {key: value for key, value in asset(asset_id).items() if key not in ("sha256", "phash")}
    files = {"file": ("render.jpg", file, "")}
    return (await ok(await post_files(api.client, PUBLISH, {"input": data, "file": None}, files)))[
        "publishAsset"
    ]


async def trace(api: Api, file: bytes) -> dict[str, Any]:
    files = {"file": ("found.jpg", file, "")}
    return (await ok(await post_files(api.client, TRACE, {"file": None}, files)))["trace"]


async def report(api: Api, sighting_id: str, file: bytes) -> dict[str, Any]:
    sighting = {"id": sighting_id, "url": f"https://blog.example/{sighting_id}", "observedAt": AS_OF}
    files = {"file": ("copy.jpg", file, "")}
    return (await ok(await post_files(api.client, REPORT, {"input": sighting, "file": None}, files)))[
        "reportSighting"
    ]


async def test_a_file_signed_under_the_configured_anchors_is_recorded_trusted(
    anchored: Api, graph: Any
) -> None:
    await base_world(anchored)

    published = await publish(anchored, "asset-signed", signed_jpeg_render())

    credentials = published["contentCredentials"]
    assert (credentials["validationState"], credentials["trust"]) == ("VALID", "TRUSTED")
    assert credentials["failures"] == [] and credentials["signer"] == "C2PA Signer"
    assert published["machineReadableMark"] is True
    (manifest,) = await graph.query(
        "MATCH (:Asset {id: 'asset-signed'})-[:HAS_MANIFEST]->(m:Manifest) RETURN m.trusted AS trusted"
    )
    assert manifest["trusted"] is True


async def test_without_anchors_the_same_file_is_valid_but_untrusted(unanchored: Api, graph: Any) -> None:
    await base_world(unanchored)

    published = await publish(unanchored, "asset-signed", signed_jpeg_render())

    credentials = published["contentCredentials"]
    assert (credentials["validationState"], credentials["trust"]) == ("VALID", "UNTRUSTED")
    assert credentials["failures"] == ["signingCredential.untrusted"]
    assert published["machineReadableMark"] is True  # a valid manifest counts, trusted or not
    (manifest,) = await graph.query("MATCH (m:Manifest) RETURN m.trusted AS trusted")
    assert manifest["trusted"] is False


async def test_a_tampered_copy_and_the_broken_sample_trace_as_invalid(anchored: Api) -> None:
    copy = tampered_copy(signed_jpeg_render())
    broken = c2pa_fixture("E-sig-CA.jpg").read_bytes()

    traced = await trace(anchored, copy)
    sample = await trace(anchored, broken)

    assert traced["contentCredentials"]["trust"] == "INVALID"
    assert "assertion.dataHash.mismatch" in traced["contentCredentials"]["failures"]
    assert sample["contentCredentials"]["trust"] == "INVALID"
    assert "claimSignature.mismatch" in sample["contentCredentials"]["failures"]


async def test_a_stripped_copy_is_found_by_phash_and_said_to_have_lost_its_credentials(
    anchored: Api,
) -> None:
    await base_world(anchored)
    original = signed_jpeg_render()
    await publish(anchored, "asset-signed", original)
    copy = stripped_copy(original)
    assert hash_file(copy).sha256 != hash_file(original).sha256

    traced = await trace(anchored, copy)
    itself = await trace(anchored, original)
    by_hash = (
        await anchored(
            "query($p: String) { trace(phash: $p) { credentialsStripped } }", {"p": hash_file(copy).phash}
        )
    )["trace"]

    (match,) = traced["matches"]
    assert match["asset"] == {"id": "asset-signed"} and match["exact"] is False
    assert match["credentialsStripped"] is True and traced["credentialsStripped"] is True
    assert traced["contentCredentials"] is None  # the copy carries no manifest
    (same,) = itself["matches"]
    assert same["exact"] is True and same["credentialsStripped"] is False
    assert itself["credentialsStripped"] is False and itself["contentCredentials"]["trust"] == "TRUSTED"
    assert by_hash == {"credentialsStripped": False}  # a hash says nothing of what the file carries


async def test_a_copy_of_an_asset_published_without_a_manifest_is_not_stripped_copy(anchored: Api) -> None:
    await base_world(anchored)
    plain = encoded(scene(0), "JPEG", quality=90)
    await publish(anchored, "asset-plain", plain)

    traced = await trace(anchored, stripped_copy(plain))

    assert [match["asset"]["id"] for match in traced["matches"]] == ["asset-plain"]
    assert traced["credentialsStripped"] is False


async def test_a_sighting_reported_with_a_stripped_copy_says_so(anchored: Api) -> None:
    await base_world(anchored)
    original = signed_jpeg_render()
    await publish(anchored, "asset-signed", original)

    copy = await report(anchored, "sighting-stripped", stripped_copy(original))
    signed_copy = await report(anchored, "sighting-signed", original)

    assert copy["assets"]["nodes"] == [{"id": "asset-signed"}]
    assert copy["contentCredentials"] is None and copy["credentialsStripped"] is True
    assert signed_copy["assets"]["nodes"] == [{"id": "asset-signed"}]
    assert signed_copy["contentCredentials"]["trust"] == "TRUSTED"
    assert signed_copy["credentialsStripped"] is False
    again = await anchored('{ sighting(id: "sighting-stripped") { credentialsStripped } }')
    assert again == {"sighting": {"credentialsStripped": True}}


async def test_the_sightings_case_file_says_its_copy_lost_the_assets_credentials(anchored: Api) -> None:
    await base_world(anchored)
    original = signed_jpeg_render()
    await publish(anchored, "asset-signed", original)
    await report(anchored, "sighting-stripped", stripped_copy(original))

    response = await anchored.client.get(
        "/cases/sighting-stripped.html", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )

    assert response.status_code == 200
    html = response.text
    assert "Credentials stripped" in html
    assert "the matched asset" in html and "<code>asset-signed</code>" in html
    assert "signed by <code>C2PA Signer</code>" in html
    assert "this copy carries none: removed downstream" in html
    # the asset's own section says its manifest is trusted under the configured anchors
    assert "Trusted</span>: valid, and signed under the trust anchors" in html


def test_an_app_built_with_anchors_it_cannot_use_is_refused_naming_the_setting(
    graph: Any, settings: Any, tmp_path: Path
) -> None:
    not_pem = tmp_path / "anchors.pem"
    not_pem.write_text("not a certificate", encoding="ascii")

    for path in (tmp_path / "missing.pem", not_pem):
        with pytest.raises(InvalidInput) as refused:
            create_app(settings.model_copy(update={"likeness_c2pa_trust_anchors": path}), graph=graph)
        assert refused.value.field == "LIKENESS_C2PA_TRUST_ANCHORS"
        assert str(path) in refused.value.message


async def test_a_case_file_says_valid_but_untrusted_and_invalid_with_the_failure_codes(
    unanchored: Api,
) -> None:
    await base_world(unanchored)
    original = signed_jpeg_render()
    await publish(unanchored, "asset-signed", original)
    await report(unanchored, "sighting-tampered", tampered_copy(original))

    response = await unanchored.client.get(
        "/cases/sighting-tampered.html", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )

    html = response.text
    assert response.status_code == 200
    assert "Valid</span> but untrusted signer" in html  # the asset's manifest, no anchors configured
    assert "Invalid</span>: the file or its manifest was tampered with" in html  # the sighting's
    assert "<code>assertion.dataHash.mismatch</code>" in html
    assert "Credentials stripped" not in html  # the tampered copy still carries a manifest


async def test_a_sighting_is_stripped_only_for_a_caller_who_sees_the_signed_asset(
    anchored: Api, graph: Any
) -> None:
    await base_world(anchored)
    await send(anchored, "registerOrganization", org("brand-other", "BRAND"))
    original = signed_jpeg_render()
    copy = stripped_copy(original)
    await publish(anchored, "asset-signed", original)
    # another brand's asset of the same picture, recorded by its hashes (no file, no manifest)
    await send(
        anchored,
        "publishAsset",
        asset("asset-other", 7, publisherId="brand-other", phash=hash_file(copy).phash),
    )
    await report(anchored, "sighting-stripped", copy)
    query = '{ sighting(id: "sighting-stripped") { credentialsStripped assets { nodes { id } } } }'

    seen = {}
    for brand in ("brand-nordhem", "brand-other"):
        token = (await keys.create(graph, role="BRAND", party_id=brand, label=brand)).secret
        seen[brand] = (await anchored(query, token=token))["sighting"]

    assert seen["brand-nordhem"] == {
        "credentialsStripped": True,
        "assets": {"nodes": [{"id": "asset-signed"}]},
    }
    # the other brand sees the sighting through its own asset, and nothing of the signed one
    assert seen["brand-other"] == {"credentialsStripped": False, "assets": {"nodes": [{"id": "asset-other"}]}}


async def test_the_same_file_sent_again_under_other_anchors_is_unchanged_and_keeps_its_first_trust(
    graph: Any, settings: Any, c2pa_fixtures: Path
) -> None:
    render = signed_jpeg_render(2)
    async with app_client(graph, settings, None) as client:
        await base_world(Api(client, ADMIN_TOKEN))
        recorded = await publish(Api(client, ADMIN_TOKEN), "asset-resent", render)
    async with app_client(graph, settings, c2pa_fixtures / "es256_certs.pem") as client:
        again = await publish(Api(client, ADMIN_TOKEN), "asset-resent", render)
    assert again == recorded and again["contentCredentials"]["trust"] == "UNTRUSTED"
    query = "MATCH (e:LogEntry {operation: 'publishAsset', target: 'asset-resent'}) RETURN count(e) AS n"
    assert (await graph.query(query))[0]["n"] == 1
