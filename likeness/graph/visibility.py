"""Which nodes a tenant may see, as Cypher predicates evaluated inside the reads that fetch them.

A tenant is one party (an organization or a person) and sees what it is a party to:

- an organization sees the assets it published or that were sublicensed from it, the assets in its
  campaigns and those rendering a twin it built (it is liable for their marking); its campaigns;
  the twins it built, commissioned or holds a consent for, and those its own assets render; the
  consents granted to it, those it signed or negotiated (the document only: an agency reaches the
  person behind it only while it represents her) and those its sublicensed assets run under; the
  captures it made or that trained twins it built, commissioned or renders; the persons behind its
  twins and assets, those who granted it a consent and the signatories and guardians on those
  consents; the payments under consents granted to it; the sightings of assets it sees;
  the takedown notices it sent or received and the sightings they are about;
- a person sees every use of her likeness by anyone: herself, her captures and twins, the consents
  she granted, signed or is guardian on, every asset rendering her twins, the campaigns and
  sightings of those assets, the payments under her consents, and the guardians and wards named on
  her consents;
- an agency additionally sees everything its represented people see, while the representation is
  current (`since <= today <= until`).

Organizations themselves (id, name, kind) are a public directory. Every predicate reads the
viewer's party id from `$viewer` and the persons whose likeness it answers for from `$selves`
(the viewer herself, or the people the viewing agency represents today: `represented_by`);
callers that see everything skip the predicate altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, LiteralString, cast

from likeness.graph.driver import Graph

LABELS = (
    "Person",
    "Organization",
    "Capture",
    "Twin",
    "Consent",
    "Campaign",
    "Asset",
    "Sighting",
    "Payment",
    "TakedownNotice",
)


@dataclass(frozen=True)
class Scope:
    """Whose view a read answers: the party a tenant acts as. `None` in its place means everything."""

    party_id: str
    # the persons whose likeness this viewer answers for: herself, or the people an agency represents today
    selves: tuple[str, ...] = field(default=())

    def params(self) -> dict[str, Any]:
        return {"viewer": self.party_id, "selves": [self.party_id, *self.selves]}


def params(scope: Scope | None) -> dict[str, Any]:
    """The query parameters a (possibly unrestricted) scope contributes."""
    return scope.params() if scope is not None else {}


_REPRESENTED: LiteralString = """
    MATCH (:Entity {id: $agencyId})-[r:REPRESENTS]->(p:Person)
    WHERE r.since <= date() AND (r.until IS NULL OR date() <= r.until)
    RETURN collect(DISTINCT p.id) AS ids
"""


async def represented_by(graph: Graph, agency_id: str) -> tuple[str, ...]:
    """The persons an agency represents today (since <= today <= until), sorted."""
    rows = await graph.query(_REPRESENTED, agencyId=agency_id)
    return tuple(sorted(rows[0]["ids"])) if rows else ()


# `__V__` stands for the variable being tested; inner variables carry a `vis_` prefix so they
# never capture a variable of the query the predicate is placed in.
_SELF = "__V__.id IN $selves"

# the viewer's own organization along a pattern ending in vis_x
_IS_VIEWER = "vis_x.id = $viewer"


def _self(var: str) -> str:
    return _SELF.replace("__V__", var)


def _exists(pattern: str, where: str = _IS_VIEWER) -> str:
    return f"EXISTS {{ MATCH {pattern} WHERE {where} }}"


def _any(*clauses: str) -> str:
    return "(" + "\n  OR ".join(clauses) + ")"


_PUBLISHER = "[:PUBLISHED_BY|SUBLICENSED_FROM]"


def _asset(v: str) -> str:
    return _any(
        _exists(f"({v})-{_PUBLISHER}->(vis_x)"),
        _exists(f"({v})-[:IN_CAMPAIGN]->(:Campaign)<-[:RUNS]-(vis_x)"),
        _exists(f"({v})-[:RENDERS]->(:Twin)-[:BUILT_BY|REPLICA_OF]->(vis_x)", _self("vis_x")),
    )


def _consent(v: str) -> str:
    return _any(
        _exists(f"({v})-[:TO|NEGOTIATED_BY|SIGNED_BY|GUARDIAN]->(vis_x)"),
        _exists(f"({v})<-[:GRANTED]-(vis_x)", _self("vis_x")),
        # the consent a sublicensee's asset runs under: granted to its sublicensor, covering a twin it renders
        _exists(
            f"({v})-[:COVERS]->(:Twin)<-[:RENDERS]-(vis_a:Asset)-[:PUBLISHED_BY]->(vis_x), "
            f"(vis_a)-[:SUBLICENSED_FROM]->()<-[:TO]-({v})"
        ),
    )


def _sighting(v: str) -> str:
    return _any(
        f"EXISTS {{ MATCH ({v})-[:MATCHES]->(vis_a:Asset) WHERE {_asset('vis_a')} }}",
        # an unregistered use of a person's likeness: the sighting resembles a capture of her
        _exists(f"({v})-[:RESEMBLES]->(:Capture)-[:DEPICTS]->(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:ABOUT]-(:TakedownNotice)-[:SENT_BY|TO]->(vis_x)", _self("vis_x")),
    )


_PREDICATES = {
    "Organization": lambda v: "true",
    "Asset": _asset,
    "Consent": _consent,
    "Campaign": lambda v: _any(
        _exists(f"({v})<-[:RUNS]-(vis_x)"),
        _exists(f"({v})<-[:IN_CAMPAIGN]-(:Asset)-[:RENDERS]->(:Twin)-[:REPLICA_OF]->(vis_x)", _self("vis_x")),
    ),
    "Twin": lambda v: _any(
        _exists(f"({v})-[:BUILT_BY|COMMISSIONED_BY|REPLICA_OF]->(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:COVERS]-(:Consent)-[:TO]->(vis_x)"),
        _exists(f"({v})<-[:RENDERS]-(:Asset)-{_PUBLISHER}->(vis_x)"),
    ),
    "Capture": lambda v: _any(
        _exists(f"({v})-[:CAPTURED_BY|DEPICTS]->(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:TRAINED_ON]-(:Twin)-[:BUILT_BY|COMMISSIONED_BY]->(vis_x)"),
        _exists(f"({v})<-[:TRAINED_ON]-(:Twin)<-[:RENDERS]-(:Asset)-{_PUBLISHER}->(vis_x)"),
    ),
    "Person": lambda v: _any(
        _self(v),
        _exists(f"({v})<-[:REPLICA_OF]-(:Twin)-[:BUILT_BY|COMMISSIONED_BY]->(vis_x)"),
        _exists(f"({v})<-[:REPLICA_OF]-(:Twin)<-[:RENDERS]-(:Asset)-{_PUBLISHER}->(vis_x)"),
        _exists(f"({v})-[:GRANTED]->(:Consent)-[:TO]->(vis_x)"),
        _exists(f"({v})<-[:SIGNED_BY|GUARDIAN]-(:Consent)-[:TO]->(vis_x)"),
        _exists(f"({v})-[:GRANTED]->(:Consent)-[:GUARDIAN]->(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:GUARDIAN]-(:Consent)<-[:GRANTED]-(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:DEPICTS]-(:Capture)-[:CAPTURED_BY]->(vis_x)"),
    ),
    "Sighting": lambda v: _sighting(v),
    # a notice: one the viewer sent or received, or about a sighting the viewer sees
    "TakedownNotice": lambda v: _any(
        _exists(f"({v})-[:SENT_BY|TO]->(vis_x)", _self("vis_x")),
        f"EXISTS {{ MATCH ({v})-[:ABOUT]->(vis_s:Sighting) WHERE {_sighting('vis_s')} }}",
    ),
    # a stored verdict: one naming the viewer as liable or publisher, or about a person it answers for
    "Verdict": lambda v: _any(
        f"$viewer IN {v}.partyIds",
        f"{v}.publisherId = $viewer",
        f"any(vis_person IN {v}.personIds WHERE vis_person IN $selves)",
    ),
    "Payment": lambda v: _any(
        _exists(f"({v})-[:UNDER]->(:Consent)-[:TO]->(vis_x)"),
        _exists(f"({v})-[:UNDER]->(:Consent)<-[:GRANTED]-(vis_x)", _self("vis_x")),
    ),
}

_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def visible(label: str | None, var: str) -> LiteralString:
    """The Cypher predicate "the viewer may see node `var`" (of `label`, of one of 'A|B', or of any label
    of the graph's entities; a stored verdict is `Verdict`).

    Place it in a WHERE clause of a query that passes the scope's parameters (`Scope.params`);
    `var` must be a plain variable name of that query not starting with `vis_`. Prefer a label: the
    any-label form holds every label's predicate and takes Neo4j seconds to plan the first time.
    """
    if not _VARIABLE.match(var) or var.startswith("vis_"):
        raise ValueError(f"var: expected a plain Cypher variable name not starting with 'vis_' (got {var!r})")
    names: tuple[str, ...] = LABELS if label is None else tuple(label.split("|"))
    unknown = [name for name in names if name not in _PREDICATES]
    if unknown:
        raise ValueError(
            f"label: expected one of {', '.join(_PREDICATES)}, several joined by '|', or None (got {label!r})"
        )
    # built only from the constant templates above and a checked variable name: no input reaches it
    if len(names) == 1:
        return cast(LiteralString, _PREDICATES[names[0]](var))
    branches = " ".join(f"WHEN {var}:{name} THEN {_PREDICATES[name](var)}" for name in names)
    return cast(LiteralString, f"(CASE {branches} ELSE false END)")


_MARKER = re.compile(r"VISIBLE\((\w+):(\w+|\*)\)")


@dataclass(frozen=True)
class Scoped:
    """One query in two forms: for callers who see everything, and filtered by `$viewer`."""

    everything: LiteralString
    restricted: LiteralString

    def for_scope(self, scope: Scope | None) -> tuple[LiteralString, dict[str, Any]]:
        """The form to run for this scope and the parameters it needs."""
        if scope is None:
            return self.everything, {}
        return self.restricted, scope.params()


def scoped(cypher: LiteralString) -> Scoped:
    """A query written with `VISIBLE(var:Label)` markers (`VISIBLE(var:*)` for any label) where the
    caller's visibility applies: unrestricted, each marker reads `true`; restricted, the predicate."""

    def predicate(match: re.Match[str]) -> str:
        var, label = match.group(1), match.group(2)
        return visible(None if label == "*" else label, var)

    return Scoped(
        everything=cast(LiteralString, _MARKER.sub("true", cypher)),
        restricted=cast(LiteralString, _MARKER.sub(predicate, cypher)),
    )
