"""publishAsset and reportSighting with the file: hashes read from it, its Content Credentials recorded with
the event and stored as (x)-[:HAS_MANIFEST]->(Manifest), ingredients tied to known captures and assets, and
the asset's machine-readable mark read from the file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from likeness.app import create_app
from likeness.ingest.bulk import export_to, import_lines
from likeness.media.hashing import hash_file
from tests.api.uploads import ok, post_files, refused
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import asset, base_world, capture, send
from tests.media.media_factories import IPTC, encoded, scene, signed

AS_OF = "2025-06-01T00:00:00Z"

PUBLISH = """
mutation Publish($input: AssetInput!, $file: Upload) {
  publishAsset(input: $input, file: $file) {
    id sha256 phash machineReadableMark declaredMachineReadableMark
    contentCredentials {
      validationState failures signer signerOrganization claimGenerator digitalSourceTypes
      declaresAiGeneration manifestLabel
      ingredients { title relationship links { kind matchedBy distance capture { id } asset { id } } }
    }
  }
}
"""

REPORT = """
mutation Report($input: SightingInput!, $file: Upload) {
  reportSighting(input: $input, file: $file) {
    id sha256 phash assets { nodes { id } }
    contentCredentials { validationState failures ingredients { title links { kind } } }
  }
}
"""

VERDICTS = "query($id: ID!, $asOf: DateTime) { provenance(assetId: $id, asOf: $asOf) { verdicts { code } } }"


@pytest.fixture
async def api(graph: Any, settings: Any) -> Any:
    """The app with a 30 s deadline: queries are planned cold by a Neo4j started for the tests."""
    app = create_app(settings.model_copy(update={"likeness_query_timeout": 30.0}), graph=graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield Api(client, ADMIN_TOKEN)


def twin_render(kind: int = 0) -> bytes:
    """A render signed with the test-only chain, declaring trainedAlgorithmicMedia."""
    created = {"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}
    return signed(encoded(scene(kind), "PNG"), "image/png", actions=[created])


def without_hashes(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ("sha256", "phash")}


async def publish(api: Any, data: dict[str, Any], file: bytes, name: str = "render.png") -> Any:
    return await post_files(api.client, PUBLISH, {"input": data, "file": None}, {"file": (name, file, "")})


async def test_a_signed_twin_render_sets_the_mark_and_the_declared_false_stays_visible(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    render = twin_render()
    data = without_hashes(asset("asset-render", machineReadableMark=False))

    first = (await ok(await publish(api, data, render)))["publishAsset"]
    again = (await ok(await publish(api, data, render)))["publishAsset"]

    hashes = hash_file(render)
    assert (first["sha256"], first["phash"]) == (hashes.sha256, hashes.phash)
    assert first["machineReadableMark"] is True and first["declaredMachineReadableMark"] is False
    credentials = first["contentCredentials"]
    assert credentials["validationState"] == "VALID"
    assert credentials["failures"] == ["signingCredential.untrusted"]
    assert credentials["declaresAiGeneration"] is True
    assert credentials["digitalSourceTypes"] == [IPTC + "trainedAlgorithmicMedia"]
    assert again == first  # the same file and input again: the same success, nothing added
    (manifest,) = await graph.query(
        "MATCH (:Asset {id: 'asset-render'})-[:HAS_MANIFEST]->(m:Manifest) RETURN properties(m) AS m"
    )
    assert manifest["m"] == {
        "validationState": "VALID",
        "trusted": False,  # no trust anchors configured
        "failures": ["signingCredential.untrusted"],
        "manifestLabel": credentials["manifestLabel"],
        "claimGenerator": "likeness-tests/1.0",
        "signer": "C2PA Signer",
        "signerOrganization": "C2PA Test Signing Cert",
        "digitalSourceTypes": [IPTC + "trainedAlgorithmicMedia"],
        "declaresAiGeneration": True,
        "ingredientCount": 0,
    }
    codes = (await api(VERDICTS, {"id": "asset-render", "asOf": AS_OF}))["provenance"]["verdicts"]
    assert "MISSING_MACHINE_READABLE_MARK" not in [v["code"] for v in codes]


async def test_a_file_without_a_manifest_marks_nothing_whatever_the_publisher_declared(
    api: Any, graph: Any
) -> None:
    await base_world(api)
    plain = encoded(scene(1), "JPEG", quality=90)

    published = (await ok(await publish(api, without_hashes(asset("asset-plain")), plain, "p.jpg")))[
        "publishAsset"
    ]

    assert published["machineReadableMark"] is False and published["declaredMachineReadableMark"] is True
    assert published["contentCredentials"] is None
    assert await graph.query("MATCH (m:Manifest) RETURN m") == []
    codes = (await api(VERDICTS, {"id": "asset-plain", "asOf": AS_OF}))["provenance"]["verdicts"]
    assert "MISSING_MACHINE_READABLE_MARK" in [v["code"] for v in codes]


@pytest.mark.parametrize("field", ["sha256", "phash", "mediaType"])
async def test_a_declared_value_the_file_contradicts_is_refused_naming_it_and_nothing_is_written(
    api: Any, graph: Any, field: str
) -> None:
    await base_world(api)
    wrong = {"sha256": "ab" * 32, "phash": "0123456789abcdef", "mediaType": "VIDEO"}[field]
    data = without_hashes(asset("asset-wrong")) | {field: wrong}

    (error,) = refused(await publish(api, data, twin_render()))

    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", field)
    assert await graph.query("MATCH (n) WHERE n:Asset OR n:Manifest RETURN n") == []


async def test_a_corrupt_file_is_refused_naming_file_and_nothing_is_written(api: Any, graph: Any) -> None:
    await base_world(api)

    (error,) = refused(await publish(api, without_hashes(asset("asset-x")), twin_render()[:500]))

    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_INPUT", "file")
    assert await graph.query("MATCH (n:Asset) RETURN n") == []


async def test_without_a_file_sha256_is_still_required(api: Any, graph: Any) -> None:
    await base_world(api)

    errors = await api.errors(PUBLISH, {"input": without_hashes(asset("asset-y"))})

    assert (errors[0]["extensions"]["code"], errors[0]["extensions"]["field"]) == ("BAD_INPUT", "sha256")


async def sample_world(api: Any, c2pa_fixtures: Path) -> None:
    """A capture of A.jpg, an asset published from CA.jpg (edited from A.jpg), and a sighting of the
    tampered E-sig-CA.jpg."""
    await base_world(api)
    parent = hash_file(c2pa_fixtures / "A.jpg")
    await send(api, "recordCapture", capture("capture-a", n=5) | {"phash": parent.phash})
    edited = (c2pa_fixtures / "CA.jpg").read_bytes()
    await ok(await publish(api, without_hashes(asset("asset-ca")), edited, "CA.jpg"))
    tampered = (c2pa_fixtures / "E-sig-CA.jpg").read_bytes()
    sighting = {"id": "sighting-tampered", "url": "https://blog.example/p/1", "observedAt": AS_OF}
    await ok(
        await post_files(
            api.client, REPORT, {"input": sighting, "file": None}, {"file": ("E.jpg", tampered, "")}
        )
    )


async def test_an_ingredient_is_tied_to_the_capture_its_thumbnail_shows(
    api: Any, graph: Any, c2pa_fixtures: Path
) -> None:
    await sample_world(api, c2pa_fixtures)

    found = await api(
        '{ asset(id: "asset-ca") { contentCredentials { ingredients { title relationship'
        " links { kind matchedBy distance capture { id } } } } } }"
    )

    (ingredient,) = found["asset"]["contentCredentials"]["ingredients"]
    assert (ingredient["title"], ingredient["relationship"]) == ("A.jpg", "parentOf")
    assert ingredient["links"] == [
        {"kind": "CAPTURE", "matchedBy": "thumbnailPhash", "distance": 0, "capture": {"id": "capture-a"}}
    ]
    rows = await graph.query(
        "MATCH (:Asset {id: 'asset-ca'})-[:HAS_MANIFEST]->(:Manifest)-[r:INGREDIENT]->(c:Capture)"
        " RETURN c.id AS id, r.title AS title, r.relationship AS relationship"
    )
    assert rows == [{"id": "capture-a", "title": "A.jpg", "relationship": "parentOf"}]


async def test_an_ingredient_recorded_before_what_it_shows_is_tied_when_that_is_recorded(
    api: Any, graph: Any, c2pa_fixtures: Path
) -> None:
    await base_world(api)
    edited = (c2pa_fixtures / "CA.jpg").read_bytes()
    sighting = {"id": "sighting-ca", "url": "https://blog.example/p/2", "observedAt": AS_OF}
    files = {"file": ("CA.jpg", edited, "")}
    await ok(await post_files(api.client, REPORT, {"input": sighting, "file": None}, files))
    parent = hash_file(c2pa_fixtures / "A.jpg")

    await send(api, "recordCapture", capture("capture-later", n=6) | {"phash": parent.phash})

    rows = await graph.query(
        "MATCH (:Sighting {id: 'sighting-ca'})-[:HAS_MANIFEST]->(:Manifest)-[r:INGREDIENT]->(c)"
        " RETURN c.id AS id, r.matchedBy AS by, r.distance AS distance"
    )
    assert rows == [{"id": "capture-later", "by": "thumbnailPhash", "distance": 0}]


async def test_a_sighting_reported_with_its_file_keeps_the_hashes_and_the_invalid_manifest(
    api: Any, graph: Any, c2pa_fixtures: Path
) -> None:
    await sample_world(api, c2pa_fixtures)

    found = await api(
        '{ sighting(id: "sighting-tampered") { sha256 phash assets { nodes { id } }'
        " contentCredentials { validationState failures } } }"
    )

    sighting = found["sighting"]
    tampered = hash_file(c2pa_fixtures / "E-sig-CA.jpg")
    assert (sighting["sha256"], sighting["phash"]) == (tampered.sha256, tampered.phash)
    assert sighting["assets"]["nodes"] == [{"id": "asset-ca"}]  # the same picture as CA.jpg
    assert sighting["contentCredentials"]["validationState"] == "INVALID"
    assert "claimSignature.mismatch" in sighting["contentCredentials"]["failures"]
    (manifest,) = await graph.query(
        "MATCH (:Sighting {id: 'sighting-tampered'})-[:HAS_MANIFEST]->(m:Manifest)"
        " RETURN m.validationState AS s"
    )
    assert manifest["s"] == "INVALID"


async def test_export_import_export_is_byte_identical_with_manifests(
    api: Any, graph: Any, c2pa_fixtures: Path
) -> None:
    await sample_world(api, c2pa_fixtures)
    await ok(
        await publish(api, without_hashes(asset("asset-render", machineReadableMark=False)), twin_render())
    )
    # A.jpg itself as an asset whose id sorts after asset-ca's: imported in a later batch than the
    # manifest whose ingredient it is, and tied all the same
    parent = (c2pa_fixtures / "A.jpg").read_bytes()
    await ok(await publish(api, without_hashes(asset("asset-z-parent")), parent, "A.jpg"))
    assert await graph.query(
        "MATCH (:Asset {id: 'asset-ca'})-[:HAS_MANIFEST]->()-[:INGREDIENT]->(a:Asset) RETURN a.id AS id"
    ) == [{"id": "asset-z-parent"}]
    shape = """
        MATCH (x)-[:HAS_MANIFEST]->(m:Manifest)
        RETURN x.id AS id, properties(m) AS m, x.machineReadableMark AS mark,
               COLLECT { MATCH (m)-[r:INGREDIENT]->(y) RETURN [y.id, properties(r)] ORDER BY y.id }
                 AS ingredients
        ORDER BY id
    """
    before = await graph.query(shape)
    first = io.StringIO()
    await export_to(graph, first)
    assert '"contentCredentials":{' in first.getvalue()

    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    summary = await import_lines(graph, first.getvalue().splitlines(), batch_size=3)
    second = io.StringIO()
    await export_to(graph, second)

    assert not summary.rejected
    assert second.getvalue() == first.getvalue()
    assert await graph.query(shape) == before and len(before) == 3
