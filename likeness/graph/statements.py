"""Every statement graph runs, gathered for the warm-up: `warm_plans` has Neo4j plan each once (by
running the reads with parameters that match nothing), so that the first request after a start or a
restart of Neo4j does not pay for it.

The registry is found, not kept by hand: the constants of every module of this package (strings,
the three forms of a `scoped` query, the values of dicts and tuples of them) and the list statements
`graph.lists` builds (each relation in each order, with and without the caller's visibility, a
tenant's or a platform's). A constant that is a piece of a statement (a clause added to others) does
not run on its own and is passed over, and so is a write (the reads run in read mode; ingest.warmup
rehearses the writes);
tests/ops/test_warm_start.py checks that every constant is inside a statement that ran, here or in the
rehearsal, so a statement added anywhere in graph is warmed without anyone remembering to. The list
statements with several filters at once are the one family not warmed in every combination.

Each statement is planned with parameters of the types the code passes (`sample_value`): Neo4j keys
its plan cache by the statement and its parameters' types.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, Query
from neo4j.exceptions import ClientError

from likeness.graph.driver import Graph, is_transaction_timeout
from likeness.graph.visibility import Scoped, scoped

logger = logging.getLogger(__name__)

# modules whose statements the API never runs while serving (schema changes run once, before it serves;
# the law packs' bookkeeping runs at start, before it says it is ready, and from `likeness laws apply`)
_NOT_SERVED = {"migrations", "statements", "law_packs"}
# statements only commands run, never the API: `likeness keys create|revoke`, `likeness reevaluate` (and
# the recount a process makes at start, before it serves)
_COMMANDS_ONLY = {
    ("keys", "_CREATE"),
    ("keys", "_REVOKE"),
    ("verdict_counts", "DELETE_BUCKETS"),
    ("verdict_spans", "DELETE_BUCKETS"),
    ("verdict_counts", "_RECOUNT_LOCK"),
    ("verdict_spans", "_DELETE_ALL"),
    # stored answers rewritten with no log entry: by those commands, and at start before the API serves
    ("log", "_MARK_REWRITTEN"),
}
_CLAUSE = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|UNWIND|CALL|WITH|MERGE|CREATE|RETURN)\b")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

_INSTANTS = {
    "asOf",
    "afterAt",
    "from",
    "to",
    "until",
    "at",
    "createdAt",
    "dayStart",
    "seekFrom",
    "publishedFrom",
    "publishedBefore",
    "now",
}
_DATES = {"month", "day"}
_INTEGERS = {"limit", "candidates", "after", "nearest", "beforeSeq", "expiryDays", "seconds"}
_FLOATS = {"threshold"}
# a face's template (graph.faces): a list of floats of the index's length ...
_VECTORS = {"vector"}
# ... and a file's faces, none: a search planned without running the index's procedure on a made-up face
_EMPTY_LISTS = {"faces"}
_MAPS = {"entry"}
_LISTS_OF_MAPS = {"rows", "probes", "pairs", "links", "targets", "days", "months", "keys", "alerts"}
_LISTS_OF_TEXT = {
    "ids",
    "selves",
    "codes",
    "laws",
    "places",
    "verdictCodes",
    "statuses",
    "channels",
    "props",
    "withInput",
    "exclude",
    "types",
}


def sample_value(name: str) -> Any:
    """A value of the type the code passes for the parameter `name` (what Neo4j plans for)."""
    if name in _INSTANTS:
        return datetime(2026, 1, 1, tzinfo=UTC)
    if name in _DATES:
        return date(2026, 1, 1)
    if name in _INTEGERS:
        return 1
    if name in _FLOATS:
        return 0.6
    if name in _VECTORS:
        return [0.0] * 128
    if name in _EMPTY_LISTS:
        return []
    if name in _MAPS:
        return {"seq": 0}
    if name in _LISTS_OF_MAPS:
        return [{"id": "warmup"}]
    if name in _LISTS_OF_TEXT or name.endswith("Ids") or re.fullmatch(r"b\d+", name):
        return ["warmup"]
    if name.startswith("with"):
        return True
    return "warmup"


def parameters_of(cypher: str) -> dict[str, Any]:
    """Sample parameters for every `$name` the statement reads."""
    return {name: sample_value(name) for name in _PARAMETER.findall(cypher)}


def _constants(value: Any) -> Iterator[str]:
    if isinstance(value, Scoped):
        yield value.everything
        yield value.restricted
        yield value.platform
    elif isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in cast(dict[Any, Any], value).values():
            yield from _constants(item)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in cast(tuple[Any, ...], value):
            yield from _constants(item)


def _list_statements() -> Iterator[str]:
    from likeness.graph import lists

    for relation, spec in lists.RELATIONS.items():
        filters = [(), *((name,) for name in lists.ASSET_FILTERS)] if spec.label == "Asset" else [()]
        for order in spec.orders:
            for restricted, platform in ((False, False), (True, False), (True, True)):
                for chosen in filters:
                    yield lists._statement(  # noqa: SLF001
                        relation, order, False, restricted, False, chosen, platform=platform
                    )


def pieces() -> list[str]:
    """Every Cypher constant of graph's modules (whole statements and the pieces statements are built of)."""
    import likeness.graph as package

    found: dict[str, None] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name in _NOT_SERVED:
            continue
        module = importlib.import_module(f"likeness.graph.{module_info.name}")
        for name, value in vars(module).items():
            if name.startswith("__") or (module_info.name, name) in _COMMANDS_ONLY:
                continue
            for text in _constants(value):
                if _looks_like_cypher(text):
                    # a piece with visibility markers reads as the statements it goes into do
                    found[scoped(cast(LiteralString, text)).everything if "VISIBLE(" in text else text] = None
    for text in _list_statements():
        found[text] = None
    return list(found)


def _looks_like_cypher(text: str) -> bool:
    """A multi-line text with a Cypher clause keyword, or one line that begins with a clause."""
    return (
        bool(re.search(r"\b(MATCH|RETURN|CREATE|MERGE|UNWIND|SET|DELETE)\b", text))
        and "\n" in text
        or (bool(_CLAUSE.match(text)) and " " in text.strip())
    )


def candidates() -> list[str]:
    """The constants that may be whole statements (they begin with a clause); the warm-up plans each."""
    return [text for text in pieces() if _CLAUSE.match(text)]


# how many statements run at once (Neo4j plans each on one thread), and how long one may take
_AT_ONCE = 2
_EACH_SECONDS = 120.0


async def warm_plans(graph: Graph, statements: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Run every statement once against the current Neo4j, read-only, with sample parameters that match
    nothing; answers (run, passed over). Neo4j refuses a write here (the access mode is read: the
    rehearsal of ingest.warmup runs those) and a piece of a longer statement (it does not parse alone).

    Run, not EXPLAINed: Neo4j does not reuse an EXPLAIN's plan when the statement then runs (measured:
    20 tenant-scoped reads took 2.9 s on their first run after EXPLAIN, 0.13–0.29 s after that)."""
    ran: list[str] = []
    passed: list[str] = []
    gate = asyncio.Semaphore(_AT_ONCE)

    async def warm(text: str) -> None:
        async with gate:
            async with graph.driver.session(
                database=graph.database, default_access_mode=READ_ACCESS
            ) as session:
                try:
                    statement = Query(cast(LiteralString, text), timeout=_EACH_SECONDS)
                    await (await session.run(statement, parameters_of(text))).consume()
                except ClientError as error:
                    if is_transaction_timeout(error):
                        # planned or not, it is not a piece: a busy server may plan it on first use
                        logger.warning(
                            "warm-up: a statement ran past %g s: %.80s", _EACH_SECONDS, text.strip()
                        )
                    else:
                        logger.debug("not run alone (%s): %.80s", error.code, text.strip())
                        passed.append(text)
                        return
            ran.append(text)

    await asyncio.gather(*(warm(text) for text in (statements if statements is not None else candidates())))
    return ran, passed
