"""publishAsset(input, file, sign: true): the file leaves signed with a C2PA manifest naming the asset, the
consents it runs under and the log entry that records it; read back by c2pa-python it validates as trusted
under the configured anchors; one byte changed makes it invalid; GET /signed/{id} serves it to whoever may
see the asset; sent again it is unchanged; a use no consent permits, or a server without keys, signs
nothing and writes nothing."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import c2pa
import httpx
import pytest
from PIL import Image
from typer.testing import CliRunner

from likeness.access import keys
from likeness.app import create_app
from likeness.cli import app
from likeness.config import get_settings
from likeness.errors import InvalidInput
from likeness.media.credentials import read_content_credentials
from likeness.media.hashing import hash_file
from likeness.media.signing import CREATED_SOURCE_TYPE, RECORD_ASSERTION, TRAINING_ASSERTION, checked_keys
from likeness.resolvers.signing import training_use
from tests.api.uploads import ok, post_files, refused
from tests.conftest import ADMIN_TOKEN, Api
from tests.factories import asset, base_world, consent, org, send
from tests.media.media_factories import encoded, scene, tampered_copy

PUBLISH = """
mutation Publish($input: AssetInput!, $file: Upload, $sign: Boolean!) {
  publishAsset(input: $input, file: $file, sign: $sign) {
    id sha256 phash machineReadableMark
    contentCredentials { validationState signer digitalSourceTypes declaresAiGeneration }
    signedFile { sha256 url mimeType size sourceSha256 manifestSha256 consentIds logSeq }
  }
}
"""

LOG = "MATCH (e:LogEntry {seq: $seq}) RETURN e.operation AS operation, e.target AS target"


@pytest.fixture
def chain(c2pa_fixtures: Path) -> tuple[Path, Path]:
    return c2pa_fixtures / "es256_certs.pem", c2pa_fixtures / "es256_private.key"


def app_with(settings: Any, graph: Any, **update: Any) -> Any:
    return create_app(settings.model_copy(update={"likeness_query_timeout": 60.0, **update}), graph=graph)


@pytest.fixture
async def signing_api(graph: Any, settings: Any, chain: tuple[Path, Path]) -> Any:
    app = app_with(settings, graph, likeness_c2pa_signer_cert=chain[0], likeness_c2pa_signer_key=chain[1])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield Api(client, ADMIN_TOKEN)


def render(kind: int = 0, fmt: str = "PNG") -> bytes:
    return encoded(scene(kind), fmt)


def publication(aid: str = "asset-signed", **extra: Any) -> dict[str, Any]:
    data = asset(aid, **extra)
    del data["sha256"], data["phash"]
    return data


async def publish(
    api: Api, data: dict[str, Any], file: bytes, *, sign: bool = True, token: str = ADMIN_TOKEN
) -> Any:
    variables = {"input": data, "file": None, "sign": sign}
    return await post_files(api.client, PUBLISH, variables, {"file": ("render.png", file, "")}, token=token)


def manifest_of(data: bytes, mime_type: str, anchors: str | None) -> dict[str, Any]:
    """The active manifest of a file as c2pa-python reads it, with the store's validation state."""
    settings: dict[str, Any] = {"verify": {"verify_trust": True, "remote_manifest_fetch": False}}
    if anchors is not None:
        settings["trust"] = {"user_anchors": anchors}
    with c2pa.Context(settings=c2pa.Settings.from_dict(settings)) as context:
        reader = c2pa.Reader.try_create(mime_type, io.BytesIO(data), None, context)
        assert reader is not None
        with reader:
            store = json.loads(reader.json())
    manifest = store["manifests"][store["active_manifest"]]
    manifest["state"] = store["validation_state"]
    return manifest


def assertion(manifest: dict[str, Any], label: str) -> Any:
    (found,) = [item["data"] for item in manifest["assertions"] if item["label"] == label]
    return found


async def test_a_signed_publication_names_its_asset_consent_and_log_entry_and_validates_as_trusted(
    signing_api: Api, graph: Any, chain: tuple[Path, Path]
) -> None:
    await base_world(signing_api)
    original = render()
    answer = (await ok(await publish(signing_api, publication(), original)))["publishAsset"]
    signed_file = answer["signedFile"]

    # the API serves the signed bytes; they are what the asset records
    response = await signing_api.client.get(
        signed_file["url"], headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    data = response.content
    hashes = hash_file(data)
    assert answer["sha256"] == signed_file["sha256"] == hashes.sha256 != hash_file(original).sha256
    assert answer["phash"] == hashes.phash == hash_file(original).phash  # the pixels are the file's own
    assert signed_file["sourceSha256"] == hash_file(original).sha256 and signed_file["size"] == len(data)
    assert signed_file["consentIds"] == ["consent-use"]

    # c2pa-python validates it as trusted under the test anchors, untrusted without them
    anchors = chain[0].read_text(encoding="utf-8")
    manifest = manifest_of(data, "image/png", anchors)
    assert manifest["state"] == "Trusted"
    assert manifest_of(data, "image/png", None)["state"] == "Valid"
    (created,) = assertion(manifest, "c2pa.actions.v2")["actions"]
    assert created["action"] == "c2pa.created" and created["digitalSourceType"] == CREATED_SOURCE_TYPE
    assert created["softwareAgent"]["name"] == "vendor-uncut"  # the twin's vendor generated it
    training = assertion(manifest, TRAINING_ASSERTION)["entries"]
    assert {entry["use"] for entry in training.values()} == {"notAllowed"}
    record = assertion(manifest, RECORD_ASSERTION)
    assert record == {
        "assetId": "asset-signed",
        "consentIds": ["consent-use"],
        "logSeq": signed_file["logSeq"],
    }

    # the log entry it names is the one that recorded the publication
    (entry,) = await graph.query(LOG, seq=signed_file["logSeq"])
    assert entry == {"operation": "publishAsset", "target": "asset-signed"}

    # the record reads the signed file's own credentials: a valid manifest declaring AI generation
    assert answer["machineReadableMark"] is True
    assert answer["contentCredentials"]["validationState"] == "VALID"
    assert answer["contentCredentials"]["digitalSourceTypes"] == [CREATED_SOURCE_TYPE]

    # one byte of the image changed: the manifest no longer validates
    tampered = bytearray(data)
    idat = tampered.index(b"IDAT") + 20
    tampered[idat] ^= 0xFF
    assert manifest_of(bytes(tampered), "image/png", anchors)["state"] == "Invalid"
    read = read_content_credentials(bytes(tampered), "image/png", trust_anchors=anchors)
    assert read is not None and read.validation_state == "invalid"


async def test_sent_again_it_is_unchanged_and_signed_once_even_at_once(signing_api: Api, graph: Any) -> None:
    await base_world(signing_api)
    original = render(1)
    first, second = await asyncio.gather(
        publish(signing_api, publication(), original), publish(signing_api, publication(), original)
    )
    answers = [(await ok(first))["publishAsset"], (await ok(second))["publishAsset"]]
    assert answers[0] == answers[1]
    third = (await ok(await publish(signing_api, publication(), original)))["publishAsset"]
    assert third == answers[0]
    rows = await graph.query(
        "MATCH (:Asset {id: 'asset-signed'})-[:SIGNED_AS]->(f:SignedFile) RETURN f.sha256 AS s"
    )
    assert [row["s"] for row in rows] == [third["sha256"]]
    entries = await graph.query("MATCH (e:LogEntry {operation: 'publishAsset'}) RETURN count(e) AS n")
    assert entries[0]["n"] == 1

    # another file, or the same asset unsigned, under the same id: CONFLICT naming what differs
    (error,) = refused(await publish(signing_api, publication(), render(2)))
    assert error["extensions"]["code"] == "CONFLICT" and "sha256" in error["message"]
    await send(signing_api, "publishAsset", asset("asset-plain", n=7))
    (error,) = refused(await publish(signing_api, publication("asset-plain"), render(3)))
    assert error["extensions"]["code"] == "CONFLICT" and "sign" in error["message"]


async def test_a_use_no_consent_permits_is_not_signed_and_nothing_is_written(
    signing_api: Api, graph: Any
) -> None:
    await base_world(signing_api)
    # the consent covers SE and the US, not Germany
    (error,) = refused(await publish(signing_api, publication(territories=["DE"]), render()))
    assert error["extensions"]["code"] == "NOT_PERMITTED" and error["extensions"]["field"] == "sign"
    assert await graph.query("MATCH (a:Asset) RETURN a.id") == []
    assert await graph.query("MATCH (f:SignedFile) RETURN f") == []
    # published without `sign`, it is recorded as it is (and its verdict says why)
    await ok(await publish(signing_api, publication(territories=["DE"]), render(), sign=False))


async def test_without_keys_or_a_file_or_in_a_format_no_manifest_goes_into_it_is_refused(
    graph: Any, settings: Any
) -> None:
    app = app_with(settings, graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        api = Api(client, ADMIN_TOKEN)
        await base_world(api)
        (error,) = refused(await publish(api, publication(), render()))
        assert error["extensions"]["code"] == "SIGNING_UNAVAILABLE" and error["extensions"]["field"] == "sign"
        body = (
            await client.post(
                "/graphql",
                json={"query": PUBLISH, "variables": {"input": asset(), "sign": True}},
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            )
        ).json()
        assert body["errors"][0]["extensions"]["field"] == "sign"
    assert await graph.query("MATCH (a:Asset) RETURN a.id") == []


async def test_a_gif_is_refused_naming_sign(signing_api: Api, graph: Any) -> None:
    await base_world(signing_api)
    (error,) = refused(await publish(signing_api, publication(), render(fmt="GIF")))
    assert error["extensions"]["code"] == "SIGNING_UNSUPPORTED" and error["extensions"]["field"] == "sign"
    assert await graph.query("MATCH (a:Asset) RETURN a.id") == []


async def test_the_signed_file_is_served_only_to_whoever_may_see_the_asset(
    signing_api: Api, graph: Any
) -> None:
    await base_world(signing_api)
    await send(
        signing_api,
        "registerOrganization",
        org("brand-other", "BRAND"),
    )
    answer = (await ok(await publish(signing_api, publication(), render())))["publishAsset"]
    url = answer["signedFile"]["url"]
    own = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    other = (await keys.create(graph, role="BRAND", party_id="brand-other")).secret

    def get(token: str) -> Any:
        return signing_api.client.get(url, headers={"Authorization": f"Bearer {token}"})

    mine = await get(own)
    assert mine.status_code == 200 and hash_file(mine.content).sha256 == answer["sha256"]
    assert mine.headers["etag"] == f'"{answer["sha256"]}"'
    hidden = await get(other)
    assert hidden.status_code == 404 and hidden.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await signing_api.client.get(url)).status_code == 401


def test_keys_are_checked_once_and_refused_naming_the_setting(
    chain: tuple[Path, Path], tmp_path: Path
) -> None:
    cert, key = chain[0].read_bytes(), chain[1].read_bytes()
    assert checked_keys(cert, key).algorithm == "es256"
    with pytest.raises(InvalidInput, match="LIKENESS_C2PA_SIGNER_KEY"):
        checked_keys(cert, b"not a key")
    with pytest.raises(InvalidInput, match="LIKENESS_C2PA_SIGNER_CERT"):
        checked_keys(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", key)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    stranger = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(InvalidInput, match="is not the key of the first certificate"):
        checked_keys(cert, stranger)


def test_an_app_with_half_its_keys_or_a_missing_file_does_not_start(
    settings: Any, chain: tuple[Path, Path], tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="set together"):
        create_app(settings.model_copy(update={"likeness_c2pa_signer_cert": chain[0]}))
    with pytest.raises(InvalidInput, match="cannot be read"):
        create_app(
            settings.model_copy(
                update={
                    "likeness_c2pa_signer_cert": chain[0],
                    "likeness_c2pa_signer_key": tmp_path / "absent.key",
                }
            )
        )


def test_a_jpeg_keeps_its_pixels_when_signed(chain: tuple[Path, Path]) -> None:
    from likeness.media.signing import Publication, sign

    keys_ = checked_keys(chain[0].read_bytes(), chain[1].read_bytes())
    jpeg = render(4, "JPEG")
    signed = sign(jpeg, "image/jpeg", Publication("asset-j", ("consent-1",), 3, ("vendor-1",)), keys_)
    assert Image.open(io.BytesIO(signed.data)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()
    assert hash_file(signed.data).phash == hash_file(jpeg).phash


async def test_the_cli_publishes_signs_and_writes_the_signed_file(
    cli_env: CliRunner,
    signing_api: Api,
    graph: Any,
    chain: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await base_world(signing_api)
    original, out = tmp_path / "render.png", tmp_path / "signed.png"
    original.write_bytes(render(5))
    data = json.dumps(publication("asset-cli"))

    unset = await asyncio.to_thread(
        cli_env.invoke, app, ["publish", data, str(original), "--sign", "--out", str(out)]
    )
    assert unset.exit_code == 1 and "LIKENESS_C2PA_SIGNER_CERT" in unset.output and not out.exists()
    assert await graph.query("MATCH (a:Asset {id: 'asset-cli'}) RETURN a.id") == []

    monkeypatch.setenv("LIKENESS_C2PA_SIGNER_CERT", str(chain[0]))
    monkeypatch.setenv("LIKENESS_C2PA_SIGNER_KEY", str(chain[1]))
    get_settings.cache_clear()
    result = await asyncio.to_thread(
        cli_env.invoke, app, ["publish", data, str(original), "--sign", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout.strip().splitlines()[-1])
    written = out.read_bytes()
    assert said["sha256"] == hash_file(written).sha256 and said["signedFile"]["consentIds"] == ["consent-use"]
    manifest = manifest_of(written, "image/png", chain[0].read_text(encoding="utf-8"))
    assert manifest["state"] == "Trusted"
    assert assertion(manifest, RECORD_ASSERTION)["assetId"] == "asset-cli"


TRACE = """
query Trace($file: Upload) {
  trace(file: $file) {
    credentialsStripped contentCredentials { validationState trust failures }
    bestMatch { exact distance credentialsStripped asset { id } }
  }
}
"""


def stripped_copies(signed: bytes) -> dict[str, bytes]:
    """Copies of a signed file as platforms make them: re-encoded, resized, cropped like a screenshot; none
    keeps the manifest (Pillow writes no chunk it does not know)."""
    picture = Image.open(io.BytesIO(signed)).convert("RGB")
    width, height = picture.size
    return {
        "re-encoded": encoded(picture, "JPEG", quality=85),
        "resized": encoded(picture.resize((width * 3 // 4, height * 3 // 4)), "PNG"),
        # a screenshot without the page's top bar
        "cropped": encoded(picture.crop((0, 8, width, height)), "PNG"),
    }


async def test_a_signed_file_traces_as_trusted_a_tampered_copy_as_invalid_and_stripped_copies_as_stripped(
    graph: Any, settings: Any, chain: tuple[Path, Path]
) -> None:
    app = app_with(
        settings,
        graph,
        likeness_c2pa_signer_cert=chain[0],
        likeness_c2pa_signer_key=chain[1],
        likeness_c2pa_trust_anchors=chain[0],
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        api = Api(client, ADMIN_TOKEN)
        await base_world(api)
        answer = (await ok(await publish(api, publication(), render(0, "JPEG"))))["publishAsset"]
        auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        signed = (await client.get(answer["signedFile"]["url"], headers=auth)).content

        async def trace(data: bytes) -> Any:
            return (await ok(await post_files(client, TRACE, {"file": None}, {"file": ("found", data, "")})))[
                "trace"
            ]

        original = await trace(signed)
        assert original["contentCredentials"]["trust"] == "TRUSTED"
        assert original["bestMatch"] == {
            "exact": True,
            "distance": 0,
            "credentialsStripped": False,
            "asset": {"id": "asset-signed"},
        }
        assert original["credentialsStripped"] is False

        broken = await trace(tampered_copy(signed))
        assert broken["contentCredentials"]["trust"] == "INVALID" and broken["contentCredentials"]["failures"]
        assert (
            broken["bestMatch"]["asset"] == {"id": "asset-signed"} and broken["credentialsStripped"] is False
        )

        for how, copy in stripped_copies(signed).items():
            found = await trace(copy)
            assert found["bestMatch"]["asset"] == {"id": "asset-signed"}, how
            assert found["bestMatch"]["exact"] is False and found["bestMatch"]["distance"] <= 8, how
            assert (
                found["credentialsStripped"] is True and found["bestMatch"]["credentialsStripped"] is True
            ), how


async def test_the_training_assertion_says_the_consents_term(
    signing_api: Api, graph: Any, chain: tuple[Path, Path]
) -> None:
    await base_world(signing_api)
    later = consent(
        "consent-open",
        signedAt="2025-02-01T00:00:00Z",
        validFrom="2025-02-01T00:00:00Z",
        aiTraining="CONSTRAINED",
    )
    await send(signing_api, "grantConsent", later)
    answer = (await ok(await publish(signing_api, publication(), render(7))))["publishAsset"]
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    data = (await signing_api.client.get(answer["signedFile"]["url"], headers=auth)).content
    manifest = manifest_of(data, "image/png", None)
    assert assertion(manifest, RECORD_ASSERTION)["consentIds"] == ["consent-open"]
    assert {entry["use"] for entry in assertion(manifest, TRAINING_ASSERTION)["entries"].values()} == {
        "constrained"
    }
    shown = await signing_api(
        '{ consent(id: "consent-open") { aiTraining } consentUse: consent(id: "consent-use") { aiTraining } }'
    )
    assert shown == {"consent": {"aiTraining": "CONSTRAINED"}, "consentUse": {"aiTraining": None}}


def test_the_strictest_term_of_the_consents_is_said() -> None:
    assert training_use([]) == "notAllowed"
    assert training_use(["ALLOWED", None]) == "notAllowed"  # a consent stating nothing allows nothing
    assert training_use(["ALLOWED", "NOT_ALLOWED"]) == "notAllowed"
    assert training_use(["ALLOWED", "CONSTRAINED"]) == "constrained"
    assert training_use(["ALLOWED", "ALLOWED"]) == "allowed"


async def test_export_with_its_files_and_import_give_back_the_signed_file(
    cli_env: CliRunner, signing_api: Api, graph: Any, tmp_path: Path
) -> None:
    await base_world(signing_api)
    answer = (await ok(await publish(signing_api, publication(), render(8))))["publishAsset"]
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    url = answer["signedFile"]["url"]
    signed = (await signing_api.client.get(url, headers=auth)).content
    events, folder = tmp_path / "world.jsonl", tmp_path / "files"

    exported = await asyncio.to_thread(cli_env.invoke, app, ["export", str(events), "--files", str(folder)])
    assert exported.exit_code == 0, exported.output
    assert [path.name for path in folder.iterdir()] == [f"{answer['sha256']}.png"]
    assert b"SignedFile" not in events.read_bytes() and str(len(signed)) in events.read_text(encoding="utf-8")

    for files, served in ((None, 404), (folder, 200)):
        async with graph.driver.session(database=graph.database) as session:
            await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        arguments = ["import", str(events)] + (["--files", str(files)] if files else [])
        imported = await asyncio.to_thread(cli_env.invoke, app, arguments)
        assert imported.exit_code == 0, imported.output
        again = await signing_api(
            '{ asset(id: "asset-signed") { sha256 signedFile { sha256 logSeq consentIds } } }'
        )
        assert again["asset"]["signedFile"]["sha256"] == answer["sha256"]
        response = await signing_api.client.get(url, headers=auth)
        assert response.status_code == served
    assert response.content == signed
