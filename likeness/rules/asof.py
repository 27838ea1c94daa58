"""The world as it stood at an instant: only facts effective by ``as_of`` count.

The graph keeps facts dated in the future of an audit instant (a revocation dated next month, a
sighting not yet made); a verdict as of ``T`` must not see them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from likeness.rules.facts import AssetWorld, ConsentFacts, TwinWorld


def consent_as_of(consent: ConsentFacts, as_of: datetime) -> ConsentFacts | None:
    """The consent as known at ``as_of``: None before it was signed, its revocation only once dated."""
    if consent.signed_at > as_of:
        return None
    if consent.revoked_at is not None and consent.revoked_at > as_of:
        return replace(consent, revoked_at=None)
    return consent


def twin_facts_as_of(world: TwinWorld, as_of: datetime) -> TwinWorld | None:
    """The twin's world at ``as_of``: None before it was built; consents signed by then, revocations
    dated by then."""
    if world.twin.built_at > as_of:
        return None
    consents = tuple(
        known for consent in world.consents if (known := consent_as_of(consent, as_of)) is not None
    )
    if len(consents) == len(world.consents) and all(
        known is consent for known, consent in zip(consents, world.consents, strict=True)
    ):
        return world
    return replace(world, consents=consents)


def facts_as_of(world: AssetWorld, as_of: datetime) -> AssetWorld | None:
    """The asset's world at ``as_of``: None before publication; withdrawal, twins, consents and
    sightings dated by then."""
    asset = world.asset
    if asset.published_at > as_of:
        return None
    if asset.withdrawn_at is not None and asset.withdrawn_at > as_of:
        asset = replace(asset, withdrawn_at=None)
    twins = {
        twin_id: known
        for twin_id, twin_world in world.twins.items()
        if (known := twin_facts_as_of(twin_world, as_of)) is not None
    }
    sightings = tuple(sighting for sighting in world.sightings if sighting.observed_at <= as_of)
    return AssetWorld(asset=asset, twins=twins, sightings=sightings, faces=world.faces)
