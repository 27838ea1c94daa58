"""Content Credentials as c2pa-python validates them: the shared samples, and renders signed here with the
test-only ES256 chain."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from likeness.errors import InvalidInput
from likeness.media.credentials import UNREADABLE, Action, ValidationStatus, read_content_credentials
from likeness.media.hashing import hash_file
from likeness.media.images import phash_distance
from tests.media.media_factories import IPTC, encoded, es256_intermediate_pem, scene, signed, video

UNTRUSTED = "signingCredential.untrusted"


def codes(failures: tuple[ValidationStatus, ...]) -> list[str]:
    return [failure.code for failure in failures]


def test_a_signed_sample_reads_valid_with_its_signer_time_and_action(c2pa_fixtures: Path) -> None:
    credentials = hash_file(c2pa_fixtures / "C.jpg").content_credentials

    assert credentials is not None
    assert credentials.validation_state == "valid" and credentials.trusted is False
    # the C2PA test certificate is on no trust list: the SDK's one complaint, and the state stays Valid
    assert codes(credentials.failures) == [UNTRUSTED]
    assert credentials.claim_generator == "make_test_images/0.26.0 c2pa-rs/0.26.0"
    assert credentials.signer is not None
    assert (credentials.signer.common_name, credentials.signer.issuer) == (
        "C2PA Signer",
        "C2PA Test Signing Cert",
    )
    assert credentials.signed_at == datetime(2023, 9, 29, 17, 40, 14, tzinfo=UTC)
    assert credentials.actions == (
        Action("c2pa.created", IPTC + "algorithmicMedia", "Make Test Images 0.26.0", None),
    )
    assert credentials.digital_source_types == (IPTC + "algorithmicMedia",)
    assert credentials.declares_ai_generation is True
    assert credentials.ingredients == ()


def test_a_sample_with_an_ingredient_names_it_and_its_thumbnail_matches_the_parent(
    c2pa_fixtures: Path,
) -> None:
    credentials = hash_file(c2pa_fixtures / "CA.jpg").content_credentials
    parent = hash_file(c2pa_fixtures / "A.jpg")

    assert credentials is not None and credentials.validation_state == "valid"
    assert [action.action for action in credentials.actions] == ["c2pa.opened", "c2pa.color_adjustments"]
    assert credentials.declares_ai_generation is False
    (ingredient,) = credentials.ingredients
    assert (ingredient.title, ingredient.format, ingredient.relationship) == (
        "A.jpg",
        "image/jpeg",
        "parentOf",
    )
    assert ingredient.instance_id == "xmp.iid:813ee422-9736-4cdc-9be6-4e35ed8e41cb"
    assert ingredient.document_id == "xmp.did:813ee422-9736-4cdc-9be6-4e35ed8e41cb"
    assert ingredient.active_manifest is None and ingredient.declares_ai_generation is None
    # the manifest carries no hash of A.jpg's bytes; its thumbnail hashes like A.jpg itself
    assert ingredient.data_sha256 is None
    assert ingredient.thumbnail_phash == parent.phash


def test_a_broken_signature_reads_invalid_with_the_reason(c2pa_fixtures: Path) -> None:
    credentials = hash_file(c2pa_fixtures / "E-sig-CA.jpg").content_credentials

    assert credentials is not None
    assert credentials.validation_state == "invalid" and credentials.trusted is False
    assert "claimSignature.mismatch" in codes(credentials.failures)
    assert credentials.signed_at is None  # its time stamp no longer matches, so the SDK reports none


def test_files_without_a_manifest_read_none(c2pa_fixtures: Path) -> None:
    for name in ("A.jpg", "sample1.png"):
        credentials = hash_file(c2pa_fixtures / name).content_credentials
        assert credentials is not None
        assert (credentials.validation_state, credentials.failures, credentials.signer) == ("none", (), None)
        assert credentials.declares_ai_generation is False


def test_a_manifest_store_the_sdk_cannot_parse_reads_invalid_and_unreadable(c2pa_fixtures: Path) -> None:
    data = bytearray((c2pa_fixtures / "C.jpg").read_bytes())
    data[data.find(b"jumb") + 8] ^= 0xFF  # inside the manifest store's first box header

    credentials = read_content_credentials(bytes(data), "image/jpeg")

    assert credentials is not None and credentials.validation_state == "invalid"
    assert codes(credentials.failures) == [UNREADABLE]


def twin_render() -> bytes:
    return encoded(scene(2), "PNG")


CREATED_BY_AI = {"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}


def test_a_twin_render_signed_with_the_test_chain_declares_ai_generation(c2pa_fixtures: Path) -> None:
    render = twin_render()
    data = signed(render, "image/png", actions=[CREATED_BY_AI])

    hashes = hash_file(data, filename="twin-render.png")
    credentials = hashes.content_credentials

    assert credentials is not None
    # the signature and every hash hold; the test chain's root is on no trust list, the one complaint
    assert credentials.validation_state == "valid" and credentials.trusted is False
    assert codes(credentials.failures) == [UNTRUSTED]
    assert credentials.declares_ai_generation is True
    assert credentials.digital_source_types == (IPTC + "trainedAlgorithmicMedia",)
    assert credentials.claim_generator == "likeness-tests/1.0"
    assert credentials.signer is not None and credentials.signer.algorithm == "Es256"
    assert credentials.signer.common_name == "C2PA Signer"
    assert credentials.signed_at is None  # signed without a time stamp authority
    # the manifest changes the bytes, not the picture
    assert hashes.sha256 != hashlib.sha256(render).hexdigest()
    assert hashes.phash == hash_file(render).phash


def test_the_test_chain_reads_trusted_when_its_intermediate_is_a_trust_anchor(c2pa_fixtures: Path) -> None:
    data = signed(twin_render(), "image/png", actions=[CREATED_BY_AI])

    credentials = read_content_credentials(data, "image/png", trust_anchors=es256_intermediate_pem())

    assert credentials is not None
    assert (credentials.validation_state, credentials.trusted, credentials.failures) == ("valid", True, ())


def test_a_manifest_declaring_a_camera_capture_declares_no_ai_generation(c2pa_fixtures: Path) -> None:
    data = signed(
        twin_render(),
        "image/png",
        actions=[{"action": "c2pa.created", "digitalSourceType": IPTC + "digitalCapture"}],
    )

    credentials = read_content_credentials(data, "image/png")

    assert credentials is not None and credentials.validation_state == "valid"
    assert credentials.declares_ai_generation is False
    assert credentials.digital_source_types == (IPTC + "digitalCapture",)


def test_ingredients_give_their_own_manifest_and_embedded_data_hash(c2pa_fixtures: Path) -> None:
    capture = (c2pa_fixtures / "A.jpg").read_bytes()
    generated = (c2pa_fixtures / "C.jpg").read_bytes()
    backdrop = encoded(scene(0), "JPEG", quality=90)
    data = signed(
        twin_render(),
        "image/png",
        actions=[CREATED_BY_AI],
        ingredients=[
            ({"title": "C.jpg", "format": "image/jpeg", "relationship": "componentOf"}, generated),
            ({"title": "backdrop.jpg", "format": "image/jpeg", "relationship": "componentOf"}, backdrop),
        ],
        embedded=[("capture.jpg", capture)],
    )

    credentials = read_content_credentials(data, "image/png")

    assert credentials is not None and credentials.validation_state == "valid"
    by_title = {ingredient.title: ingredient for ingredient in credentials.ingredients}
    assert set(by_title) == {"capture.jpg", "C.jpg", "backdrop.jpg"}
    assert by_title["capture.jpg"].data_sha256 == hashlib.sha256(capture).hexdigest()
    component = by_title["C.jpg"]
    assert component.active_manifest == "contentauth:urn:uuid:c85a2b90-f1a0-4aa4-b17f-f938b475804e"
    assert component.declares_ai_generation is True  # C.jpg's own manifest: algorithmicMedia
    assert component.data_sha256 is None
    # the SDK's thumbnail of an ingredient added from a file hashes near the file itself
    thumbnail_phash = by_title["backdrop.jpg"].thumbnail_phash
    assert thumbnail_phash is not None
    assert phash_distance(thumbnail_phash, hash_file(backdrop).phash) <= 8
    assert phash_distance(thumbnail_phash, hash_file(encoded(scene(1), "JPEG")).phash) > 8
    assert by_title["backdrop.jpg"].active_manifest is None


def test_a_signed_video_reads_its_credentials(c2pa_fixtures: Path) -> None:
    clip = video([(scene(0), 10), (scene(1), 10)])
    data = signed(clip, "video/mp4", actions=[CREATED_BY_AI], title="twin-clip.mp4")

    hashes = hash_file(data, filename="twin-clip.mp4")

    assert hashes.media_type == "VIDEO" and len(hashes.frame_phashes) == 2
    assert hashes.content_credentials is not None
    assert hashes.content_credentials.validation_state == "valid"
    assert hashes.content_credentials.declares_ai_generation is True


def test_webm_has_no_credentials_read() -> None:
    hashes = hash_file(video([(scene(0), 10)], container="webm", codec="libvpx-vp9"))

    assert hashes.format == "WEBM" and hashes.content_credentials is None


def test_a_manifest_kept_at_an_address_is_named_and_never_fetched(c2pa_fixtures: Path) -> None:
    requests: list[str] = []

    class Manifests(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Manifests) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = f"http://127.0.0.1:{server.server_port}/render.c2pa"
        data = signed(encoded(scene(0), "JPEG"), "image/jpeg", actions=[CREATED_BY_AI], remote_url=address)

        credentials = read_content_credentials(data, "image/jpeg")
        server.shutdown()

    assert requests == []
    assert credentials is not None
    assert (credentials.validation_state, credentials.remote_manifest_url) == ("none", address)
    assert credentials.declares_ai_generation is False


def test_trust_anchors_that_are_no_certificates_are_refused_naming_them(c2pa_fixtures: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_content_credentials(
            (c2pa_fixtures / "C.jpg").read_bytes(), "image/jpeg", trust_anchors="not a PEM"
        )

    assert caught.value.field == "trustAnchors" and "PEM" in caught.value.message
