"""Face matches recorded with sightings and assets (SHOWS_FACE_OF), read through the JSONL import as written,
their verdicts (UNREGISTERED_LIKENESS, UNDECLARED_LIKENESS) and who may see a match, through the public API
against the real Neo4j."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from likeness.access import keys
from likeness.access.principals import OPERATOR, Principal
from likeness.errors import LikenessError
from likeness.events.contract import parse_event
from likeness.ingest.bulk import import_lines
from likeness.ingest.record import record
from tests.factories import asset, capture, consent, org, person, sha, twin


def face(person_id: str = "person-ada", capture_id: str = "capture-1", **extra: Any) -> dict[str, Any]:
    return {
        "personId": person_id,
        "captureId": capture_id,
        "distance": 0.41,
        "box": [120, 80, 260, 220],
        "frameTime": 0.0,
        "model": "dlib-resnet-v1",
        "threshold": 0.6,
        **extra,
    }


def sighting(sid: str = "sighting-fake", **extra: Any) -> dict[str, Any]:
    return {
        "id": sid,
        "url": "https://gram.example/p/fake",
        "observedAt": "2025-06-01T12:00:00Z",
        "sha256": sha(900),
        "platformId": "platform-gram",
        "faceMatches": [face()],
        **extra,
    }


WORLD: list[tuple[str, dict[str, Any]]] = [
    ("registerPerson", person()),
    ("registerPerson", person("person-bo", name="Bo Lind")),
    *(
        ("registerOrganization", org(oid, kind))
        for oid, kind in [
            ("brand-nordhem", "BRAND"),
            ("brand-other", "BRAND"),
            ("vendor-uncut", "VENDOR"),
            ("agency-next", "AGENCY"),
            ("studio-north", "STUDIO"),
            ("platform-gram", "PLATFORM"),
        ]
    ),
    ("recordRepresentation", {"agencyId": "agency-next", "personId": "person-ada", "since": "2025-01-01"}),
    ("recordCapture", capture()),
    ("recordCapture", capture("capture-bo", persons=["person-bo"], n=2)),
    (
        "grantConsent",
        consent("consent-build", "BUILD", signedAt="2025-01-01T00:00:00Z", validFrom="2025-01-01T00:00:00Z"),
    ),
    ("buildTwin", twin()),
    ("grantConsent", consent("consent-use")),
]


def lines(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [orjson.dumps({"op": op, "input": data}).decode() for op, data in events]


async def load(graph: Any, *extra: tuple[str, dict[str, Any]]) -> None:
    summary = await import_lines(graph, lines([*WORLD, *extra]))
    assert summary.rejected == []


async def refused(graph: Any, op: str, data: dict[str, Any]) -> LikenessError:
    """The coded error of one event refused (by its shape or in the write transaction)."""
    try:
        event = parse_event(op, data)
    except LikenessError as error:
        return error
    outcome = await record(graph, OPERATOR, [event])
    assert len(outcome.rejected) == 1, outcome
    return outcome.rejected[0][1]


SIGHTING = """query($id: ID!, $asOf: DateTime) { sighting(id: $id) {
    faceMatches { person { id } distance threshold model frameTime box { left top right bottom }
                  capture { id } }
    verdicts(asOf: $asOf) { code liable { partyId role } evidence explanation } } }"""
ASSET = """query($id: ID!, $asOf: DateTime) { asset(id: $id) {
    faceMatches { person { id } distance box { left top right bottom } } }
    provenance(assetId: $id, asOf: $asOf) { verdicts { code liable { partyId role }
    evidence explanation } } }"""
PERSON = """query($id: ID!) { person(id: $id) { faceMatches {
    sighting { id } asset { id } match { person { id } distance box { left } capture { id } } } } }"""


async def test_a_sighting_showing_an_enrolled_person_holds_unregistered_likeness(
    api: Any, graph: Any
) -> None:
    await load(graph, ("reportSighting", sighting()))
    data = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2025-06-02T00:00:00Z"})
    (match,) = data["sighting"]["faceMatches"]
    assert match == {
        "person": {"id": "person-ada"},
        "distance": 0.41,
        "threshold": 0.6,
        "model": "dlib-resnet-v1",
        "frameTime": 0.0,
        "box": {"left": 120, "top": 80, "right": 260, "bottom": 220},
        "capture": {"id": "capture-1"},
    }
    (verdict,) = data["sighting"]["verdicts"]
    assert verdict["code"] == "UNREGISTERED_LIKENESS" and verdict["liable"] == []
    assert verdict["evidence"] == ["sighting-fake", "SHOWS_FACE_OF", "person-ada"]
    for shown in ("[120, 80, 260, 220]", "0.410", "threshold 0.6", "capture-1"):
        assert shown in verdict["explanation"]
    # before it was observed, nothing
    before = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2025-05-31T00:00:00Z"})
    assert before["sighting"]["verdicts"] == []


async def test_after_an_unanswered_notice_the_platform_is_liable_and_a_removal_ends_it(
    api: Any, graph: Any
) -> None:
    notice = {
        "id": "notice-1",
        "sightingId": "sighting-fake",
        "platformId": "platform-gram",
        "sentById": "person-ada",
        "sentAt": "2025-06-02T00:00:00Z",
        "responseHours": 24,
    }
    removed = {"noticeId": "notice-1", "respondedAt": "2025-06-10T00:00:00Z", "outcome": "REMOVED"}
    await load(graph, ("reportSighting", sighting()), ("sendTakedownNotice", notice))
    late = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2025-06-05T00:00:00Z"})
    likeness = [v for v in late["sighting"]["verdicts"] if v["code"] == "UNREGISTERED_LIKENESS"]
    assert likeness[0]["liable"] == [{"partyId": "platform-gram", "role": "SECONDARY"}]
    await load(graph, ("recordNoticeResponse", removed))
    after = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2025-06-11T00:00:00Z"})
    assert "UNREGISTERED_LIKENESS" not in {v["code"] for v in after["sighting"]["verdicts"]}
    still = await api(SIGHTING, {"id": "sighting-fake", "asOf": "2025-06-09T00:00:00Z"})
    assert "UNREGISTERED_LIKENESS" in {v["code"] for v in still["sighting"]["verdicts"]}


async def test_an_asset_showing_a_person_its_twins_are_not_of_holds_undeclared_likeness(
    api: Any, graph: Any
) -> None:
    await load(
        graph,
        ("publishAsset", asset("asset-bo", 101, faceMatches=[face("person-bo", "capture-bo")])),
        ("publishAsset", asset("asset-ada", 102, faceMatches=[face()])),
    )
    shown = await api(ASSET, {"id": "asset-bo", "asOf": "2025-04-01T00:00:00Z"})
    assert shown["asset"]["faceMatches"][0]["person"] == {"id": "person-bo"}
    (verdict,) = [v for v in shown["provenance"]["verdicts"] if v["code"] == "UNDECLARED_LIKENESS"]
    assert verdict["liable"] == [
        {"partyId": "brand-nordhem", "role": "PRIMARY"},
        {"partyId": "vendor-uncut", "role": "SECONDARY"},
    ]
    assert verdict["evidence"] == ["asset-bo", "SHOWS_FACE_OF", "person-bo"]
    # rendering her own twin declares her: no verdict
    own = await api(ASSET, {"id": "asset-ada", "asOf": "2025-04-01T00:00:00Z"})
    assert own["asset"]["faceMatches"][0]["person"] == {"id": "person-ada"}
    assert own["provenance"]["verdicts"] == []
    # the audit counts it by code
    audit = await api(
        'query { audit(asOf: "2025-07-01T00:00:00Z") { countsByCode { code count } } }',
    )
    counts = {row["code"]: row["count"] for row in audit["audit"]["countsByCode"]}
    assert counts["UNDECLARED_LIKENESS"] == 1


async def test_the_audit_counts_unregistered_likeness_and_pages_it(api: Any, graph: Any) -> None:
    await load(graph, ("reportSighting", sighting()), ("reportSighting", sighting("sighting-two")))
    query = """query($asOf: DateTime, $after: String) { audit(asOf: $asOf, first: 1, after: $after,
        filter: {codes: ["UNREGISTERED_LIKENESS"]}) { totalCount countsByCode { code count }
        edges { node { subjectId } } pageInfo { hasNextPage endCursor } } }"""
    first = await api(query, {"asOf": "2025-07-01T00:00:00Z"})
    assert first["audit"]["totalCount"] == 2
    assert first["audit"]["countsByCode"] == [{"code": "UNREGISTERED_LIKENESS", "count": 2}]
    assert first["audit"]["pageInfo"]["hasNextPage"]
    second = await api(
        query, {"asOf": "2025-07-01T00:00:00Z", "after": first["audit"]["pageInfo"]["endCursor"]}
    )
    seen = {first["audit"]["edges"][0]["node"]["subjectId"], second["audit"]["edges"][0]["node"]["subjectId"]}
    assert seen == {"sighting-fake", "sighting-two"}
    none = await api(query, {"asOf": "2025-05-01T00:00:00Z"})
    assert none["audit"]["totalCount"] == 0


async def test_the_same_matches_again_are_unchanged_other_matches_a_conflict(graph: Any) -> None:
    await load(graph, ("reportSighting", sighting()))
    again = await import_lines(graph, lines([("reportSighting", sighting())]))
    assert (again.applied, again.unchanged, again.rejected) == (0, 1, [])
    # the same matches in another order are the same input
    both = sighting(faceMatches=[face("person-bo", "capture-bo"), face()])
    reordered = sighting(faceMatches=[face(), face("person-bo", "capture-bo")])
    assert parse_event("reportSighting", both).input == parse_event("reportSighting", reordered).input
    error = await refused(graph, "reportSighting", both)
    assert error.code == "CONFLICT" and "faceMatches" in error.message
    count = await graph.query("MATCH (:Sighting)-[f:SHOWS_FACE_OF]->() RETURN count(f) AS n")
    assert count[0]["n"] == 1


@pytest.mark.parametrize(
    ("matches", "field"),
    [
        ([face(), face(box=[10, 10, 10, 20])], "faceMatches[1].box"),
        ([face(box=[10, -1, 20, 20])], "faceMatches[0].box[1]"),
        ([face(box=[10, 10, 20])], "faceMatches[0].box"),
        ([face(distance=float("nan"))], "faceMatches[0].distance"),
        ([face(distance=2.5)], "faceMatches[0].distance"),
        ([face(distance=0.7)], "faceMatches[0].distance"),  # beyond its threshold
        ([face(frameTime=-1)], "faceMatches[0].frameTime"),
        ([face(threshold="0.6")], "faceMatches[0].threshold"),
        ([face(model=" ")], "faceMatches[0].model"),
        ([face(), face(distance=0.3)], "faceMatches[1].personId"),  # one per person
        ([{**face(), "vector": [0.1] * 128}], "faceMatches[0].vector"),
        ([face()] * 21, "faceMatches"),
    ],
)
async def test_a_bad_match_is_refused_naming_its_path(graph: Any, matches: list[Any], field: str) -> None:
    error = await refused(graph, "reportSighting", sighting(faceMatches=matches))
    assert (error.code, error.field) == ("BAD_INPUT", field)


async def test_a_brand_publishing_its_file_records_the_faces_the_server_found(api: Any, graph: Any) -> None:
    """The upload path fills faceMatches for the tenant's own mutation: its owner check is the asset's."""
    await load(graph)
    brand = Principal(role="BRAND", party_id="brand-nordhem")
    event = parse_event("publishAsset", asset("asset-bo", 101, faceMatches=[face("person-bo", "capture-bo")]))
    outcome = await record(graph, brand, [event])
    assert outcome.rejected == [] and len(outcome.applied) == 1
    found = await api('query { asset(id: "asset-bo") { faceMatches { person { id } } } }')
    assert found["asset"]["faceMatches"] == [{"person": {"id": "person-bo"}}]


async def test_a_match_refers_to_a_person_and_a_capture_of_hers(graph: Any) -> None:
    await load(graph)
    unknown = await refused(graph, "publishAsset", asset(faceMatches=[face("person-nobody")]))
    assert (unknown.code, unknown.field) == ("NOT_FOUND", "faceMatches[0].personId")
    not_a_capture = await refused(
        graph, "reportSighting", sighting(faceMatches=[face(capture_id="twin-ada-1")])
    )
    assert not_a_capture.field == "faceMatches[0].captureId"
    # (a match is named by its place among the matches sorted by person, as recorded and exported)
    hers = await refused(
        graph,
        "reportSighting",
        sighting(faceMatches=[face("person-ada", "capture-bo"), face("person-bo", "capture-bo")]),
    )
    assert (hers.code, hers.field) == ("BAD_INPUT", "faceMatches[0].captureId")
    count = await graph.query("MATCH ()-[f:SHOWS_FACE_OF]->() RETURN count(f) AS n")
    assert count[0]["n"] == 0


async def test_who_sees_a_match(api: Any, graph: Any) -> None:
    await load(
        graph,
        ("reportSighting", sighting()),
        ("publishAsset", asset("asset-bo", 101, faceMatches=[face("person-bo", "capture-bo")])),
        ("publishAsset", asset("asset-ada", 102)),
        # a copy of the brand's own asset, showing her face: the brand sees the sighting, not the match
        ("reportSighting", sighting("sighting-copy", sha256=sha(102))),
    )
    brand = (await keys.create(graph, role="BRAND", party_id="brand-nordhem")).secret
    other = (await keys.create(graph, role="BRAND", party_id="brand-other")).secret
    vendor = (await keys.create(graph, role="VENDOR", party_id="vendor-uncut")).secret
    ada = (await keys.create(graph, role="PERSON", party_id="person-ada")).secret
    bo = (await keys.create(graph, role="PERSON", party_id="person-bo")).secret
    agency = (await keys.create(graph, role="AGENCY", party_id="agency-next")).secret
    regulator = (await keys.create(graph, role="REGULATOR")).secret
    on_sighting = 'query { sighting(id: "sighting-fake") { id faceMatches { person { id } } } }'
    on_asset = 'query { asset(id: "asset-bo") { id faceMatches { person { id } } } }'

    # she, her agency during the representation and a regulator see the match on the sighting
    for token in (ada, agency, regulator):
        data = await api(on_sighting, token=token)
        assert data["sighting"]["faceMatches"] == [{"person": {"id": "person-ada"}}]
    # a brand sees no match on a sighting: not even one it sees (a copy of its asset); a sighting that only
    # her face ties to is not the brand's to see at all
    copy = await api('query { sighting(id: "sighting-copy") { id faceMatches { distance } } }', token=brand)
    assert copy["sighting"] == {"id": "sighting-copy", "faceMatches": []}
    assert (await api(on_sighting, token=brand))["sighting"] is None
    # a brand sees the match on its own asset (and the person it shows); another brand, a vendor do not
    own = await api(on_asset, token=brand)
    assert own["asset"]["faceMatches"] == [{"person": {"id": "person-bo"}}]
    assert (await api(on_asset, token=other))["asset"] is None
    assert (await api(on_asset, token=vendor))["asset"]["faceMatches"] == []
    # her landing lists her matches; Bo's lists his asset to him, not to another's key
    landing = await api(PERSON, {"id": "person-ada"}, token=ada)
    found = landing["person"]["faceMatches"]
    assert [m["sighting"]["id"] for m in found] == ["sighting-copy", "sighting-fake"]
    assert found[1:] == [
        {
            "sighting": {"id": "sighting-fake"},
            "asset": None,
            "match": {
                "person": {"id": "person-ada"},
                "distance": 0.41,
                "box": {"left": 120},
                "capture": {"id": "capture-1"},
            },
        }
    ]
    bo_landing = await api(PERSON, {"id": "person-bo"}, token=bo)
    assert [m["asset"] for m in bo_landing["person"]["faceMatches"]] == [{"id": "asset-bo"}]
    assert (await api(PERSON, {"id": "person-bo"}, token=ada))["person"] is None
    as_brand = await api(PERSON, {"id": "person-bo"}, token=brand)
    assert [m["asset"] for m in as_brand["person"]["faceMatches"]] == [{"id": "asset-bo"}]
    as_brand_ada = await api(PERSON, {"id": "person-ada"}, token=brand)
    assert as_brand_ada["person"]["faceMatches"] == []
    # her verdict is hers to see, and her agency's
    verdicts = (
        'query { audit(filter: {codes: ["UNREGISTERED_LIKENESS"]}, asOf: "2025-07-01T00:00:00Z") '
        "{ totalCount } }"
    )
    assert (await api(verdicts, token=ada))["audit"]["totalCount"] == 1
    assert (await api(verdicts, token=agency))["audit"]["totalCount"] == 1
    assert (await api(verdicts, token=brand))["audit"]["totalCount"] == 0


def test_the_face_match_predicate_is_one_cypher_fragment_for_records_and_traces() -> None:
    from likeness.graph.visibility import face_match_visible, scoped

    on_asset = face_match_visible("s", "p")
    assert "p.id IN $selves" in on_asset and "(s)-[:PUBLISHED_BY]->(vis_x)" in on_asset
    # a traced file is no node: only the person decides
    assert face_match_visible(None, "p") == "(p.id IN $selves)"
    with pytest.raises(ValueError):
        face_match_visible("vis_s", "p")
    query = scoped("MATCH (s)-[:SHOWS_FACE_OF]->(p) WHERE FACE_VISIBLE(s, p) AND FACE_VISIBLE(-, p) RETURN p")
    assert "FACE_VISIBLE" not in query.everything and "WHERE true AND true" in query.everything
    assert query.restricted.count("$selves") == 2
