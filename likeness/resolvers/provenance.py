"""provenance and liability: the chain behind one asset and the verdicts on it, as of an instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from likeness.errors import InvalidInput
from likeness.graph.provenance import find_asset_id, provenance_as_of
from likeness.graph.worlds import asset_worlds
from likeness.resolvers.context import Context
from likeness.rules.facts import AssetWorld, Verdict


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


async def provenance(
    context: Context, asset_id: str | None, sha256: str | None, as_of: datetime
) -> tuple[dict[str, Any], tuple[Verdict, ...]] | None:
    """The chain and the verdicts as of `as_of`; None when no such asset was published by then.

    The verdicts are the asset's stored span holding at `as_of`, which the write path keeps equal to
    the rules' answer for that instant (graph.verdicts), so one round trip answers the whole question.
    """
    _one_of(asset_id, sha256)
    found = await provenance_as_of(
        context.graph,
        asset_id=asset_id,
        sha256=sha256.lower() if sha256 else None,
        as_of=as_of,
        scope=context.scope,
    )
    if found is None or found[0]["asset"][0]["publishedAt"] > as_of:
        return None
    return found
