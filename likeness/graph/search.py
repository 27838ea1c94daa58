"""Search by name (a full-text index over person and organization names), by part of an id (a text index
over every entity's id) and by hash (the sha256 of an asset, capture or sighting), each answer filtered by
the caller's visibility inside the query.

The name index (`entity_names`, graph.migrations) is Lucene's: the text a user types is cut into words
and each word escaped for Lucene's query syntax before it becomes a prefix term, so no character a user
types can change the query's meaning (`AND`, quotes, brackets, `*`, `\\` are all plain text).
"""

from __future__ import annotations

import re

from likeness.graph.driver import Graph
from likeness.graph.projection import fields, node
from likeness.graph.reads import Node
from likeness.graph.visibility import Scope, scoped

# how many index hits a name search reads before filtering by visibility (a tenant may see few of them)
_NAME_CANDIDATES = 500

# how many nodes whose id holds the text a search reads before filtering by visibility (an index seek,
# stopped there: a short text such as `ass` holds in every asset's id)
_ID_PART_CANDIDATES = 500
# the shortest text looked for inside ids: the text index (`entity_id_text`) is a trigram index
ID_PART_MIN = 3

# every character Lucene's classic query parser gives a meaning to
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_WORD = re.compile(r"\w+")

# VISIBLE(…) marks where a tenant's visibility applies (graph.visibility.scoped)
_BY_NAME = scoped(
    """
    CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: $candidates}) YIELD node, score
    WHERE (node:Organization OR (node:Person AND VISIBLE(node:Person)))
    RETURN ["""
    + fields("node")
    + """, labels(node)] AS found, score
    ORDER BY score DESC, node.id
    LIMIT $limit
"""
)
# by part of an id, through the text index `entity_id_text` (graph.migrations): candidates in the index's
# order, stopped at $candidates, then those the caller may see; an id starting with the text first, then
# the shorter ids
_BY_ID_PART = scoped(
    """
    MATCH (n:Entity) USING TEXT INDEX n:Entity(id) WHERE n.id CONTAINS $part
    WITH n LIMIT $candidates
    WITH n WHERE VISIBLE(n:*)
    RETURN ["""
    + fields("n")
    + """, labels(n)] AS found
    ORDER BY n.id STARTS WITH $part DESC, size(n.id), n.id
    LIMIT $limit
"""
)
_BY_SHA256 = scoped(
    """
    CALL () {
      MATCH (n:Asset {sha256: $sha256}) WHERE VISIBLE(n:Asset) RETURN n
      UNION
      MATCH (n:Capture {sha256: $sha256}) WHERE VISIBLE(n:Capture) RETURN n
      UNION
      MATCH (n:Sighting {sha256: $sha256}) WHERE VISIBLE(n:Sighting) RETURN n
    }
    RETURN ["""
    + fields("n")
    + """, labels(n)] AS found
    ORDER BY n.id
    LIMIT $limit
"""
)


def lucene_escape(word: str) -> str:
    """A word with every character Lucene's query syntax reads as an operator escaped."""
    return _LUCENE_SPECIAL.sub(r"\\\1", word)


def name_query(text: str) -> str | None:
    """The Lucene query for a user's text: every word, lower-cased and escaped, as a required prefix
    (`liv åb` → `+liv* +åb*`); None when the text has no word at all."""
    words = _WORD.findall(text.lower())
    if not words:
        return None
    return " ".join(f"+{lucene_escape(word)}*" for word in words)


async def by_name(graph: Graph, *, text: str, limit: int, scope: Scope | None) -> list[tuple[float, Node]]:
    """Persons and organizations whose names hold every word of the text as a prefix, best first."""
    query = name_query(text)
    if query is None:
        return []
    cypher, extra = _BY_NAME.for_scope(scope)
    rows = await graph.query(cypher, query=query, candidates=_NAME_CANDIDATES, limit=limit, **extra)
    return [(row["score"], node(*row["found"])) for row in rows]


async def by_id_part(graph: Graph, *, text: str, limit: int, scope: Scope | None) -> list[Node]:
    """The nodes whose id holds the text (of at least ID_PART_MIN characters, as typed), those starting
    with it first, then the shorter ids."""
    if len(text) < ID_PART_MIN:
        return []
    cypher, extra = _BY_ID_PART.for_scope(scope)
    rows = await graph.query(cypher, part=text, candidates=_ID_PART_CANDIDATES, limit=limit, **extra)
    return [node(*row["found"]) for row in rows]


async def by_sha256(graph: Graph, *, sha256: str, limit: int, scope: Scope | None) -> list[Node]:
    """The assets, captures and sightings whose file has this sha256, by id."""
    cypher, extra = _BY_SHA256.for_scope(scope)
    rows = await graph.query(cypher, sha256=sha256, limit=limit, **extra)
    return [node(*row["found"]) for row in rows]
