"""The PROV builder and the graph drawing on their own (no database): ids of any shape, and a clear error
when Graphviz is missing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from prov.model import ProvDocument

from likeness.reports.chain import ChainGraph
from likeness.reports.drawing import GraphvizMissing, Mark, provenance_svg
from likeness.reports.prov import ProvFormat, asset_prov, read_turtle, serialized

# ids are any non-blank text of up to 200 characters: spaces, colons, slashes, quotes, backslashes
ODD = {
    "asset": 'asset 7/2:"x"',
    "twin": "twin\\n ä",
    "person": "person:ada",
    "brand": "brand#1 & co",
    "capture": "capture.1",
}


def _graph() -> ChainGraph:
    at = datetime(2025, 3, 1, 12, tzinfo=UTC)
    graph = ChainGraph()
    graph.add({"id": ODD["asset"], "_labels": ["Entity", "Asset"], "sha256": "ab" * 32, "publishedAt": at})
    graph.add({"id": ODD["twin"], "_labels": ["Entity", "Twin"], "builtAt": at, "version": 2})
    graph.add({"id": ODD["person"], "_labels": ["Entity", "Person"], "name": "Ada <Varga>"})
    graph.add({"id": ODD["brand"], "_labels": ["Entity", "Organization", "Brand"], "name": "Brand & Co"})
    graph.add({"id": ODD["capture"], "_labels": ["Entity", "Capture"], "kind": "PHOTO", "capturedAt": at})
    graph.edges = sorted(
        [
            (ODD["asset"], "RENDERS", ODD["twin"]),
            (ODD["asset"], "PUBLISHED_BY", ODD["brand"]),
            (ODD["twin"], "REPLICA_OF", ODD["person"]),
            (ODD["twin"], "TRAINED_ON", ODD["capture"]),
            (ODD["capture"], "DEPICTS", ODD["person"]),
        ]
    )
    return graph


def test_ids_of_any_shape_survive_every_serialization() -> None:
    built = asset_prov(_graph(), ODD["asset"])
    from_json = ProvDocument.deserialize(content=serialized(built, ProvFormat.PROV_JSON), format="json")
    assert from_json == built
    assert read_turtle(serialized(built, ProvFormat.PROV_O_TURTLE)) == built
    provn = serialized(built, ProvFormat.PROV_N)
    assert sorted(provn.splitlines()) == sorted(from_json.get_provn().splitlines())
    # the odd ids are escaped, not dropped: every node is a record of the document
    names = {str(record.identifier) for record in built.get_records() if record.identifier is not None}
    assert len([name for name in names if name.startswith("lk:")]) == len(ODD)


def test_the_drawing_names_every_node_by_its_id_and_kind() -> None:
    svg = provenance_svg(_graph(), [Mark(ODD["brand"], "publisher")])
    assert svg.startswith("<svg") and "<script" not in svg and "<!--" not in svg
    assert 'class="node asset"' in svg and 'class="node organization publisher"' in svg
    # a colon in an id is not read as a Graphviz port: the asset and the person are drawn once each
    assert svg.count("person:ada") == 2  # its id attribute and its caption
    assert "Ada &lt;Varga&gt;" in svg
    assert svg.count('class="edge"') == 5


def test_without_dot_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz"):
        provenance_svg(_graph(), [])
