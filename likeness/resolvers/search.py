"""search (one box for ids, names and hashes), verdictHistory (an asset's stored verdict spans), a twin's
verdicts (its stored verdicts at an instant) and viewer (who the credential says the caller is), each read
through the caller's visibility."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from likeness.errors import InvalidInput
from likeness.graph import search as stored
from likeness.graph import similarity
from likeness.graph.audit import asset_spans
from likeness.graph.evidence import held_verdicts_of
from likeness.graph.verdict_counts import OPEN_END
from likeness.resolvers.common import as_of_arg
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node
from likeness.rules.facts import Verdict

MAX_TEXT = 200
MAX_HITS = 100
# how near a perceptual hash must be to count as found by search (the wide layout's reach)
SEARCH_PHASH_DISTANCE = 8

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_PHASH = re.compile(r"^[0-9a-fA-F]{16}$")
# no id holds a space: a text with one is looked for among names only
_SPACE = re.compile(r"\s")

MatchedBy = Literal["ID", "SHA256", "PHASH", "NAME", "ID_PART"]


@dataclass(frozen=True)
class SearchHit:
    """One node found, how it was found, and how near (a name's score, a perceptual hash's distance)."""

    node: Node
    matched_by: MatchedBy
    score: float | None = None
    distance: int | None = None


def _text(text: str) -> str:
    found = text.strip()
    if not found:
        raise InvalidInput("text", text, "expected an id, a name, a sha256 or a phash to search for")
    if len(found) > MAX_TEXT:
        raise InvalidInput("text", text, f"expected at most {MAX_TEXT} characters")
    return found


async def search(context: Context, text: str, first: int) -> list[SearchHit]:
    """What the text names, among the nodes the caller may see: the node with that id, the assets,
    captures and sightings with that sha256, the assets within distance 8 of that phash, the persons
    and organizations whose names start with its words, and the nodes whose id holds the text (one word
    of 3 characters or more: `knockoff` finds `asset-maren-liv-knockoff`); exact matches first, each
    node once."""
    text = _text(text)
    if not 1 <= first <= MAX_HITS:
        raise InvalidInput("first", first, f"expected a number of hits from 1 to {MAX_HITS}")
    hits: list[SearchHit] = []
    by_id = await context.nodes().load(text)
    if by_id is not None:
        hits.append(SearchHit(by_id, "ID"))
    if _SHA256.match(text):
        found = await stored.by_sha256(context.graph, sha256=text.lower(), limit=first, scope=context.scope)
        hits.extend(SearchHit(node, "SHA256") for node in found)
    if _PHASH.match(text):
        near = await similarity.similar_assets(
            context.graph,
            phash=text.lower(),
            max_distance=SEARCH_PHASH_DISTANCE,
            limit=first,
            scope=context.scope,
        )
        hits.extend(SearchHit(node, "PHASH", distance=distance) for distance, node in near)
    named = await stored.by_name(context.graph, text=text, limit=first, scope=context.scope)
    hits.extend(SearchHit(node, "NAME", score=score) for score, node in named)
    if not _SPACE.search(text):
        inside = await stored.by_id_part(context.graph, text=text, limit=first, scope=context.scope)
        hits.extend(SearchHit(node, "ID_PART") for node in inside)
    seen: set[str] = set()
    unique = []
    for hit in hits:
        if hit.node["id"] not in seen:
            seen.add(hit.node["id"])
            unique.append(hit)
    return unique[:first]


@dataclass(frozen=True)
class Span:
    """A verdict and the as-of period over which it holds (`until` None while it still holds)."""

    verdict: Verdict
    since: datetime
    until: datetime | None


async def verdict_history(context: Context, asset_id: str) -> list[Span]:
    """Every stored verdict span of the asset, oldest first; empty when the caller may not see it."""
    if not asset_id:
        raise InvalidInput("assetId", asset_id, "expected an asset id")
    spans = await asset_spans(context.graph, asset_id=asset_id, scope=context.scope)
    return [Span(span.verdict, span.start, None if span.end == OPEN_END else span.end) for span in spans]


async def subject_verdicts(context: Context, subject_id: str, as_of: datetime | None) -> tuple[Verdict, ...]:
    """The stored verdicts holding on one subject (a twin) as of an instant (default now), in the rules'
    order; only those the caller may see."""
    moment = as_of_arg(as_of)
    held = await held_verdicts_of(context.graph, [subject_id], as_of=moment, scope=context.scope)
    return held.get(subject_id, ())


@dataclass(frozen=True)
class Viewer:
    role: str
    party_id: str | None


def viewer(context: Context) -> Viewer:
    """Who the credential says the caller is: its role and the party it acts as."""
    principal = context.principal
    return Viewer(role=principal.role, party_id=principal.party_id)
