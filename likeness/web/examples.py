"""The worked example per role that the GraphiQL page opens with: README.md's "A guide by user".

Each runs against the demo world and passes `asOf`, so it answers the same on any day. The queries are
the README's, word for word; tests/web/test_graphiql_page.py fails when the two drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """One role's example: the tab's title (also the operation's name), what it shows, the query."""

    title: str
    purpose: str
    body: str

    @property
    def document(self) -> str:
        """The text the editor opens with: the purpose as a comment, then the named operation."""
        return f"# {self.title}: {self.purpose}\nquery {self.title} {self.body}\n"


EXAMPLES: tuple[Example, ...] = (
    Example(
        title="Investigator",
        purpose="an image found in the wild. Trace it by exact hash, or by perceptual near-duplicate.",
        body="""{
  similarAssets(phash: "03f2b755f95eefa9", maxDistance: 8) { distance asset { id } }
  provenance(assetId: "asset-maren-liv-knockoff", asOf: "2026-07-01T00:00:00Z") {
    asset { id publishedAt channel territories }
    twins { id version } captures { id kind } persons { id name } vendors { id name }
    publisher { id name } campaign { name } consents { id purpose validUntil revokedAt }
    verdicts { code liable { partyId role } failedClauses evidence explanation }
    permitted
  }
}""",
    ),
    Example(
        title="Brand",
        purpose="check a planned use before publishing, then read its own history and what expires.",
        body="""{
  checkUsage(twinIds: ["twin-liv-v2"], publisherId: "brand-nordhem", mediaType: IMAGE,
             channel: INSTAGRAM, territories: ["SE", "US"], at: "2026-07-01T00:00:00Z") {
    permitted code twins { twinId consentId failedClauses code }
  }
  usageHistory(organizationId: "brand-nordhem", asOf: "2026-07-01T00:00:00Z", expiringWithinDays: 365) {
    assets { asset { id } consentIds verdicts { code } }
    expiringConsents { id validUntil }
  }
}""",
    ),
    Example(
        title="Person",
        purpose="every use of her likeness, by anyone, and what she was paid.",
        body="""{
  likenessUsage(personId: "person-liv-aberg", asOf: "2026-07-01T00:00:00Z", first: 20) {
    totalCount
    edges { node { id publishedAt channel publisher { name } } verdicts { code explanation } }
    pageInfo { hasNextPage endCursor }
  }
  compensation(personId: "person-liv-aberg") {
    consent { id } agreed { amount currency basis } uses payments { amount paidAt } paidTotal
  }
}""",
    ),
    Example(
        title="Regulator",
        purpose="violations across everyone, by code, party, person, territory, period and law.",
        body="""{
  audit(filter: {territory: "US", from: "2025-01-01T00:00:00Z"}, asOf: "2026-07-01T00:00:00Z", first: 50) {
    totalCount
    countsByCode { code count }
    edges { node { code subjectId liable { partyId role } explanation } }
  }
  byLaw: audit(filter: {jurisdictions: ["SE"]}, asOf: "2026-10-05T00:00:00Z") {
    countsByLaw { lawId count }
    edges { node { code subjectId laws { id article jurisdiction inForceFrom } wouldBreak { id } } }
  }
}""",
    ),
    Example(
        title="Platform",
        purpose="the takedown notices addressed to it, where each stands, and the sightings they are about.",
        body="""{
  notices(platformId: "platform-clipstream", asOf: "2026-10-01T00:00:00Z") {
    totalCount
    edges {
      status
      node {
        id sentAt dueAt clockLaw category basis responses { respondedAt outcome }
        sighting { id url verdicts(asOf: "2026-10-01T00:00:00Z") { code explanation } }
      }
    }
  }
}""",
    ),
)
