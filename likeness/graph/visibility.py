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
  sightings of those assets, the sightings and assets whose files show her face, the payments under
  her consents, and the guardians and wards named on her consents;
- an agency additionally sees everything its represented people see, while the representation is
  current (`since <= today <= until`);
- a platform (an Organization labelled Platform, `Scope.platform`) sees only the takedown notices
  addressed to it (`(:TakedownNotice)-[:TO]->(it)`) with their answers, the sightings on it
  (`(:Sighting)-[:SEEN_ON]->(it)`) and those its notices are about, with those sightings' own verdicts
  (NOTICE_UNANSWERED, UNREGISTERED_USE: on what it hosts); nothing else (no asset, person, consent,
  twin, capture, campaign, payment, face match, nor any verdict of an asset). Its predicates are a
  form of their own (`_PLATFORM_PREDICATES`; `Scoped.platform`), so the tenants' forms are unchanged.

A face match (which person a sighting's or an asset's file shows) is seen by fewer than the node it is on:
`face_match_visible` is its one predicate. An organization also sees the person its own asset shows.

Organizations themselves (id, name, kind) are a public directory, to a platform too. Every predicate reads the
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
    # a platform: reads by the platform's predicates (its notices and the sightings on it), not a tenant's
    platform: bool = False

    def params(self) -> dict[str, Any]:
        return {"viewer": self.party_id, "selves": [self.party_id, *self.selves]}

    def answers_for(self, person_id: str) -> bool:
        """Whether this viewer answers for the person (herself, or her agency today): `face_match_visible`
        of a file not recorded (a trace), in Python, for a match found before any node holds it. A platform
        answers for no one."""
        return not self.platform and person_id in (self.party_id, *self.selves)


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


# a sighting or an asset whose file shows the face of a person this viewer answers for
_SHOWS_SELF = "({v})-[:SHOWS_FACE_OF]->(vis_x)"


def _asset(v: str) -> str:
    return _any(
        _exists(f"({v})-{_PUBLISHER}->(vis_x)"),
        _exists(f"({v})-[:IN_CAMPAIGN]->(:Campaign)<-[:RUNS]-(vis_x)"),
        _exists(f"({v})-[:RENDERS]->(:Twin)-[:BUILT_BY|REPLICA_OF]->(vis_x)", _self("vis_x")),
        _exists(_SHOWS_SELF.format(v=v), _self("vis_x")),
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
        # an unregistered use of her face: the sighting shows the face of a person the viewer answers for
        _exists(_SHOWS_SELF.format(v=v), _self("vis_x")),
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
        # the person whose face an asset of the viewer's shows (the one face match it may see)
        _exists(f"({v})<-[:SHOWS_FACE_OF]-(:Asset)-[:PUBLISHED_BY]->(vis_x)"),
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


def _on_platform(v: str) -> str:
    """A sighting on the viewing platform, or one a notice addressed to it is about."""
    return _any(
        _exists(f"({v})-[:SEEN_ON]->(vis_x)"),
        _exists(f"({v})<-[:ABOUT]-(:TakedownNotice)-[:TO]->(vis_x)"),
    )


# Nothing of a label: false, in a form the planner cannot fold away before it plans (a literal `false`
# empties a WHERE of the predicates its index hints need, and Neo4j refuses the hint). `$viewer` is
# never null: a tenant without a party reads "" (access.principals).
_NOTHING = "$viewer IS NULL"


def _nothing(v: str) -> str:
    return _NOTHING


# A platform's view: the notices addressed to it, the sightings on it or that those notices are about, the
# verdicts on those sightings, the public directory; every other label reads `false`.
_PLATFORM_PREDICATES = {
    **{label: _nothing for label in _PREDICATES},
    "Organization": lambda v: "true",
    "TakedownNotice": lambda v: _exists(f"({v})-[:TO]->(vis_x)"),
    "Sighting": _on_platform,
    # a stored verdict is the platform's to see when its subject is a sighting it sees (an asset's never is)
    "Verdict": lambda v: (
        f"EXISTS {{ MATCH (vis_s:Entity {{id: {v}.subjectId}}) "
        f"WHERE vis_s:Sighting AND {_on_platform('vis_s')} }}"
    ),
}

_VARIABLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def visible(label: str | None, var: str, *, platform: bool = False) -> LiteralString:
    """The Cypher predicate "the viewer may see node `var`" (of `label`, of one of 'A|B', or of any label
    of the graph's entities; a stored verdict is `Verdict`); with `platform`, as a platform sees it.

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
    predicates = _PLATFORM_PREDICATES if platform else _PREDICATES
    # built only from the constant templates above and a checked variable name: no input reaches it
    if len(names) == 1:
        return cast(LiteralString, predicates[names[0]](var))
    branches = " ".join(f"WHEN {var}:{name} THEN {predicates[name](var)}" for name in names)
    return cast(LiteralString, f"(CASE {branches} ELSE false END)")


def visible_to(scope: Scope, label: str | None, var: str) -> LiteralString:
    """`visible` in the form the scope reads by (a platform's, or a tenant's)."""
    return visible(label, var, platform=scope.platform)


def face_match_visible(subject: str | None, person: str, *, platform: bool = False) -> LiteralString:
    """The Cypher predicate "the viewer may see that `subject` shows the face of `person`": the one rule of
    who sees a face match (DESIGN, "Likeness matching"). Everyone who sees the whole graph does (admins,
    regulators, investigators: no scope, no predicate); a tenant only for a person it answers for (the
    person herself, her agency while it represents her: `$selves`), or on an asset it published itself.
    Never otherwise a brand or a vendor, even one that sees the sighting or the asset; never a platform
    (`platform`: the predicate is false).

    `subject` is the variable of the Sighting or Asset the face is on, or None for a file not recorded (a
    trace): then only the person decides. Place it where `VISIBLE(…)` goes, with the scope's parameters;
    in a `scoped` query write `FACE_VISIBLE(subject, person)` (or `FACE_VISIBLE(-, person)`)."""
    for var in (subject, person):
        if var is not None and (not _VARIABLE.match(var) or var.startswith("vis_")):
            raise ValueError(f"expected a plain Cypher variable name not starting with 'vis_' (got {var!r})")
    if platform:
        return cast(LiteralString, _NOTHING)
    selves = f"{person}.id IN $selves"
    if subject is None:
        return cast(LiteralString, f"({selves})")
    own = f"({subject}:Asset AND {_exists(f'({subject})-[:PUBLISHED_BY]->(vis_x)')})"
    return cast(LiteralString, f"({selves} OR {own})")


_FACE_MARKER = re.compile(r"FACE_VISIBLE\((\w+|-), *(\w+)\)")
_MARKER = re.compile(r"VISIBLE\((\w+):(\w+|\*)\)")


@dataclass(frozen=True)
class Scoped:
    """One query in three forms: for callers who see everything, filtered by `$viewer` for a tenant, and
    filtered by `$viewer` as a platform sees."""

    everything: LiteralString
    restricted: LiteralString
    platform: LiteralString

    def for_scope(self, scope: Scope | None) -> tuple[LiteralString, dict[str, Any]]:
        """The form to run for this scope and the parameters it needs."""
        if scope is None:
            return self.everything, {}
        return (self.platform if scope.platform else self.restricted), scope.params()


def scoped(cypher: LiteralString) -> Scoped:
    """A query written with `VISIBLE(var:Label)` markers (`VISIBLE(var:*)` for any label) where the
    caller's visibility applies, and `FACE_VISIBLE(subject, person)` where a face match's does
    (`face_match_visible`): unrestricted, each marker reads `true`; restricted, the predicate."""

    def form(platform: bool) -> LiteralString:
        def predicate(match: re.Match[str]) -> str:
            var, label = match.group(1), match.group(2)
            return visible(None if label == "*" else label, var, platform=platform)

        def face(match: re.Match[str]) -> str:
            subject, person = match.group(1), match.group(2)
            return face_match_visible(None if subject == "-" else subject, person, platform=platform)

        return cast(LiteralString, _MARKER.sub(predicate, _FACE_MARKER.sub(face, cypher)))

    return Scoped(
        everything=cast(LiteralString, _MARKER.sub("true", _FACE_MARKER.sub("true", cypher))),
        restricted=form(platform=False),
        platform=form(platform=True),
    )
