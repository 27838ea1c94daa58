"""Enrolment under a MATCHING consent (DESIGN, "Likeness matching"): a person's face template is computed
from one of her captures' files, only while a MATCHING consent of hers is in force; refused with a code
otherwise; erased with the consent; never answered, exported or logged."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from likeness.access import keys
from likeness.graph.driver import Graph
from likeness.ingest.bulk import export_to, import_lines
from likeness.ingest.enrolments import EnrolmentFiles
from tests.api.uploads import ok, post_files, refused

ENROL = """mutation($input: EnrollmentInput!, $file: Upload!) {
  enrollLikeness(input: $input, file: $file) { personId captureId sha256 model enrolledAt
                                               box { left top right bottom } } }"""
REVOKE = """mutation($input: RevocationInput!) { revokeConsent(input: $input) { id revokedAt } }"""


def line(op: str, **data: Any) -> str:
    return json.dumps({"op": op, "input": data})


def world(obama: bytes, biden: bytes, *, consent: bool = True) -> list[str]:
    """Barack (with a capture of obama.jpg and one of biden.jpg, to try a face not his) and his MATCHING
    consent."""
    lines = [
        line("registerPerson", id="person-barack", name="Barack"),
        line("registerPerson", id="person-joe", name="Joe"),
        capture_line("capture-barack-1", "person-barack", obama),
        capture_line("capture-barack-wrong", "person-barack", biden, day=2),
    ]
    if consent:
        lines.append(matching_consent("consent-barack-matching", "person-barack"))
    return lines


def capture_line(capture_id: str, person_id: str, data: bytes, *, day: int = 1, **extra: Any) -> str:
    """A photograph of one person, recorded with the sha256 of its file's bytes."""
    return line(
        "recordCapture",
        id=capture_id,
        personIds=[person_id],
        kind="PHOTO",
        sha256=hashlib.sha256(data).hexdigest(),
        capturedAt=f"2026-01-0{day}T00:00:00Z",
        **extra,
    )


def matching_consent(consent_id: str, person_id: str) -> str:
    return line(
        "grantConsent",
        id=consent_id,
        purpose="MATCHING",
        personId=person_id,
        signedById=person_id,
        signedAt="2026-01-01T00:00:00Z",
        validFrom="2026-01-01T00:00:00Z",
    )


async def templates(graph: Graph, person_id: str) -> int:
    rows = await graph.query(
        "MATCH (t:FaceTemplate {personId: $personId}) RETURN count(t) AS n", personId=person_id
    )
    return int(rows[0]["n"])


async def enrol(api: Any, capture_id: str, name: str, data: bytes, **options: Any) -> Any:
    return await post_files(
        api.client,
        ENROL,
        {"input": {"personId": "person-barack", "captureId": capture_id}, "file": None},
        {"file": (name, data, "")},
        **options,
    )


@pytest.fixture
def photos(faces_fixtures: Path) -> dict[str, bytes]:
    return {path.stem: path.read_bytes() for path in faces_fixtures.iterdir() if path.suffix != ".md"}


async def test_her_face_is_enrolled_from_her_capture_and_answered_without_its_template(
    api: Any, graph: Graph, photos: dict[str, bytes]
) -> None:
    assert not (await import_lines(graph, world(photos["obama"], photos["biden"]))).rejected
    response = await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"])
    answered = (await ok(response))["enrollLikeness"]
    assert answered["personId"] == "person-barack" and answered["captureId"] == "capture-barack-1"
    assert answered["sha256"] == hashlib.sha256(photos["obama"]).hexdigest()
    assert answered["model"] == "dlib-resnet-v1"
    box = answered["box"]
    assert box["left"] < box["right"] and box["top"] < box["bottom"]
    assert "vector" not in response.text and response.text.count(".") < 20  # no floats answered
    assert await templates(graph, "person-barack") == 1
    # the same enrolment again is unchanged, whenever it is sent
    again = (await ok(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"])))["enrollLikeness"]
    assert again["enrolledAt"] == answered["enrolledAt"]
    assert await templates(graph, "person-barack") == 1
    # another file for the same person and capture conflicts, naming what differs; nothing changes
    (error,) = refused(await enrol(api, "capture-barack-1", "obama2.jpg", photos["obama2"]))
    assert error["extensions"]["code"] == "CONFLICT" and "sha256" in error["message"], error
    assert await templates(graph, "person-barack") == 1


async def test_an_enrolment_is_refused_with_a_code_and_writes_nothing(
    api: Any, graph: Graph, photos: dict[str, bytes]
) -> None:
    assert not (await import_lines(graph, world(photos["obama"], photos["biden"], consent=False))).rejected
    (error,) = refused(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"]))
    assert error["extensions"]["code"] == "NO_MATCHING_CONSENT", error
    assert await templates(graph, "person-barack") == 0

    assert not (await import_lines(graph, [matching_consent("consent-m", "person-barack")])).rejected
    (error,) = refused(await enrol(api, "capture-barack-1", "obama2.jpg", photos["obama2"]))
    assert error["extensions"]["code"] == "FILE_NOT_CAPTURE" and error["extensions"]["field"] == "file"

    (error,) = refused(await enrol(api, "capture-barack-1", "two.jpg", photos["obama_and_biden"]))
    assert error["extensions"]["code"] == "SEVERAL_FACES", error

    blank = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 180, 160)).save(blank, "JPEG")
    (error,) = refused(await enrol(api, "capture-barack-1", "blank.jpg", blank.getvalue()))
    assert error["extensions"]["code"] == "NO_FACE", error
    assert await templates(graph, "person-barack") == 0

    await ok(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"]))
    # Joe's face, filed as a capture of Barack's: far from his template, refused
    (error,) = refused(await enrol(api, "capture-barack-wrong", "biden.jpg", photos["biden"]))
    assert error["extensions"]["code"] == "FACE_NOT_HERS", error
    assert "0.6" in error["message"]
    assert await templates(graph, "person-barack") == 1


async def test_only_she_enrols_herself(api: Any, graph: Graph, photos: dict[str, bytes]) -> None:
    lines = world(photos["obama"], photos["biden"])
    lines.append(line("registerOrganization", id="brand-x", name="X", kind="BRAND"))
    lines.append(line("registerOrganization", id="vendor-x", name="V", kind="VENDOR"))
    lines.append(line("registerOrganization", id="agency-x", name="A", kind="AGENCY"))
    assert not (await import_lines(graph, lines)).rejected
    others = [
        (await keys.create(graph, role=role, party_id=party)).secret
        for role, party in (
            ("BRAND", "brand-x"),
            ("VENDOR", "vendor-x"),
            ("AGENCY", "agency-x"),
            ("PERSON", "person-joe"),
            ("INVESTIGATOR", None),
        )
    ]
    barack = (await keys.create(graph, role="PERSON", party_id="person-barack")).secret
    for token in others:
        (error,) = refused(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"], token=token))
        assert error["extensions"]["code"] == "FORBIDDEN", error
    assert await templates(graph, "person-barack") == 0
    await ok(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"], token=barack))
    assert await templates(graph, "person-barack") == 1


async def test_revoking_the_matching_consent_erases_her_templates_from_the_vector_index(
    api: Any, graph: Graph, photos: dict[str, bytes]
) -> None:
    assert not (await import_lines(graph, world(photos["obama"], photos["biden"]))).rejected
    await ok(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"]))
    vector = await graph.query("MATCH (t:FaceTemplate) RETURN t.vector AS v")
    probe = vector[0]["v"]
    found = (
        "CALL db.index.vector.queryNodes('face_template_vectors', 5, $v) YIELD node RETURN node.personId AS p"
    )
    assert [row["p"] for row in await graph.query(found, v=probe)] == ["person-barack"]
    await api(
        REVOKE, {"input": {"consentId": "consent-barack-matching", "revokedAt": "2026-06-01T00:00:00Z"}}
    )
    assert await templates(graph, "person-barack") == 0
    assert await graph.query(found, v=probe) == []
    # and no longer enrolled without a new consent
    (error,) = refused(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"]))
    assert error["extensions"]["code"] == "NO_MATCHING_CONSENT"


async def test_matching_consents_name_no_grantee_and_other_consents_one(api: Any, graph: Graph) -> None:
    assert not (await import_lines(graph, [line("registerPerson", id="person-a", name="A")])).rejected
    base = {
        "personId": "person-a",
        "signedById": "person-a",
        "signedAt": "2026-01-01T00:00:00Z",
        "validFrom": "2026-01-01T00:00:00Z",
    }
    grant = "mutation($input: ConsentInput!) { grantConsent(input: $input) { id purpose grantee { id } } }"
    (error,) = await api.errors(grant, {"input": {**base, "id": "c1", "purpose": "BUILD"}})
    assert error["extensions"]["field"] == "granteeId"
    (error,) = await api.errors(
        grant, {"input": {**base, "id": "c2", "purpose": "MATCHING", "granteeId": "person-a"}}
    )
    assert error["extensions"]["field"] == "granteeId"
    (error,) = await api.errors(
        grant, {"input": {**base, "id": "c3", "purpose": "MATCHING", "signedById": "org-nobody"}}
    )
    assert error["extensions"]["field"] == "signedById"
    granted = await api(grant, {"input": {**base, "id": "c4", "purpose": "MATCHING"}})
    assert granted["grantConsent"] == {"id": "c4", "purpose": "MATCHING", "grantee": None}


async def test_an_export_names_the_enrolment_and_an_import_computes_its_template_again(
    api: Any, graph: Graph, photos: dict[str, bytes], faces_fixtures: Path
) -> None:
    assert not (await import_lines(graph, world(photos["obama"], photos["biden"]))).rejected
    await ok(await enrol(api, "capture-barack-1", "obama.jpg", photos["obama"]))
    before = await graph.query("MATCH (t:FaceTemplate) RETURN t.vector AS v, t.box AS box")
    out = io.StringIO()
    await export_to(graph, out)
    exported = out.getvalue()
    (enrolment,) = [json.loads(text) for text in exported.splitlines() if '"enrollLikeness"' in text]
    assert set(enrolment["input"]) == {"personId", "captureId", "sha256", "box", "model", "enrolledAt"}
    assert "vector" not in exported
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    without = await import_lines(graph, exported.splitlines())
    ((_, reason),) = without.rejected
    assert "--files" in reason and "capture-barack-1" in reason
    assert await templates(graph, "person-barack") == 0
    again = await import_lines(graph, exported.splitlines(), files=EnrolmentFiles.in_folder(faces_fixtures))
    assert again.rejected == []
    after = await graph.query("MATCH (t:FaceTemplate) RETURN t.vector AS v, t.box AS box")
    assert after == before  # the same template, computed again from the same file
    out = io.StringIO()
    await export_to(graph, out)
    assert out.getvalue() == exported
