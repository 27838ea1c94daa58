"""The relationships a node's fields follow, declared once: the graph's reads (graph.reads), its pages
(graph.lists) and the provenance drawing (reports.chain) all take them from here.

A name (`twin.captures`) is a field of a node type; its Relationship says which way along which type the
neighbours lie, their label as visibility knows it (graph.visibility), and, for a list that pages
(graph.lists), the orders it offers (the first is its default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString


@dataclass(frozen=True)
class Relationship:
    """From a node to its neighbours along one relationship type."""

    type: LiteralString
    outgoing: bool  # the relationship points from the node to its neighbours
    label: LiteralString  # the neighbours' label(s): "Capture", "Person|Organization"
    # the label a single-read pattern names on the neighbour, where the type alone does not decide it
    seek: LiteralString = ""
    orders: tuple[LiteralString, ...] = ()  # a paged list's orders (graph.lists); empty: not paged

    @property
    def arrow(self) -> LiteralString:
        """The relationship as a pattern's middle: `-[:TYPE]->` or `<-[:TYPE]-`."""
        return "-[:" + self.type + "]->" if self.outgoing else "<-[:" + self.type + "]-"


_ASSET_ORDERS: tuple[LiteralString, ...] = ("publishedAt", "id")

RELATIONSHIPS: dict[str, Relationship] = {
    "person.captures": Relationship("DEPICTS", False, "Capture", "Capture", ("capturedAt",)),
    "person.twins": Relationship("REPLICA_OF", False, "Twin", "Twin", ("builtAt",)),
    "person.consents": Relationship("GRANTED", True, "Consent", "Consent", ("signedAt",)),
    "person.agencies": Relationship("REPRESENTS", False, "Organization", "Agency"),
    "organization.assets": Relationship("PUBLISHED_BY", False, "Asset", "Asset", _ASSET_ORDERS),
    "organization.campaigns": Relationship("RUNS", True, "Campaign", "Campaign", ("id",)),
    "organization.twinsBuilt": Relationship("BUILT_BY", False, "Twin", "Twin", ("builtAt",)),
    "organization.consentsReceived": Relationship("TO", False, "Consent", "Consent", ("signedAt",)),
    "organization.represents": Relationship("REPRESENTS", True, "Person", "Person", ("id",)),
    "capture.persons": Relationship("DEPICTS", True, "Person", "Person"),
    "capture.capturedBy": Relationship("CAPTURED_BY", True, "Organization"),
    "twin.person": Relationship("REPLICA_OF", True, "Person"),
    "twin.vendor": Relationship("BUILT_BY", True, "Organization"),
    "twin.captures": Relationship("TRAINED_ON", True, "Capture", orders=("capturedAt",)),
    "twin.supersedes": Relationship("SUPERSEDES", True, "Twin"),
    "twin.commissionedBy": Relationship("COMMISSIONED_BY", True, "Organization"),
    "twin.assets": Relationship("RENDERS", False, "Asset", "Asset", _ASSET_ORDERS),
    "twin.consents": Relationship("COVERS", False, "Consent", "Consent", ("signedAt",)),
    "consent.person": Relationship("GRANTED", False, "Person"),
    "consent.grantee": Relationship("TO", True, "Organization"),
    "consent.twins": Relationship("COVERS", True, "Twin"),
    "consent.signedBy": Relationship("SIGNED_BY", True, "Person|Organization"),
    "consent.guardian": Relationship("GUARDIAN", True, "Person"),
    "consent.negotiatedBy": Relationship("NEGOTIATED_BY", True, "Organization"),
    "consent.payments": Relationship("UNDER", False, "Payment", "Payment", ("paidAt",)),
    "campaign.brand": Relationship("RUNS", False, "Organization"),
    "campaign.assets": Relationship("IN_CAMPAIGN", False, "Asset", "Asset", _ASSET_ORDERS),
    "asset.twins": Relationship("RENDERS", True, "Twin"),
    "asset.publisher": Relationship("PUBLISHED_BY", True, "Organization"),
    "asset.campaign": Relationship("IN_CAMPAIGN", True, "Campaign"),
    "asset.sublicensedFrom": Relationship("SUBLICENSED_FROM", True, "Organization"),
    "asset.sightings": Relationship("MATCHES", False, "Sighting", "Sighting", ("observedAt",)),
    "sighting.assets": Relationship("MATCHES", True, "Asset", "Asset", _ASSET_ORDERS),
    "sighting.platform": Relationship("SEEN_ON", True, "Organization"),
    "payment.consent": Relationship("UNDER", True, "Consent"),
    "sighting.captures": Relationship("RESEMBLES", True, "Capture", "Capture", ("capturedAt",)),
    "sighting.notices": Relationship("ABOUT", False, "TakedownNotice", "TakedownNotice", ("sentAt",)),
    "notice.sighting": Relationship("ABOUT", True, "Sighting"),
    "notice.platform": Relationship("TO", True, "Organization"),
    "notice.sentBy": Relationship("SENT_BY", True, "Person|Organization"),
}
