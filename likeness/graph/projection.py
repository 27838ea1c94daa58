"""Nodes projected for the wire: temporal values as ISO text, bookkeeping properties left behind.

The driver turns every Neo4j temporal it receives into a Python object through pure-Python calendar
arithmetic, about 0.2 ms each on a 2-core machine, while `datetime.fromisoformat` takes under a
microsecond; a provenance answer carries dozens of instants and an audit page thousands. Reads on
the hot paths therefore project a node as `[[key, value, kind], …]` (`fields`) with temporals as
text, and `node` rebuilds exactly what `graph.reads.node_of` builds from `properties(n)`: instants
as UTC datetimes (microseconds, as the driver's conversion keeps), dates as dates, no bookkeeping.

Pages of a list read only the properties their selection asks for, as a map projection written for that
set (`selected_map`): each property read by name, its kind known from its name rather than tested per
value (a page of 676 assets: ~35 % less time in Neo4j than the per-value type tests, docs/performance.md).
The temporal properties' names are one table (`INSTANTS`, `DATES`); tests/api/test_lists.py checks that a
world where every kind of event was recorded stores no other temporal property.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, LiteralString, cast

Node = dict[str, Any]

# Internal bookkeeping properties never shown as fields.
_HIDDEN = {"input", "revocation", "withdrawal", "ord", "revocationOrd", "withdrawalOrd"}

_INSTANT, _DATE = 1, 2
# the temporal properties of the nodes, by name: what graph.writes stores as DateTime and as Date
INSTANTS = frozenset(
    {
        "recordedAt", "capturedAt", "builtAt", "signedAt", "validFrom", "validUntil", "revokedAt",
        "revocationRecordedAt", "startsAt", "endsAt", "publishedAt", "withdrawnAt", "withdrawalRecordedAt",
        "observedAt", "paidAt", "sentAt", "dueAt", "enrolledAt",
    }
)  # fmt: skip
DATES = frozenset({"birthDate"})
# a property name a selected_map may read: a schema field's name (GraphQL validated it), checked again
_PROPERTY = re.compile(r"^[a-z][A-Za-z0-9]{0,63}$")
# the properties graph.reads.node_of never shows (the stored input JSON is most of a node's bytes)
_BOOKKEEPING = "[" + ", ".join(f"'{key}'" for key in sorted(_HIDDEN)) + "]"
_VARIABLE = re.compile(r"^[a-z][A-Za-z0-9_]*$")


def fields(var: str) -> LiteralString:
    """The Cypher expression projecting node `var` as its [key, value, kind] triples."""
    if not _VARIABLE.match(var):
        raise ValueError(f"var: expected a plain Cypher variable name (got {var!r})")
    value = f"{var}[proj_key]"
    # built only from constants and a checked variable name: no input reaches it
    return cast(
        LiteralString,
        (
            f"[proj_key IN keys({var}) WHERE NOT proj_key IN {_BOOKKEEPING} | [proj_key, "
            f"CASE WHEN {value} IS :: ZONED DATETIME OR {value} IS :: DATE "
            f"THEN toString({value}) ELSE {value} END, "
            f"CASE WHEN {value} IS :: ZONED DATETIME THEN {_INSTANT} "
            f"WHEN {value} IS :: DATE THEN {_DATE} ELSE 0 END]]"
        ),
    )


def selected_map(var: str, props: tuple[str, ...]) -> LiteralString:
    """`var {.id, publishedAt: toString(var.publishedAt)}`: the properties `props` of node `var`, the
    temporal ones (INSTANTS, DATES) as text. The names are the selection's fields, which GraphQL validated
    against the schema; each is checked again to be a plain property name, so no text but a name reaches
    the statement."""
    if not _VARIABLE.match(var):
        raise ValueError(f"var: expected a plain Cypher variable name (got {var!r})")
    parts: list[str] = []
    for prop in props:
        if not _PROPERTY.match(prop):
            raise ValueError(f"props: {prop!r} is not a property name")
        temporal = prop in INSTANTS or prop in DATES
        parts.append(f"`{prop}`: toString({var}.`{prop}`)" if temporal else f".`{prop}`")
    return cast(LiteralString, var + " {" + ", ".join(parts) + "}")


def from_map(values: dict[str, Any], temporals: tuple[tuple[str, bool], ...]) -> Node:
    """A `selected_map` row as graph.reads.node_of gives it: `temporals` are its (property, is an instant)
    pairs (instants become UTC datetimes, dates dates); the row itself is the node (no labels yet)."""
    for prop, is_instant in temporals:
        value = values[prop]
        if value is not None:
            values[prop] = instant(value) if is_instant else date.fromisoformat(value)
    return values


def temporals_of(props: tuple[str, ...] | list[str]) -> tuple[tuple[str, bool], ...]:
    """The temporal properties among `props`, each with whether it is an instant (else a date)."""
    return tuple((prop, prop in INSTANTS) for prop in props if prop in INSTANTS or prop in DATES)


def instant(text: str) -> datetime:
    """An instant Cypher printed (`…T05:44:57.661Z`, maybe `[zone]`), in UTC, to the microsecond."""
    text = text.split("[", 1)[0]
    return datetime.fromisoformat(text).astimezone(UTC)


def node(triples: list[list[Any]], labels: list[str]) -> Node:
    """The node a `fields` projection describes, as graph.reads.node_of gives it."""
    found: Node = {}
    for key, value, kind in triples:
        if kind == _INSTANT:
            value = instant(value)
        elif kind == _DATE:
            value = date.fromisoformat(value)
        found[key] = value
    found["_labels"] = labels
    return found
