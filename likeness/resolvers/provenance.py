"""provenance and liability: the chain behind one asset and the rules' verdicts on it, as of an instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness import rules
from likeness.errors import InvalidInput
from likeness.graph.provenance import find_asset_id, provenance_chain
from likeness.graph.worlds import asset_worlds
from likeness.rules.facts import AssetWorld, Verdict


async def asset_world(context: Any, asset_id: str) -> AssetWorld | None:
    async def work(tx: Any) -> Any:
        return await asset_worlds(tx, [asset_id])

    return (await context.graph.read(work)).get(asset_id)


async def resolve_asset(context: Any, asset_id: str | None, sha256: str | None) -> str | None:
    if (asset_id is None) == (sha256 is None):
        raise InvalidInput("assetId", asset_id, "give exactly one of assetId or sha256")
    return await find_asset_id(context.graph, asset_id=asset_id, sha256=sha256.lower() if sha256 else None,
                               scope=context.scope)


async def provenance(
    context: Any, asset_id: str | None, sha256: str | None, as_of: datetime
) -> tuple[dict[str, Any], tuple[Verdict, ...]] | None:
    """The chain and the verdicts as of `as_of`; None when no such asset was published by then."""
    found = await resolve_asset(context, asset_id, sha256)
    if found is None:
        return None
    chain = await provenance_chain(context.graph, found, scope=context.scope)
    if not chain or chain["asset"][0]["publishedAt"] > as_of:
        return None
    world = await asset_world(context, found)
    verdicts = rules.verdicts_for_asset(world, as_of) if world is not None else ()
    return chain, verdicts
