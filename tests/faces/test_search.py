"""Every file that comes in is searched for enrolled faces: trace(file) answers each face with its box and
the matches the caller may see; every search is rate-limited per key and logged, never with a vector."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from likeness.access import keys
from likeness.app import create_app
from likeness.config import Settings
from likeness.graph.driver import Graph
from likeness.ingest.bulk import import_lines
from likeness.ingest.enrolments import EnrolmentFiles
from tests.api.uploads import ok, post_files, refused
from tests.conftest import ADMIN_TOKEN
from tests.faces.test_enrolment import capture_line, line, matching_consent

TRACE = """query($file: Upload) { trace(file: $file) { facesFound
  faces { box { left top right bottom } frameTime
          matches { distance threshold model box { left } person { id name } capture { id } } } } }"""


async def enrolled_barack(graph: Graph, faces_fixtures: Path) -> None:
    """Barack enrolled from obama.jpg under his MATCHING consent; Joe registered, not enrolled; an agency
    representing Barack, and a brand."""
    obama = (faces_fixtures / "obama.jpg").read_bytes()
    lines = [
        line("registerPerson", id="person-barack", name="Barack"),
        line("registerPerson", id="person-joe", name="Joe"),
        line("registerOrganization", id="agency-a", name="Agency", kind="AGENCY"),
        line("registerOrganization", id="brand-x", name="X", kind="BRAND"),
        line("recordRepresentation", agencyId="agency-a", personId="person-barack", since="2026-01-01"),
        capture_line("capture-barack-1", "person-barack", obama),
        matching_consent("consent-barack-matching", "person-barack"),
        line(
            "enrollLikeness",
            personId="person-barack",
            captureId="capture-barack-1",
            sha256=hashlib.sha256(obama).hexdigest(),
            box=[349, 142, 617, 409],
            model="dlib-resnet-v1",
            enrolledAt="2026-02-01T00:00:00Z",
        ),
    ]
    summary = await import_lines(graph, lines, files=EnrolmentFiles.in_folder(faces_fixtures))
    assert summary.rejected == []


async def trace(client: httpx.AsyncClient, name: str, data: bytes, token: str = ADMIN_TOKEN) -> Any:
    response = await post_files(client, TRACE, {"file": None}, {"file": (name, data, "")}, token=token)
    return (await ok(response))["trace"]


async def test_a_photograph_nobody_registered_is_traced_to_the_enrolled_person_it_shows(
    api: Any, graph: Graph, faces_fixtures: Path
) -> None:
    await enrolled_barack(graph, faces_fixtures)
    traced = await trace(api.client, "obama2.jpg", (faces_fixtures / "obama2.jpg").read_bytes())
    assert traced["facesFound"] == 1
    (face,) = traced["faces"]
    (match,) = face["matches"]
    assert match["person"] == {"id": "person-barack", "name": "Barack"}
    assert 0 < match["distance"] <= match["threshold"] == 0.6
    assert match["capture"] == {"id": "capture-barack-1"} and match["model"] == "dlib-resnet-v1"
    assert match["box"] == {"left": face["box"]["left"]}

    # Obama and Biden together: his face matches him, Biden's (not enrolled) nobody
    both = await trace(api.client, "two.jpg", (faces_fixtures / "obama_and_biden.jpg").read_bytes())
    assert both["facesFound"] >= 2
    matched = [face for face in both["faces"] if face["matches"]]
    assert [m["person"]["id"] for face in matched for m in face["matches"]] == ["person-barack"]

    # another person's photograph matches nobody
    other = await trace(api.client, "alex1.jpg", (faces_fixtures / "alex1.jpg").read_bytes())
    assert other["facesFound"] == 1 and other["faces"][0]["matches"] == []


async def test_a_match_is_shown_to_her_her_agency_and_investigators_never_to_a_brand(
    api: Any, graph: Graph, faces_fixtures: Path
) -> None:
    await enrolled_barack(graph, faces_fixtures)
    photo = (faces_fixtures / "obama2.jpg").read_bytes()
    tokens = {
        role: (await keys.create(graph, role=role, party_id=party)).secret
        for role, party in (
            ("INVESTIGATOR", None),
            ("REGULATOR", None),
            ("PERSON", "person-barack"),
            ("AGENCY", "agency-a"),
        )
    }
    brand = (await keys.create(graph, role="BRAND", party_id="brand-x")).secret
    joe = (await keys.create(graph, role="PERSON", party_id="person-joe")).secret
    for role, token in tokens.items():
        (face,) = (await trace(api.client, "o.jpg", photo, token))["faces"]
        assert [m["person"]["id"] for m in face["matches"]] == ["person-barack"], role
    for token in (brand, joe):
        traced = await trace(api.client, "o.jpg", photo, token)
        assert traced["facesFound"] == 1 and traced["faces"][0]["matches"] == []


async def test_face_searches_are_rate_limited_per_key_and_logged_without_a_vector(
    graph: Graph, settings: Settings, faces_fixtures: Path
) -> None:
    await enrolled_barack(graph, faces_fixtures)
    photo = (faces_fixtures / "obama2.jpg").read_bytes()
    app = create_app(settings.model_copy(update={"likeness_face_searches_per_minute": 2}), graph=graph)
    other = (await keys.create(graph, role="INVESTIGATOR", label="other desk")).secret
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        for _ in range(2):
            await trace(client, "o.jpg", photo)
        response = await post_files(client, TRACE, {"file": None}, {"file": ("o.jpg", photo, "")})
        (error,) = refused(response)
        assert error["extensions"]["code"] == "RATE_LIMITED", error
        assert "at most 2 a minute" in error["message"] and error["extensions"]["field"] == "file"
        # another key has its own count
        await trace(client, "o.jpg", photo, other)
    rows = await graph.query(
        "MATCH (e:LogEntry) WHERE e.operation = 'faceSearch trace' "
        "RETURN e.target AS target, properties(e) AS entry"
    )
    assert len(rows) == 3
    assert {row["target"] for row in rows} == {hashlib.sha256(photo).hexdigest()}
    for row in rows:
        assert not any(isinstance(value, list) and len(value) >= 128 for value in row["entry"].values())


async def test_a_file_without_faces_searches_nothing(api: Any, graph: Graph, faces_fixtures: Path) -> None:
    await enrolled_barack(graph, faces_fixtures)
    picture = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").save(picture, "PNG")
    traced = await trace(api.client, "gradient.png", picture.getvalue())
    assert traced == {"facesFound": 0, "faces": []}
    rows = await graph.query(
        "MATCH (e:LogEntry) WHERE e.operation STARTS WITH 'faceSearch' RETURN count(e) AS n"
    )
    assert rows[0]["n"] == 0


async def test_a_crowd_of_two_hundred_faces_is_a_bounded_answer(
    api: Any, graph: Graph, faces_fixtures: Path
) -> None:
    """200 faces of him in one picture: all counted, 20 described and searched, each found to be him."""
    await enrolled_barack(graph, faces_fixtures)
    with Image.open(faces_fixtures / "obama2.jpg") as portrait:
        tile = portrait.convert("RGB").crop((121, 240, 488, 608)).resize((140, 140))
    crowd = Image.new("RGB", (140 * 20, 140 * 10))
    for index in range(200):
        crowd.paste(tile, ((index % 20) * 140, (index // 20) * 140))
    picture = io.BytesIO()
    crowd.save(picture, "PNG")
    traced = await trace(api.client, "crowd.png", picture.getvalue())
    assert traced["facesFound"] == 200 and len(traced["faces"]) == 20
    assert all([m["person"]["id"] for m in face["matches"]] == ["person-barack"] for face in traced["faces"])
