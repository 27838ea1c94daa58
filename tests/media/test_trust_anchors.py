"""Trust anchors (LIKENESS_C2PA_TRUST_ANCHORS): read once and checked where the app or the CLI starts, handed
to the file workers, and what a signed, a tampered and a broken file read as under them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from likeness.cli import app
from likeness.config import Settings, get_settings
from likeness.errors import InvalidInput
from likeness.media.credentials import load_trust_anchors, read_content_credentials
from likeness.media.workers import FileWorkers
from tests.media.media_factories import IPTC, c2pa_fixture, encoded, scene, signed

CREATED_BY_AI = {"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}


def anchored(path: Path | None) -> Settings:
    return Settings(likeness_c2pa_trust_anchors=path)


def signed_jpeg() -> bytes:
    return signed(encoded(scene(3), "JPEG", quality=90), "image/jpeg", actions=[CREATED_BY_AI])


def test_no_setting_means_no_anchors() -> None:
    assert load_trust_anchors(anchored(None)) is None


def test_the_bundle_is_read_as_text(c2pa_fixtures: Path) -> None:
    bundle = c2pa_fixtures / "es256_certs.pem"

    assert load_trust_anchors(anchored(bundle)) == bundle.read_text(encoding="ascii")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot be read"),
        (b"not a certificate", "holds no PEM certificate"),
        (b"\xff\xfe binary", "cannot be read"),
        (
            b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
            "cannot be parsed",
        ),
    ],
)
def test_a_bundle_that_cannot_be_used_is_refused_naming_the_setting(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "anchors.pem"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(InvalidInput) as refused:
        load_trust_anchors(anchored(path))
    with pytest.raises(InvalidInput) as at_start:
        FileWorkers.of(anchored(path))

    assert refused.value.field == at_start.value.field == "LIKENESS_C2PA_TRUST_ANCHORS"
    assert reason in refused.value.message and str(path) in refused.value.message
    assert "PEM bundle of X.509 certificates" in refused.value.message


def test_a_signed_file_reads_trusted_under_its_chain_and_untrusted_without(c2pa_fixtures: Path) -> None:
    anchors = load_trust_anchors(anchored(c2pa_fixtures / "es256_certs.pem"))
    data = signed_jpeg()

    trusted = read_content_credentials(data, "image/jpeg", trust_anchors=anchors)
    untrusted = read_content_credentials(data, "image/jpeg")

    assert trusted is not None and (trusted.validation_state, trusted.trusted, trusted.failures) == (
        "valid",
        True,
        (),
    )
    assert untrusted is not None and (untrusted.validation_state, untrusted.trusted) == ("valid", False)
    assert [failure.code for failure in untrusted.failures] == ["signingCredential.untrusted"]


def test_a_flipped_byte_of_the_picture_and_the_broken_sample_read_invalid(c2pa_fixtures: Path) -> None:
    anchors = load_trust_anchors(anchored(c2pa_fixtures / "es256_certs.pem"))
    flipped = bytearray(signed_jpeg())
    flipped[-100] ^= 0x01  # in the entropy-coded scan, after the manifest's APP11 segments

    tampered = read_content_credentials(bytes(flipped), "image/jpeg", trust_anchors=anchors)
    broken = read_content_credentials(
        c2pa_fixture("E-sig-CA.jpg").read_bytes(), "image/jpeg", trust_anchors=anchors
    )

    assert tampered is not None and (tampered.validation_state, tampered.trusted) == ("invalid", False)
    assert [failure.code for failure in tampered.failures] == ["assertion.dataHash.mismatch"]
    assert broken is not None and (broken.validation_state, broken.trusted) == ("invalid", False)
    assert "claimSignature.mismatch" in [failure.code for failure in broken.failures]


async def test_the_file_workers_read_with_the_configured_anchors(c2pa_fixtures: Path) -> None:
    data = signed_jpeg()
    with_anchors = FileWorkers.of(anchored(c2pa_fixtures / "es256_certs.pem"))
    without = FileWorkers.of(anchored(None))

    async def chunks() -> AsyncIterator[bytes]:
        yield data

    trusted = await with_anchors.hash(chunks(), filename="render.jpg", deadline=None)
    untrusted = await without.hash(chunks(), filename="render.jpg", deadline=None)

    assert with_anchors.budget.trust_anchors is not None and without.budget.trust_anchors is None
    assert trusted.content_credentials is not None and trusted.content_credentials.trusted is True
    assert untrusted.content_credentials is not None and untrusted.content_credentials.trusted is False


def test_likeness_hash_reads_the_setting(
    tmp_path: Path, c2pa_fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "render.jpg"
    path.write_bytes(signed_jpeg())
    monkeypatch.setenv("LIKENESS_C2PA_TRUST_ANCHORS", str(c2pa_fixtures / "es256_certs.pem"))
    get_settings.cache_clear()
    try:
        trusted = CliRunner().invoke(app, ["hash", str(path)])
        monkeypatch.setenv("LIKENESS_C2PA_TRUST_ANCHORS", str(tmp_path / "missing.pem"))
        get_settings.cache_clear()
        refused = CliRunner().invoke(app, ["hash", str(path)])
    finally:
        get_settings.cache_clear()

    assert trusted.exit_code == 0
    assert json.loads(trusted.stdout)["contentCredentials"]["trusted"] is True
    assert refused.exit_code == 2 and "LIKENESS_C2PA_TRUST_ANCHORS" in refused.stderr


def test_likeness_serve_refuses_unusable_anchors_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIKENESS_ADMIN_TOKEN", "a-token-for-this-test")
    monkeypatch.setenv("LIKENESS_C2PA_TRUST_ANCHORS", str(tmp_path / "missing.pem"))
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(app, ["serve", "--port", "0"])
    finally:
        get_settings.cache_clear()

    assert refused.exit_code == 1
    assert "LIKENESS_C2PA_TRUST_ANCHORS: cannot be read" in refused.output
