"""A provenance graph drawn as static SVG, laid out by Graphviz's `dot` (run in-process through the
`graphviz` package's `pipe`): no script, no external reference, system fonts only."""

from __future__ import annotations

import re
from dataclasses import dataclass

import graphviz

from likeness.reports.chain import ChainGraph, Node

# what a node is drawn as, by its most specific label: (kind, shape, fill)
_STYLES: tuple[tuple[str, str, str, str], ...] = (
    ("Sighting", "sighting", "note", "#fde2e2"),
    ("Asset", "asset", "box", "#fff3c4"),
    ("Twin", "twin", "box3d", "#e3ecff"),
    ("Capture", "capture", "component", "#e8f5e9"),
    ("Consent", "consent", "note", "#f3e5f5"),
    ("Campaign", "campaign", "folder", "#f5f5f5"),
    ("Person", "person", "ellipse", "#ffffff"),
    ("Organization", "organization", "hexagon", "#eeeeee"),
)
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class GraphvizMissing(Exception):
    """Graphviz's `dot` is not installed, so the case file's graph cannot be laid out."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz's `dot` program is not installed, and case files need it to lay out the provenance "
            "graph: install it with `apt-get install graphviz` (scripts/setup.sh does when run as root)"
        )


@dataclass(frozen=True)
class Mark:
    """Extra classes for nodes with a role in the case (the publisher, the case's subject)."""

    node_id: str
    classes: str


def _style(node: Node) -> tuple[str, str, str]:
    labels = node["_labels"]
    for label, kind, shape, fill in _STYLES:
        if label in labels:
            return kind, shape, fill
    return "node", "ellipse", "#ffffff"


def _caption(node: Node, kind: str) -> str:
    """What a node's box says: its kind (an organization's own kind), its id and its name if any."""
    heading = kind.capitalize()
    if kind == "organization":
        heading = next(
            (
                label
                for label in ("Brand", "Vendor", "Agency", "Studio", "Platform")
                if label in node["_labels"]
            ),
            "Organization",
        )
    lines = [heading, str(node["id"])]
    if node.get("name"):
        lines.append(str(node["name"]))
    return "\n".join(lines)


def provenance_svg(graph: ChainGraph, marks: list[Mark]) -> str:
    """The graph as an inline SVG element (no XML prologue, no comments): each node a `<g>` whose id is
    `graph-node-<id>` and whose classes say its kind (`asset`, `twin`, `person`, …) and its marks."""
    extra = {mark.node_id: mark.classes for mark in marks}
    drawing = graphviz.Digraph(
        "provenance",
        graph_attr={"rankdir": "LR", "bgcolor": "transparent", "nodesep": "0.3", "ranksep": "0.6"},
        node_attr={"fontname": "sans-serif", "fontsize": "11", "style": "filled", "color": "#555555"},
        edge_attr={"fontname": "sans-serif", "fontsize": "9", "color": "#777777"},
    )
    names: dict[str, str] = {}
    for index, (node_id, node) in enumerate(sorted(graph.nodes.items())):
        # dot reads ':' in a node name as a port: the graph uses its own names, the ids go in attributes
        names[node_id] = f"n{index}"
        kind, shape, fill = _style(node)
        drawing.node(
            names[node_id],
            label=graphviz.escape(_caption(node, kind)),
            shape=shape,
            fillcolor=fill,
            id=graphviz.escape(f"graph-node-{node_id}"),
            **{"class": " ".join(filter(None, (kind, extra.get(node_id, ""))))},
        )
    for start, relation, end in graph.edges:
        if start in names and end in names:
            drawing.edge(names[start], names[end], label=relation)
    try:
        svg = drawing.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as missing:
        raise GraphvizMissing() from missing
    return _COMMENT.sub("", _XML_PROLOGUE.sub("", svg)).strip()
