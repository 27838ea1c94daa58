"""The event contract's `contentCredentials` (publishAsset, reportSighting): checked like every field, for
the API's own writes and for an import alike, and canonical (parsing its canonical form changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from likeness.errors import InvalidInput
from likeness.events.contract import parse_event

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def sighting(credentials: Any) -> dict[str, Any]:
    return {
        "id": "sighting-1",
        "url": "https://example.org/p",
        "observedAt": "2026-01-01T00:00:00Z",
        "sha256": "ab" * 32,
        "contentCredentials": credentials,
    }


VALID = {
    "validationState": "VALID",
    "failures": ["signingCredential.untrusted", "signingCredential.untrusted"],
    "manifestLabel": "urn:c2pa:1",
    "claimGenerator": "tool/1.0",
    "signer": " C2PA Signer ",
    "signedAt": "2026-01-01T01:00:00+01:00",
    "digitalSourceTypes": [IPTC + "trainedAlgorithmicMedia"],
    "declaresAiGeneration": True,
    "ingredients": [{"title": "A.jpg", "relationship": "parentOf", "thumbnailPhash": "979C61C6032439FF"}],
}


def test_credentials_are_canonical_and_parsing_them_again_changes_nothing() -> None:
    parsed = parse_event("reportSighting", sighting(VALID)).input["contentCredentials"]

    assert parsed["failures"] == ["signingCredential.untrusted"]
    assert parsed["signer"] == "C2PA Signer"
    assert parsed["signedAt"] == "2026-01-01T00:00:00Z"
    assert parsed["ingredients"] == [
        {"title": "A.jpg", "relationship": "parentOf", "thumbnailPhash": "979c61c6032439ff"}
    ]
    assert parse_event("reportSighting", sighting(parsed)).input["contentCredentials"] == parsed


def test_trusted_is_kept_beside_a_valid_manifest_and_may_be_absent_from_older_records() -> None:
    trusted = parse_event("reportSighting", sighting(VALID | {"trusted": True})).input["contentCredentials"]
    older = parse_event("reportSighting", sighting(VALID)).input["contentCredentials"]

    assert trusted["trusted"] is True
    assert "trusted" not in older  # read as untrusted (schema.credentials.trust_of)


@pytest.mark.parametrize(
    ("credentials", "field"),
    [
        ({"validationState": "NONE", "signer": "x"}, "contentCredentials.signer"),
        (
            {"validationState": "NONE", "declaresAiGeneration": True},
            "contentCredentials.declaresAiGeneration",
        ),
        ({"validationState": "VALID"}, "contentCredentials.manifestLabel"),
        ({"validationState": "TRUSTED", "manifestLabel": "m"}, "contentCredentials.validationState"),
        (VALID | {"ingredients": [{"dataSha256": "12"}]}, "contentCredentials.ingredients[0].dataSha256"),
        (VALID | {"ingredients": [{"hash": "12"}]}, "contentCredentials.ingredients[0].hash"),
        # `trusted` is a boolean, beside a VALID manifest only (issue 25: it was an unknown field before)
        (VALID | {"trusted": "yes"}, "contentCredentials.trusted"),
        ({"validationState": "NONE", "trusted": False}, "contentCredentials.trusted"),
        (VALID | {"validationState": "INVALID", "trusted": True}, "contentCredentials.trusted"),
        (VALID | {"failures": "x"}, "contentCredentials.failures"),
        ("VALID", "contentCredentials"),
    ],
)
def test_credentials_out_of_shape_are_refused_naming_the_field(credentials: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_event("reportSighting", sighting(credentials))

    assert refused.value.field == field


def test_a_file_without_a_manifest_is_recorded_as_none_with_its_remote_address() -> None:
    parsed = parse_event(
        "reportSighting", sighting({"validationState": "NONE", "remoteManifestUrl": "https://m.example/1"})
    ).input["contentCredentials"]

    assert parsed == {
        "validationState": "NONE",
        "remoteManifestUrl": "https://m.example/1",
        "declaresAiGeneration": False,
        "failures": [],
        "digitalSourceTypes": [],
        "ingredients": [],
    }
