"""An asset's provenance as a W3C PROV document, built with the `prov` package.

Entities: the captures, the twins, the asset and the consent documents. Activities: each capture (the
moment the photo, video, scan or recording was made), each twin's build, the asset's publication.
Agents: persons and organizations; an organization acts on behalf of another where the record says so
(a vendor building a twin commissioned by a brand), and a signatory, guardian or agency on behalf of the
person whose consent it signed or negotiated. Relations: wasGeneratedBy, used, wasDerivedFrom,
wasAttributedTo, wasAssociatedWith, actedOnBehalfOf.

Every node id becomes `lk:<id>` (ids are unique across the graph), activities `lkact:<kind>.<id>`,
properties `likeness:<name>`.
"""

from __future__ import annotations

import enum
import warnings
from datetime import datetime
from typing import Any
from urllib.parse import quote

from prov.constants import PROV_LABEL, PROV_ROLE, PROV_TYPE
from prov.identifier import Namespace, QualifiedName
from prov.model import PROV, ProvActivity, ProvAgent, ProvDocument, ProvEntity

from likeness.reports.chain import ChainGraph, Node, asset_chain
from likeness.resolvers.context import Context
from likeness.resolvers.records import ProvenanceChain

# an activity's type: named apart from the entity it generates (a Capture is made by a Capturing)
_ACTIVITY_TYPES = {"capture": "Capturing", "build": "Building", "publication": "Publication"}
_KINDS = ("Brand", "Vendor", "Agency", "Studio", "Platform")
ID = Namespace("lk", "urn:likeness:id:")
ACTIVITY = Namespace("lkact", "urn:likeness:activity:")
TERMS = Namespace("likeness", "urn:likeness:terms#")


class ProvFormat(enum.Enum):
    PROV_JSON = "PROV_JSON"
    PROV_N = "PROV_N"
    PROV_O_TURTLE = "PROV_O_TURTLE"


MEDIA_TYPES = {
    ProvFormat.PROV_JSON: "application/json",
    ProvFormat.PROV_N: "text/provenance-notation",
    ProvFormat.PROV_O_TURTLE: "text/turtle",
}


def _local(node_id: str) -> str:
    """An id as a PROV local name: characters a qualified name cannot hold are percent-escaped."""
    return quote(node_id, safe="-_")


def _value(value: Any) -> Any:
    """A property as a PROV attribute value: instants as instants, everything else as text (so that
    every serialization reads back as the same document)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _attributes(node: Node, names: tuple[str, ...], kind: str) -> list[tuple[Any, Any]]:
    attributes: list[tuple[Any, Any]] = [(PROV_TYPE, TERMS[kind])]
    for name in names:
        value = node.get(name)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        attributes.extend((TERMS[name], _value(item)) for item in sorted(values, key=str))
    return attributes


class _Builder:
    def __init__(self, graph: ChainGraph) -> None:
        self.graph = graph
        self.document = ProvDocument()
        for namespace in (ID, ACTIVITY, TERMS):
            self.document.add_namespace(namespace)
        self.agents: dict[str, ProvAgent] = {}

    def agent(self, node_id: str) -> QualifiedName:
        """The agent's name, its record added on first mention (every edge's ends are nodes of the graph)."""
        name = ID[_local(node_id)]
        node = self.graph.nodes.get(node_id)
        if node is not None and node_id not in self.agents:
            person = "Person" in node["_labels"]
            attributes: list[tuple[Any, Any]] = [
                (PROV_TYPE, PROV["Person"] if person else PROV["Organization"]),
                (PROV_LABEL, str(node.get("name") or node_id)),
            ]
            if not person:
                kind = next((label for label in _KINDS if label in node["_labels"]), "Organization")
                attributes.append((TERMS["kind"], kind.upper()))
            self.agents[node_id] = self.document.agent(name, attributes)
        return name

    def activity(self, kind: str, node_id: str, at: datetime | None) -> ProvActivity:
        return self.document.activity(
            ACTIVITY[f"{kind}.{_local(node_id)}"], at, at, [(PROV_TYPE, TERMS[_ACTIVITY_TYPES[kind]])]
        )

    def entity(self, node: Node, names: tuple[str, ...], kind: str) -> ProvEntity:
        return self.document.entity(ID[_local(str(node["id"]))], _attributes(node, names, kind))

    def captures(self) -> None:
        for node in self.graph.of_label("Capture"):
            node_id = str(node["id"])
            capture = self.entity(node, ("kind", "sha256", "phash"), "Capture")
            for person in self.graph.targets(node_id, "DEPICTS"):
                capture.add_attributes([(TERMS["depicts"], ID[_local(person)])])
            made = self.activity("capture", node_id, node.get("capturedAt"))
            self.document.wasGeneratedBy(capture, made, node.get("capturedAt"))
            for studio in self.graph.targets(node_id, "CAPTURED_BY"):
                self.document.wasAssociatedWith(made, self.agent(studio))
                self.document.wasAttributedTo(capture, self.agent(studio))

    def twins(self) -> None:
        for node in self.graph.of_label("Twin"):
            node_id = str(node["id"])
            twin = self.entity(node, ("version",), "Twin")
            for person in self.graph.targets(node_id, "REPLICA_OF"):
                twin.add_attributes([(TERMS["replicaOf"], ID[_local(person)])])
            build = self.activity("build", node_id, node.get("builtAt"))
            self.document.wasGeneratedBy(twin, build, node.get("builtAt"))
            for capture in self.graph.targets(node_id, "TRAINED_ON"):
                self.document.used(build, ID[_local(capture)])
                self.document.wasDerivedFrom(twin, ID[_local(capture)], build)
            for vendor in self.graph.targets(node_id, "BUILT_BY"):
                self.document.wasAssociatedWith(build, self.agent(vendor))
                self.document.wasAttributedTo(twin, self.agent(vendor))
                for brand in self.graph.targets(node_id, "COMMISSIONED_BY"):
                    self.document.actedOnBehalfOf(self.agent(vendor), self.agent(brand), build)

    def consents(self) -> None:
        for node in self.graph.of_label("Consent"):
            node_id = str(node["id"])
            names = ("purpose", "documentSha256", "signedAt", "validFrom", "validUntil", "revokedAt")
            document = self.entity(node, names, "ConsentDocument")
            grantors = self.graph.sources("GRANTED", node_id)
            for person in grantors:
                self.document.wasAttributedTo(document, self.agent(person))
            for relation in ("SIGNED_BY", "GUARDIAN", "NEGOTIATED_BY"):
                for party in self.graph.targets(node_id, relation):
                    for person in grantors:
                        if party != person:
                            self.document.actedOnBehalfOf(self.agent(party), self.agent(person))

    def asset(self, node: Node) -> None:
        node_id = str(node["id"])
        names = (
            "sha256",
            "phash",
            "mediaType",
            "channel",
            "territories",
            "contentTags",
            "aiLabel",
            "machineReadableMark",
            "withdrawnAt",
        )
        asset = self.entity(node, names, "Asset")
        for campaign in self.graph.targets(node_id, "IN_CAMPAIGN"):
            asset.add_attributes([(TERMS["campaign"], ID[_local(campaign)])])
        publication = self.activity("publication", node_id, node.get("publishedAt"))
        self.document.wasGeneratedBy(asset, publication, node.get("publishedAt"))
        twins = self.graph.targets(node_id, "RENDERS")
        for twin in twins:
            self.document.used(publication, ID[_local(twin)])
            self.document.wasDerivedFrom(asset, ID[_local(twin)], publication)
        grantees = set(
            self.graph.targets(node_id, "PUBLISHED_BY") + self.graph.targets(node_id, "SUBLICENSED_FROM")
        )
        for consent in self.graph.of_label("Consent"):
            consent_id = str(consent["id"])
            covers = set(self.graph.targets(consent_id, "COVERS")) & set(twins)
            if (
                consent.get("purpose") == "USE"
                and covers
                and set(self.graph.targets(consent_id, "TO")) & grantees
            ):
                self.document.used(
                    publication, ID[_local(consent_id)], None, None, [(PROV_ROLE, TERMS["consentRelied"])]
                )
        for publisher in self.graph.targets(node_id, "PUBLISHED_BY"):
            self.document.wasAssociatedWith(publication, self.agent(publisher))
            self.document.wasAttributedTo(asset, self.agent(publisher))


def asset_prov(graph: ChainGraph, asset_id: str) -> ProvDocument:
    """The PROV document of the asset's provenance graph."""
    builder = _Builder(graph)
    for node in sorted(graph.nodes):
        if {"Person", "Organization"} & set(graph.nodes[node]["_labels"]):
            builder.agent(node)
    builder.captures()
    builder.twins()
    builder.consents()
    builder.asset(graph.nodes[asset_id])
    return builder.document


def serialized(document: ProvDocument, form: ProvFormat) -> str:
    """The document in one of PROV's serializations: PROV-JSON, PROV-N or PROV-O as Turtle."""
    if form is ProvFormat.PROV_JSON:
        return str(document.serialize(format="json", indent=2))
    if form is ProvFormat.PROV_N:
        return document.get_provn()
    with warnings.catch_warnings():
        # prov 2's RDF serializer calls rdflib's deprecated Dataset.default_context: prov's to fix, not ours
        warnings.simplefilter("ignore", DeprecationWarning)
        return str(document.serialize(format="rdf", rdf_format="turtle"))


def read_turtle(text: str) -> ProvDocument:
    """A PROV-O Turtle document read back with `prov` itself (PROV-JSON reads with
    `ProvDocument.deserialize(content=..., format="json")`; `prov` has no PROV-N reader)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")


async def prov_text(context: Context, chain: ProvenanceChain, form: ProvFormat) -> str:
    """The PROV document of a provenance answer, in `form`, read through the caller's loaders."""
    graph = await asset_chain(context, chain)
    return serialized(asset_prov(graph, str(chain.asset["id"])), form)
