"""Case files show the face evidence of a sighting or an asset whose file shows an enrolled person: the box
drawn in place on a thumbnail-sized frame, the distance, the threshold, the model and the nearest enrolled
capture, beside the verdict that rests on it; never a face template, and only the matches the reader may
see."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from likeness.access import keys
from likeness.access.principals import OPERATOR, Principal
from likeness.execution.context import context_for
from likeness.graph.driver import Graph
from likeness.ingest.bulk import import_lines
from likeness.reports.filing import generate_case
from tests.api.test_face_matches import asset, face, load, sighting
from tests.api.uploads import ok, post_files
from tests.faces.test_enrolment import ENROL
from tests.faces.test_unregistered_photograph import REPORT, the_world
from tests.factories import sha

AS_OF = datetime.fromisoformat("2026-12-01T00:00:00+00:00")
# 128 numbers in a row, as a face template would print (a list, or separated by spaces or commas)
TEMPLATE_RUN = re.compile(r"(?:-?\d+(?:\.\d+)?(?:e-?\d+)?[\s,;\]\[]+){127}-?\d+(?:\.\d+)?")


async def _html(graph: Graph, subject: str, principal: Principal = OPERATOR) -> str | None:
    made = await generate_case(context_for(graph=graph, principal=principal), subject, AS_OF)
    return None if made is None else made.html


def _block(html: str, element_id: str) -> str:
    """The element with this id up to the next element of the same class (a face or a verdict block)."""
    found = re.search(rf'<div class="(\w+)" id="{re.escape(element_id)}">(.*?)</div>', html, re.DOTALL)
    assert found is not None, f"no element #{element_id}"
    return found.group(2)


async def test_a_sightings_case_file_draws_the_face_and_holds_no_template(
    api: Any, graph: Graph, faces_fixtures: Path
) -> None:
    obama = (faces_fixtures / "obama.jpg").read_bytes()
    obama2 = (faces_fixtures / "obama2.jpg").read_bytes()
    assert (await import_lines(graph, the_world(obama))).rejected == []
    barack = (await keys.create(graph, role="PERSON", party_id="person-barack")).secret
    enrolment = {"input": {"personId": "person-barack", "captureId": "capture-barack-1"}, "file": None}
    await ok(await post_files(api.client, ENROL, enrolment, {"file": ("o.jpg", obama, "")}, token=barack))
    found = {
        "id": "sighting-fake",
        "url": "https://gram.example/p/1",
        "observedAt": "2026-06-01T00:00:00Z",
        "platformId": "platform-gram",
    }
    reported = await post_files(
        api.client, REPORT, {"input": found, "file": None}, {"file": ("found.jpg", obama2, "")}
    )
    (match,) = (await ok(reported))["reportSighting"]["faceMatches"]
    box = match["box"]

    html = await _html(graph, "sighting-fake")
    assert html is not None
    assert "<h3>Face evidence</h3>" in html
    evidence = _block(html, "face-sighting-fake-person-barack")
    # the box in place, in the picture's pixels, on a frame of the picture's proportions
    assert (
        f'<rect class="face-box" x="{box["left"]}" y="{box["top"]}" '
        f'width="{box["right"] - box["left"]}" height="{box["bottom"] - box["top"]}"'
    ) in evidence
    assert f"{match['distance']:.3f}" in evidence and "0.6" in evidence
    assert "<code>dlib-resnet-v1</code>" in evidence
    assert "<code>capture-barack-1</code>" in evidence and hashlib.sha256(obama).hexdigest() in evidence
    # the verdict resting on the face draws it too, and points to the evidence
    verdict = _block(html, "verdict-sighting-fake-UNREGISTERED_LIKENESS")
    assert 'class="face-frame"' in verdict and "#face-sighting-fake-person-barack" in verdict
    assert f"distance {match['distance']:.3f} ≤ threshold 0.6" in verdict

    # the template is in the graph, and nowhere in the case file
    (row,) = await graph.query("MATCH (t:FaceTemplate) RETURN t.vector AS vector")
    assert len(row["vector"]) == 128
    assert "vector" not in html.lower()
    assert TEMPLATE_RUN.search(html) is None
    assert not [value for value in row["vector"] if repr(value) in html]


async def test_the_pattern_would_catch_a_template() -> None:
    # the check above can fail: a printed template is a run of 128 numbers
    template = [0.0123456 * (-1) ** n for n in range(128)]
    assert TEMPLATE_RUN.search(f"<td>{template}</td>") is not None
    assert TEMPLATE_RUN.search(f"<td>{' '.join(str(v) for v in template)}</td>") is not None
    assert TEMPLATE_RUN.search(f"<td>{template[:127]}</td>") is None


async def test_an_assets_case_file_shows_undeclared_likeness_with_the_face(graph: Graph) -> None:
    ada, bo = face(), face("person-bo", "capture-bo", box=[40, 30, 90, 100], distance=0.52)
    await load(graph, ("publishAsset", asset("asset-both", 101, faceMatches=[ada, bo])))
    html = await _html(graph, "asset-both")
    assert html is not None
    # Ada's twin is declared: her face is shown, no verdict rests on it; Bo's is not
    assert 'id="face-asset-both-person-ada"' in html and 'id="face-asset-both-person-bo"' in html
    verdict = _block(html, "verdict-asset-both-UNDECLARED_LIKENESS")
    assert "#face-asset-both-person-bo" in verdict and "#face-asset-both-person-ada" not in verdict
    assert "distance 0.520 ≤ threshold 0.6 (dlib-resnet-v1)" in verdict
    bo_face = _block(html, "face-asset-both-person-bo")
    assert '<rect class="face-box" x="40" y="30" width="50" height="70"' in bo_face
    # no size is recorded: the frame is the smallest square holding the box, and says so
    assert 'viewBox="0 0 100 100"' in bo_face and "size is not recorded" in bo_face
    assert "<code>capture-bo</code>" in bo_face


async def test_a_case_file_shows_only_the_faces_its_reader_may_see(graph: Graph) -> None:
    ada, bo = face(), face("person-bo", "capture-bo", box=[40, 30, 90, 100], distance=0.52)
    await load(
        graph,
        ("publishAsset", asset("asset-both", 101, faceMatches=[ada, bo])),
        ("publishAsset", asset("asset-ada", 102)),
        # a copy of the brand's asset, showing Ada's face: the brand sees the sighting, never the match
        ("reportSighting", sighting("sighting-copy", sha256=sha(102))),
    )
    agency = Principal(role="AGENCY", party_id="agency-next", credential="test", represents=("person-ada",))
    brand = Principal(role="BRAND", party_id="brand-nordhem", credential="test")
    # her agency sees her face, not Bo's, whom it does not represent
    represented = await _html(graph, "asset-both", agency)
    assert represented is not None
    assert 'id="face-asset-both-person-ada"' in represented
    assert 'id="face-asset-both-person-bo"' not in represented
    # the publisher sees both faces on its own asset
    own = await _html(graph, "asset-both", brand)
    assert own is not None and 'id="face-asset-both-person-bo"' in own
    # on the sighting, the brand sees no face evidence at all; the operator does
    copy = await _html(graph, "sighting-copy", brand)
    assert copy is not None and "Face evidence" not in copy and "face-sighting-copy" not in copy
    full = await _html(graph, "sighting-copy")
    assert full is not None and 'id="face-sighting-copy-person-ada"' in full
