"""The history of an asset's or a twin's verdicts over as-of instants, as spans the graph can store.

The known facts change only at the instants facts are dated (publication, withdrawal, build, signing,
revocation, sighting): each is compared with the as-of instant ``T`` as ``x <= T``, so the known facts
are constant on ``[p, q)`` between consecutive such instants. Within one such state the rules can
change their answer once more, where coverage runs out (``AssetEvaluation.live_from``: a
``validUntil`` or a ``revokedAt + takedownDays``). The timeline evaluates the rules once per state,
splits at that instant, and merges equal neighbours, so ``verdicts_for_asset(world, T)`` always equals
the verdicts of the span holding ``T``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from likeness.rules.asof import facts_as_of, twin_facts_as_of
from likeness.rules.asset import evaluate_asset
from likeness.rules.clauses import is_build_candidate, is_use_candidate
from likeness.rules.facts import (
    AssetWorld,
    ConsentFacts,
    SightingFacts,
    SightingWorld,
    TwinWorld,
    UseRequest,
    Verdict,
    VerdictSpan,
)
from likeness.rules.sighting import sighting_instants, verdicts_for_sighting
from likeness.rules.twin import build_verdicts
from likeness.rules.use import use_of
from likeness.rules.windows import revocation_deadline


def _fact_instants(consent: ConsentFacts) -> tuple[datetime | None, ...]:
    """The instants at which what is known of a consent changes: its signing and its revocation."""
    return (consent.signed_at, consent.revoked_at)


def _only_consents(world: TwinWorld, keep: Callable[[ConsentFacts], bool]) -> TwinWorld:
    consents = tuple(consent for consent in world.consents if keep(consent))
    return world if len(consents) == len(world.consents) else replace(world, consents=consents)


def _relevant_to_use(world: TwinWorld, use: UseRequest) -> TwinWorld:
    """The twin's world with only the consents a use of it can be judged by: USE candidates and its
    BUILD ones."""
    twin = world.twin
    return _only_consents(
        world,
        lambda consent: is_use_candidate(consent, twin, use) or is_build_candidate(consent, twin),
    )


def _relevant_sightings(
    sightings: Iterable[SightingFacts], ends: Iterable[datetime]
) -> tuple[SightingFacts, ...]:
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
        twin_id: _relevant_to_use(twin_world, use)
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
    return AssetWorld(
        asset=world.asset,
        twins=twins,
        sightings=_relevant_sightings(world.sightings, ends),
        faces=world.faces,
    )


def _asset_instants(world: AssetWorld) -> list[datetime]:
    asset = world.asset
    found: set[datetime | None] = {asset.published_at, asset.withdrawn_at}
    for twin_world in world.twins.values():
        found.add(twin_world.twin.built_at)
        for consent in twin_world.consents:
            found.update(_fact_instants(consent))
    found.update(sighting.observed_at for sighting in world.sightings)
    return sorted(moment for moment in found if moment is not None and moment >= asset.published_at)


def _twin_instants(world: TwinWorld) -> list[datetime]:
    found: set[datetime | None] = {world.twin.built_at}
    for consent in world.consents:
        found.update(_fact_instants(consent))
    return sorted(moment for moment in found if moment is not None and moment >= world.twin.built_at)


class _Spans:
    """Spans appended in time order, equal neighbours merged and empty ones left out."""

    def __init__(self) -> None:
        self.spans: list[VerdictSpan] = []

    def add(self, start: datetime, end: datetime | None, verdicts: tuple[Verdict, ...]) -> None:
        if not verdicts:
            return
        last = self.spans[-1] if self.spans else None
        if last is not None and last.end == start and last.verdicts == verdicts:
            self.spans[-1] = VerdictSpan(start=last.start, end=end, verdicts=verdicts)
        else:
            self.spans.append(VerdictSpan(start=start, end=end, verdicts=verdicts))


def asset_timeline(world: AssetWorld) -> tuple[VerdictSpan, ...]:
    """Every stretch of as-of instants with the asset's verdicts over it, sorted, merged, empty ones
    left out."""
    relevant = relevant_asset_world(world)
    instants = _asset_instants(relevant)
    spans = _Spans()
    for index, start in enumerate(instants):
        end = instants[index + 1] if index + 1 < len(instants) else None
        known = facts_as_of(relevant, start)
        if known is None:
            continue
        evaluation = evaluate_asset(known)
        split = evaluation.live_from
        if split is not None and start < split and (end is None or split < end):
            spans.add(start, split, evaluation.verdicts(start))
            spans.add(split, end, evaluation.verdicts(split))
        else:
            spans.add(start, end, evaluation.verdicts(start))
    return tuple(spans.spans)


def twin_timeline(world: TwinWorld) -> tuple[VerdictSpan, ...]:
    """Every stretch of as-of instants with the twin's verdicts over it, sorted, merged, empty ones
    left out."""
    twin = world.twin
    relevant = _only_consents(world, lambda consent: is_build_candidate(consent, twin))
    instants = _twin_instants(relevant)
    spans = _Spans()
    for index, start in enumerate(instants):
        known = twin_facts_as_of(relevant, start)
        if known is not None:
            spans.add(
                start, instants[index + 1] if index + 1 < len(instants) else None, build_verdicts(known)
            )
    return tuple(spans.spans)


def sighting_timeline(world: SightingWorld) -> tuple[VerdictSpan, ...]:
    """Every stretch of as-of instants with the sighting's own verdicts over it, sorted, merged, empty
    ones left out. Each of its facts counts from one instant (rules.sighting.sighting_instants), so the
    verdicts are constant between consecutive ones."""
    instants = sighting_instants(world)
    spans = _Spans()
    for index, start in enumerate(instants):
        end = instants[index + 1] if index + 1 < len(instants) else None
        spans.add(start, end, verdicts_for_sighting(world, start))
    return tuple(spans.spans)


def verdicts_at(spans: tuple[VerdictSpan, ...], as_of: datetime) -> tuple[Verdict, ...]:
    """The verdicts of the span holding ``as_of`` (empty when none does): a stored timeline read back."""
    index = bisect_left([span.start for span in spans], as_of)
    if index < len(spans) and spans[index].start == as_of:
        return spans[index].verdicts
    if index == 0:
        return ()
    span = spans[index - 1]
    return span.verdicts if span.end is None or as_of < span.end else ()
