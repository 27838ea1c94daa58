"""The issue's "done when", end to end through the API with real photographs: a person enrolled from one
photograph (under a MATCHING consent) is found in a different photograph of her that nobody registered;
the sighting holds UNREGISTERED_LIKENESS and, after an unanswered notice, the platform is liable; a brand's
key cannot see the match, hers can; a brand publishing her face on another person's twin is told so
(UNDECLARED_LIKENESS); revoking the MATCHING consent removes every template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from likeness.access import keys
from likeness.graph.driver import Graph
from likeness.ingest.bulk import import_lines
from tests.api.uploads import ok, post_files
from tests.faces.test_enrolment import ENROL, REVOKE, capture_line, line, matching_consent, templates
from tests.faces.test_search import trace

REPORT = """mutation($input: SightingInput!, $file: Upload) { reportSighting(input: $input, file: $file) {
  id faceMatches { person { id } distance threshold box { left top right bottom } capture { id } } } }"""
SIGHTING = """query($id: ID!, $asOf: DateTime) { sighting(id: $id) {
  faceMatches { person { id } distance }
  verdicts(asOf: $asOf) { code liable { partyId role } evidence explanation } } }"""
PUBLISH = """mutation($input: AssetInput!, $file: Upload) { publishAsset(input: $input, file: $file) {
  id faceMatches { person { id } } } }"""
PROVENANCE = """query($id: ID!) { provenance(assetId: $id) { verdicts { code liable { partyId role } } } }"""
NOTICE = """mutation($input: TakedownNoticeInput!) { sendTakedownNotice(input: $input) { id } }"""


def the_world(obama: bytes) -> list[str]:
    return [
        line("registerPerson", id="person-barack", name="Barack"),
        line("registerPerson", id="person-kim", name="Kim"),
        line("registerOrganization", id="brand-x", name="X", kind="BRAND"),
        line("registerOrganization", id="vendor-v", name="V", kind="VENDOR"),
        line("registerOrganization", id="platform-gram", name="Gram", kind="PLATFORM"),
        capture_line("capture-barack-1", "person-barack", obama),
        capture_line("capture-kim-1", "person-kim", b"kim", capturedById="vendor-v"),
        line(
            "buildTwin",
            id="twin-kim",
            personId="person-kim",
            vendorId="vendor-v",
            captureIds=["capture-kim-1"],
            builtAt="2026-01-05T00:00:00Z",
        ),
        matching_consent("consent-barack-matching", "person-barack"),
    ]


async def test_a_photograph_of_her_nobody_registered_is_found_and_judged(
    api: Any, graph: Graph, faces_fixtures: Path
) -> None:
    obama = (faces_fixtures / "obama.jpg").read_bytes()
    obama2 = (faces_fixtures / "obama2.jpg").read_bytes()
    assert (await import_lines(graph, the_world(obama))).rejected == []
    barack = (await keys.create(graph, role="PERSON", party_id="person-barack")).secret
    brand = (await keys.create(graph, role="BRAND", party_id="brand-x")).secret
    investigator = (await keys.create(graph, role="INVESTIGATOR", label="desk")).secret

    # she enrols from one photograph, under her MATCHING consent
    enrolment = {"input": {"personId": "person-barack", "captureId": "capture-barack-1"}, "file": None}
    await ok(await post_files(api.client, ENROL, enrolment, {"file": ("o.jpg", obama, "")}, token=barack))

    # an investigator reports another photograph of her, which nobody registered
    sighting = {
        "id": "sighting-fake",
        "url": "https://gram.example/p/1",
        "observedAt": "2026-06-01T00:00:00Z",
        "platformId": "platform-gram",
    }
    reported = await post_files(
        api.client,
        REPORT,
        {"input": sighting, "file": None},
        {"file": ("found.jpg", obama2, "")},
        token=investigator,
    )
    (match,) = (await ok(reported))["reportSighting"]["faceMatches"]
    assert match["person"] == {"id": "person-barack"} and match["capture"] == {"id": "capture-barack-1"}
    assert 0.2 < match["distance"] <= match["threshold"] == 0.6

    seen = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2026-06-02T00:00:00Z"})
    (verdict,) = seen["sighting"]["verdicts"]
    assert verdict["code"] == "UNREGISTERED_LIKENESS" and verdict["liable"] == []
    assert "person-barack" in verdict["evidence"] and "capture-barack-1" in verdict["explanation"]

    # after an unanswered notice, the platform is liable
    notice = {
        "id": "notice-1",
        "sightingId": "sighting-fake",
        "platformId": "platform-gram",
        "sentById": "person-barack",
        "sentAt": "2026-06-02T00:00:00Z",
        "responseHours": 48,
    }
    await api(NOTICE, {"input": notice}, token=barack)
    late = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2026-06-10T00:00:00Z"})
    likeness = {v["code"]: v for v in late["sighting"]["verdicts"]}
    assert likeness["UNREGISTERED_LIKENESS"]["liable"] == [{"partyId": "platform-gram", "role": "SECONDARY"}]
    assert "NOTICE_UNANSWERED" in likeness

    # her key sees the match; a brand's does not
    mine = await api(SIGHTING, {"id": "sighting-fake"}, token=barack)
    assert [m["person"]["id"] for m in mine["sighting"]["faceMatches"]] == ["person-barack"]
    theirs = await api(SIGHTING, {"id": "sighting-fake"}, token=brand)
    assert theirs["sighting"] is None or theirs["sighting"]["faceMatches"] == []
    traced = await trace(api.client, "found.jpg", obama2, brand)
    assert traced["facesFound"] == 1 and traced["faces"][0]["matches"] == []

    # a brand publishes her face on another person's twin: UNDECLARED_LIKENESS, the brand liable
    asset = {
        "id": "asset-x",
        "publisherId": "brand-x",
        "twinIds": ["twin-kim"],
        "mediaType": "IMAGE",
        "channel": "WEB",
        "territories": ["SE"],
        "publishedAt": "2026-06-03T00:00:00Z",
        "aiLabel": True,
        "machineReadableMark": True,
    }
    published = await post_files(
        api.client, PUBLISH, {"input": asset, "file": None}, {"file": ("ad.jpg", obama2, "")}, token=brand
    )
    answered = (await ok(published))["publishAsset"]
    assert answered["faceMatches"] == [{"person": {"id": "person-barack"}}]  # on its own asset, it sees
    verdicts = (await api(PROVENANCE, {"id": "asset-x"}, token=brand))["provenance"]["verdicts"]
    codes = {v["code"]: v for v in verdicts}
    assert {"partyId": "brand-x", "role": "PRIMARY"} in codes["UNDECLARED_LIKENESS"]["liable"]

    # revoking her MATCHING consent removes every template: the next photograph matches nobody
    await api(
        REVOKE, {"input": {"consentId": "consent-barack-matching", "revokedAt": "2026-07-01T00:00:00Z"}}
    )
    assert await templates(graph, "person-barack") == 0
    after = await trace(api.client, "found.jpg", obama2, investigator)
    assert after["facesFound"] == 1 and after["faces"][0]["matches"] == []
