"""Nodes projected for the wire: temporal values as ISO text, bookkeeping properties left behind.

The driver turns every Neo4j temporal it receives into a Python object through pure-Python calendar
arithmetic, about 0.2 ms each on a 2-core machine, while `datetime.fromisoformat` takes under a
microsecond; a provenance answer carries dozens of instants and an audit page thousands. Reads on
the hot paths therefore project a node as `[[key, value, kind], …]` (`fields`) with temporals as
text, and `node` rebuilds exactly what `graph.reads.node_of` builds from `properties(n)`: instants
as UTC datetimes (microseconds, as the driver's conversion keeps), dates as dates, no bookkeeping.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, LiteralString, cast

Node = dict[str, Any]

# Internal bookkeeping properties never shown as fields.
_HIDDEN = {"input", "revocation", "withdrawal", "ord", "revocationOrd", "withdrawalOrd"}

_INSTANT, _DATE = 1, 2
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
