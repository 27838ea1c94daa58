"""The history of an asset's or a twin's verdicts over as-of instants, as spans the graph can store.

Every fact enters a verdict through a comparison ``x <= T`` with the as-of instant ``T`` (a fact dated
by then, a window that closed by then), so verdicts are constant on ``[p, q)`` between consecutive
instants ``x`` of the world. The timeline evaluates the rules once at each such instant and merges
equal neighbours: ``verdicts_for_asset(world, T)`` always equals the verdicts of the span holding ``T``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from likeness.rules.asof import facts_as_of, twin_facts_as_of
from likeness.rules.asset import asset_verdicts
from likeness.rules.clauses import is_build_candidate, is_use_candidate
from likeness.rules.facts import AssetWorld, ConsentFacts, SightingFacts, TwinWorld, Verdict, VerdictSpan
from likeness.rules.twin import build_verdicts
from likeness.rules.use import use_of
from likeness.rules.windows import revocation_deadline


def _consent_instants(consent: ConsentFacts) -> Iterable[datetime | None]:
    return (
        consent.signed_at,
        consent.valid_from,
        consent.valid_until,
        consent.revoked_at,
        revocation_deadline(consent),
    )


def _relevant_twin_world(world: TwinWorld, keep: Callable[[ConsentFacts], bool]) -> TwinWorld:
    consents = tuple(consent for consent in world.consents if keep(consent))
    return world if len(consents) == len(world.consents) else replace(world, consents=consents)


def _relevant_sightings(sightings: Iterable[SightingFacts], ends: Iterable[datetime]) -> tuple[SightingFacts, ...]:
    """The sightings that can change a verdict: per platform, the first one at or after each possible end.

    A sighting only matters by naming its platform as liable for an asset still live after coverage
    ended at some window end E; the first sighting of that platform at or after E decides when.
    """
    by_platform: dict[str, list[SightingFacts]] = {}
    for sighting in sightings:
        if sighting.platform_id is not None:
            by_platform.setdefault(sighting.platform_id, []).append(sighting)
    kept: list[SightingFacts] = []
    ends = sorted(set(ends))
    for platform_sightings in by_platform.values():
        platform_sightings.sort(key=lambda sighting: sighting.observed_at)
        instants = [sighting.observed_at for sighting in platform_sightings]
        chosen = {bisect_left(instants, end) for end in ends}
        kept.extend(platform_sightings[index] for index in sorted(chosen) if index < len(platform_sightings))
    return tuple(kept)


def relevant_asset_world(world: AssetWorld) -> AssetWorld:
    """The asset's world stripped of facts no verdict on it can depend on (consents to others, ...)."""
    use = use_of(world.asset)
    twins = {
        twin_id: _relevant_twin_world(
            twin_world,
            lambda consent, twin=twin_world.twin: is_use_candidate(consent, twin, use)
            or is_build_candidate(consent, twin),
        )
        for twin_id, twin_world in world.twins.items()
        if twin_id in world.asset.twin_ids
    }
    ends = [
        end
        for twin_world in twins.values()
        for consent in twin_world.consents
        for end in (consent.valid_until, revocation_deadline(consent))
        if end is not None
    ]
    return AssetWorld(asset=world.asset, twins=twins, sightings=_relevant_sightings(world.sightings, ends))


def _asset_instants(world: AssetWorld) -> list[datetime]:
    asset = world.asset
    found: set[datetime | None] = {asset.published_at, asset.withdrawn_at}
    for twin_world in world.twins.values():
        found.add(twin_world.twin.built_at)
        for consent in twin_world.consents:
            found.update(_consent_instants(consent))
    found.update(sighting.observed_at for sighting in world.sightings)
    return sorted(moment for moment in found if moment is not None and moment >= asset.published_at)


def _twin_instants(world: TwinWorld) -> list[datetime]:
    found: set[datetime | None] = {world.twin.built_at}
    for consent in world.consents:
        found.update(_consent_instants(consent))
    return sorted(moment for moment in found if moment is not None and moment >= world.twin.built_at)


def _spans(instants: list[datetime], evaluate: Callable[[datetime], tuple[Verdict, ...]]) -> tuple[VerdictSpan, ...]:
    spans: list[VerdictSpan] = []
    for index, start in enumerate(instants):
        verdicts = evaluate(start)
        end = instants[index + 1] if index + 1 < len(instants) else None
        if not verdicts:
            continue
        if spans and spans[-1].end == start and spans[-1].verdicts == verdicts:
            spans[-1] = VerdictSpan(start=spans[-1].start, end=end, verdicts=verdicts)
        else:
            spans.append(VerdictSpan(start=start, end=end, verdicts=verdicts))
    return tuple(spans)


def asset_timeline(world: AssetWorld) -> tuple[VerdictSpan, ...]:
    """Every stretch of as-of instants with the asset's verdicts over it, sorted, merged, empty ones left out."""
    relevant = relevant_asset_world(world)

    def evaluate(as_of: datetime) -> tuple[Verdict, ...]:
        known = facts_as_of(relevant, as_of)
        return () if known is None else asset_verdicts(known, as_of)

    return _spans(_asset_instants(relevant), evaluate)


def twin_timeline(world: TwinWorld) -> tuple[VerdictSpan, ...]:
    """Every stretch of as-of instants with the twin's verdicts over it, sorted, merged, empty ones left out."""
    twin = world.twin
    relevant = _relevant_twin_world(world, lambda consent: is_build_candidate(consent, twin))

    def evaluate(as_of: datetime) -> tuple[Verdict, ...]:
        known = twin_facts_as_of(relevant, as_of)
        return () if known is None else build_verdicts(known)

    return _spans(_twin_instants(relevant), evaluate)


def verdicts_at(spans: tuple[VerdictSpan, ...], as_of: datetime) -> tuple[Verdict, ...]:
    """The verdicts of the span holding ``as_of`` (empty when none does): a stored timeline read back."""
    index = bisect_left([span.start for span in spans], as_of)
    if index < len(spans) and spans[index].start == as_of:
        return spans[index].verdicts
    if index == 0:
        return ()
    span = spans[index - 1]
    return span.verdicts if span.end is None or as_of < span.end else ()
