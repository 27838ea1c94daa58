"""`likeness hash FILE…`: one JSON object a line; a bad file gets an error object, and exit code 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from likeness.cli import app
from likeness.media.hashing import hash_file
from tests.media.media_factories import IPTC, encoded, es256_intermediate_pem, scene, signed, video


def run(*arguments: str | Path) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(app, ["hash", *map(str, arguments)])
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_an_image_prints_its_hashes_and_no_frames(tmp_path: Path) -> None:
    path = tmp_path / "render.png"
    path.write_bytes(encoded(scene(0), "PNG"))

    code, (answer,) = run(path)

    assert code == 0
    assert answer == {
        "file": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "mediaType": "IMAGE",
        "format": "PNG",
        "mimeType": "image/png",
        "phash": hash_file(path).phash,
        "width": 320,
        "height": 240,
        "contentCredentials": {
            "validationState": "none",
            "trusted": False,
            "failures": [],
            "manifestLabel": None,
            "claimGenerator": None,
            "signer": None,
            "signedAt": None,
            "actions": [],
            "digitalSourceTypes": [],
            "declaresAiGeneration": False,
            "ingredients": [],
            "remoteManifestUrl": None,
        },
        "faces": {"model": "dlib-resnet-v1", "found": 0, "described": 0, "faces": []},
    }


def test_a_video_prints_every_sampled_frame(tmp_path: Path) -> None:
    path = tmp_path / "clip.webm"
    path.write_bytes(video([(scene(0), 10), (scene(1), 12)], container="webm", codec="libvpx-vp9"))

    code, (answer,) = run(path)

    assert code == 0
    assert answer["mediaType"] == "VIDEO" and answer["format"] == "WEBM"
    assert answer["framePhashes"] == list(hash_file(path).frame_phashes) and len(answer["framePhashes"]) == 3
    assert answer["frameTimes"] == [0.0, 1.0, 2.0]
    assert answer["phash"] == answer["framePhashes"][0]
    assert answer["contentCredentials"] is None  # the C2PA SDK reads no WebM


def test_a_bad_file_gets_an_error_object_the_others_are_still_hashed_and_the_exit_code_is_1(
    tmp_path: Path,
) -> None:
    good, bad = tmp_path / "good.jpg", tmp_path / "bad.jpg"
    good.write_bytes(encoded(scene(1), "JPEG"))
    bad.write_bytes(b"%PDF-1.7 not an image")

    code, (refused, hashed) = run(bad, good)

    assert code == 1
    assert refused["file"] == str(bad)
    assert refused["error"]["code"] == "BAD_INPUT" and refused["error"]["field"] == "file"
    assert "accepted: JPEG, PNG, WebP or GIF images" in refused["error"]["message"]
    assert hashed["file"] == str(good) and hashed["format"] == "JPEG"


def test_content_credentials_facts_and_trust_anchors(tmp_path: Path, c2pa_fixtures: Path) -> None:
    path = tmp_path / "twin-render.png"
    path.write_bytes(
        signed(
            encoded(scene(2), "PNG"),
            "image/png",
            actions=[{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}],
        )
    )
    anchors = tmp_path / "anchors.pem"
    anchors.write_text(es256_intermediate_pem(), encoding="ascii")

    _, (untrusted,) = run(path)
    code, (trusted,) = run(path, "--trust-anchors", anchors)

    facts = untrusted["contentCredentials"]
    assert facts["validationState"] == "valid" and facts["trusted"] is False
    assert [failure["code"] for failure in facts["failures"]] == ["signingCredential.untrusted"]
    assert facts["declaresAiGeneration"] is True
    assert facts["actions"] == [
        {
            "action": "c2pa.created",
            "digitalSourceType": IPTC + "trainedAlgorithmicMedia",
            "softwareAgent": None,
            "when": None,
        }
    ]
    assert facts["signer"]["commonName"] == "C2PA Signer"
    assert code == 0 and trusted["contentCredentials"]["trusted"] is True
    assert trusted["contentCredentials"]["failures"] == []


def test_a_signing_time_prints_in_iso_8601(c2pa_fixtures: Path) -> None:
    _, (answer,) = run(c2pa_fixtures / "C.jpg")

    assert answer["contentCredentials"]["signedAt"] == "2023-09-29T17:40:14+00:00"
