"""provenance and liability: the chain behind one asset and the verdicts on it, as of an instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness.errors import InvalidInput
from likeness.graph.provenance import find_asset_id, provenance_as_of
from likeness.graph.worlds import asset_worlds
from likeness.resolvers.common import as_of_arg
from likeness.resolvers.context import Context
from likeness.resolvers.records import Node, ProvenanceChain
from likeness.rules.facts import AssetWorld, Liability, Verdict


async def asset_world(context: Context, asset_id: str) -> AssetWorld | None:
    async def work(tx: Any) -> Any:
        return await asset_worlds(tx, [asset_id])

    return (await context.graph.read(work)).get(asset_id)


def _one_of(asset_id: str | None, sha256: str | None) -> None:
    if (asset_id is None) == (sha256 is None):
        raise InvalidInput("assetId", asset_id, "give exactly one of assetId or sha256")


async def resolve_asset(context: Context, asset_id: str | None, sha256: str | None) -> str | None:
    _one_of(asset_id, sha256)
    return await find_asset_id(
        context.graph, asset_id=asset_id, sha256=sha256.lower() if sha256 else None, scope=context.scope
    )


def liable_parties(verdicts: tuple[Verdict, ...]) -> tuple[Liability, ...]:
    """Every party liable under the verdicts, once: the primary ones first, each role in verdict order."""
    seen: set[str] = set()
    liable: list[Liability] = []
    for role in ("PRIMARY", "SECONDARY"):
        for verdict in verdicts:
            for party in verdict.liable:
                if party.role == role and party.party_id not in seen:
                    seen.add(party.party_id)
                    liable.append(party)
    return tuple(liable)


def _first(nodes: list[Node]) -> Node | None:
    return nodes[0] if nodes else None


async def provenance(
    context: Context, asset_id: str | None, sha256: str | None, as_of: datetime | None
) -> ProvenanceChain | None:
    """The chain and the verdicts as of `as_of` (default now); None when no such asset was published by
    then.

    The verdicts are the asset's stored span holding at `as_of`, which the write path keeps equal to
    the rules' answer for that instant (verdicts.refresh), so one round trip answers the whole question.
    """
    moment = as_of_arg(as_of)
    _one_of(asset_id, sha256)
    found = await provenance_as_of(
        context.graph,
        asset_id=asset_id,
        sha256=sha256.lower() if sha256 else None,
        as_of=moment,
        scope=context.scope,
    )
    if found is None:
        return None
    parts, verdicts = found
    asset = parts["asset"][0]
    if asset["publishedAt"] > moment:
        return None
    return ProvenanceChain(
        as_of=moment,
        asset=asset,
        twins=parts["twins"],
        captures=parts["captures"],
        persons=parts["persons"],
        vendors=parts["vendors"],
        publisher=_first(parts["publisher"]),
        sublicensed_from=_first(parts["sublicensor"]),
        campaign=_first(parts["campaign"]),
        consents=parts["consents"],
        verdicts=verdicts,
        liable=liable_parties(verdicts),
    )
