"""Which nodes a tenant may see, as Cypher predicates evaluated inside the reads that fetch them.

A tenant is one party (an organization or a person) and sees what it is a party to:

- an organization sees the assets it published or that were sublicensed from it, the assets in its
  campaigns and those rendering a twin it built (it is liable for their marking) or a twin covered
  by a consent it signed or negotiated; its campaigns; the twins it built, commissioned or holds a
  consent for, and those its own assets render; the consents granted to it, signed or negotiated by
  it; the captures it made or that trained twins it built, commissioned or renders; the persons
  behind all of those; the payments under its consents; the sightings of assets it sees;
- a person sees every use of her likeness by anyone: herself, her captures and twins, the consents
  she granted, signed or is guardian on, every asset rendering her twins, the campaigns and
  sightings of those assets, the payments under her consents, and the guardians or wards named on
  her consents;
- an agency additionally sees everything its represented people see, while the representation is
  current (`since <= today <= until`).

Organizations themselves (id, name, kind) are a public directory. Every predicate reads the
viewer's party id from the parameter `$viewer`; callers that see everything skip the predicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, LiteralString, cast

VIEWER = "viewer"
LABELS = ("Person", "Organization", "Capture", "Twin", "Consent", "Campaign", "Asset", "Sighting", "Payment")


@dataclass(frozen=True)
class Scope:
    """Whose view a read answers: the party a tenant acts as. `None` in its place means everything."""

    party_id: str

    def params(self) -> dict[str, Any]:
        return {VIEWER: self.party_id}


def params(scope: Scope | None) -> dict[str, Any]:
    """The query parameters a (possibly unrestricted) scope contributes."""
    return scope.params() if scope is not None else {VIEWER: None}


# `__V__` stands for the variable being tested; inner variables carry a `vis_` prefix so they
# never capture a variable of the query the predicate is placed in.
_SELF = """(__V__.id = $viewer OR EXISTS {
    MATCH (__V__)<-[vis_r:REPRESENTS]-(vis_g)
    WHERE vis_g.id = $viewer AND vis_r.since <= date() AND (vis_r.until IS NULL OR date() <= vis_r.until) })"""

# the viewer's own organization(s) along a pattern ending in vis_x
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
        _exists(f"({v})-[:RENDERS]->(:Twin)<-[:COVERS]-(:Consent)-[:NEGOTIATED_BY|SIGNED_BY]->(vis_x)"),
    )


def _consent(v: str) -> str:
    return _any(
        _exists(f"({v})-[:TO|NEGOTIATED_BY|SIGNED_BY|GUARDIAN]->(vis_x)"),
        _exists(f"({v})<-[:GRANTED]-(vis_x)", _self("vis_x")),
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
        _exists(f"({v})<-[:COVERS]-(:Consent)-[:TO|NEGOTIATED_BY|SIGNED_BY]->(vis_x)"),
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
        _exists(f"({v})-[:GRANTED]->(:Consent)-[:TO|NEGOTIATED_BY|SIGNED_BY|GUARDIAN]->(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:GUARDIAN]-(:Consent)<-[:GRANTED]-(vis_x)", _self("vis_x")),
        _exists(f"({v})<-[:DEPICTS]-(:Capture)-[:CAPTURED_BY]->(vis_x)"),
    ),
    "Sighting": lambda v: f"EXISTS {{ MATCH ({v})-[:MATCHES]->(vis_a:Asset) WHERE {_asset('vis_a')} }}",
    "Payment": lambda v: f"EXISTS {{ MATCH ({v})-[:UNDER]->(vis_k:Consent) WHERE {_consent('vis_k')} }}",
}

_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def visible(label: str | None, var: str) -> LiteralString:
    """The Cypher predicate "the viewer may see node `var`" (a node of `label`, or of any label).

    Place it in a WHERE clause of a query that passes the parameter `$viewer` (see `params`);
    `var` must be a plain variable name of that query not starting with `vis_`.
    """
    if not _VARIABLE.match(var) or var.startswith("vis_"):
        raise ValueError(f"var: expected a plain Cypher variable name not starting with 'vis_' (got {var!r})")
    if label is None:
        branches = " ".join(f"WHEN {var}:{name} THEN {_PREDICATES[name](var)}" for name in LABELS)
        return cast(LiteralString, f"(CASE {branches} ELSE false END)")
    if label not in _PREDICATES:
        raise ValueError(f"label: expected one of {', '.join(LABELS)} or None (got {label!r})")
    # built only from the constant templates above and a checked variable name: no input reaches it
    return cast(LiteralString, _PREDICATES[label](var))


def represented_now(var: str) -> LiteralString:
    """The Cypher predicate "`var` is the viewer, or a person the viewing agency represents today"."""
    if not _VARIABLE.match(var) or var.startswith("vis_"):
        raise ValueError(f"var: expected a plain Cypher variable name not starting with 'vis_' (got {var!r})")
    return cast(LiteralString, _self(var))
