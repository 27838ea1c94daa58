"""Stored verdicts: re-evaluate exactly what an event can touch, in the writing transaction.

Each subject (asset, twin or sighting) keeps its verdict history as spans of as-of instants [start, end)
in which a verdict holds (rules.asset_timeline, twin_timeline, sighting_timeline), stored by
graph.verdict_spans, so "which verdicts hold as of T" is an index range scan, never a re-evaluation.
This service runs the rules over the facts graph.worlds reads and hands the spans back to graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from neo4j import AsyncManagedTransaction
from prometheus_client import Counter

from likeness import rules
from likeness.events.contract import SPECS, Event
from likeness.events.fields import format_instant
from likeness.graph.driver import Graph
from likeness.graph.jurisdictions import GroundingFacts, grounding_facts
from likeness.graph.law_packs import record_packs
from likeness.graph.log import mark_rewritten
from likeness.graph.verdict_counts import OPEN_END
from likeness.graph.verdict_spans import (
    all_subjects,
    delete_all_spans,
    reached_sightings,
    reached_subjects,
    replace_spans,
)
from likeness.graph.worlds import asset_worlds, sighting_worlds, twin_worlds
from likeness.laws import book
from likeness.laws.grounding import (
    AssetOccasion,
    ConsentOccasion,
    Grounded,
    NoticeOccasion,
    ground,
    places_of,
)
from likeness.rules.facts import AssetWorld, SightingWorld, TwinWorld, Verdict, VerdictSpan

logger = logging.getLogger(__name__)

VERDICT_REFRESHES = Counter(
    "likeness_verdict_refreshes",
    "Subjects whose verdicts were re-evaluated and stored, by subject (twin, asset, sighting) and how "
    "(incremental: after a write, in its transaction, counted per attempt; full: likeness reevaluate)",
    ["subject", "how"],
)


# what each seed an event names (its spec's `touches`, likeness.events.spec.VERDICT_SEEDS) feeds: a
# parameter of _AFFECTED (twins and assets) and of _AFFECTED_SIGHTINGS
SUBJECT_SEEDS = {
    "asset": "assetIds",
    "twin": "twinIds",
    "person": "personIds",
    "consent": "consentIds",
    "sighting": "sightingIds",
}
SIGHTING_SEEDS = {
    "sighting": "sightingIds",
    "capture": "captureIds",
    "shown asset": "assetIds",
    "notice": "noticeIds",
}


def _seeded(events: Iterable[Event], parameters: dict[str, str]) -> dict[str, set[str]]:
    """The ids the events name for these parameters, by their specs' `touches`."""
    ids: dict[str, set[str]] = {parameter: set() for parameter in parameters.values()}
    for event in events:
        for seed, field in SPECS[event.op].touches:
            if seed in parameters:
                ids[parameters[seed]].add(event.input[field])
    return ids


async def affected_subjects(
    tx: AsyncManagedTransaction, events: Iterable[Event]
) -> tuple[list[str], list[str]]:
    """The twins and assets whose verdicts these events can change."""
    ids = _seeded(events, SUBJECT_SEEDS)
    if not any(ids.values()):
        return [], []
    if not (ids["personIds"] or ids["consentIds"] or ids["twinIds"] or ids["sightingIds"]):
        return [], sorted(ids["assetIds"])
    return await reached_subjects(
        tx,
        person_ids=sorted(ids["personIds"]),
        consent_ids=sorted(ids["consentIds"]),
        twin_ids=sorted(ids["twinIds"]),
        sighting_ids=sorted(ids["sightingIds"]),
        asset_ids=sorted(ids["assetIds"]),
    )


async def affected_sightings(tx: AsyncManagedTransaction, events: Iterable[Event]) -> list[str]:
    """The sightings whose own verdicts these events can change."""
    ids = _seeded(events, SIGHTING_SEEDS)
    if not any(ids.values()):
        return []
    return await reached_sightings(
        tx,
        sighting_ids=sorted(ids["sightingIds"]),
        capture_ids=sorted(ids["captureIds"]),
        asset_ids=sorted(ids["assetIds"]),
        notice_ids=sorted(ids["noticeIds"]),
    )


def _rows(
    subject_kind: str,
    spans: Iterable[VerdictSpan],
    context: dict[str, Any],
    grounds: Callable[[Verdict], Grounded] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    grounded: dict[Verdict, Grounded] = {}
    for span in spans:
        for index, verdict in enumerate(span.verdicts):
            row = verdict_row(verdict, subject_kind, span.start, span.end, context)
            row["vkey"] = f"{verdict.subject_id}|{verdict.code}|{index:03d}"
            if grounds is not None:
                # the same verdict holds over many spans: grounded once
                if verdict not in grounded:
                    grounded[verdict] = grounds(verdict)
                row.update(law_fields(grounded[verdict]))
            rows.append(row)
    return rows


def law_fields(grounded: Grounded) -> dict[str, Any]:
    """What a stored span keeps of its grounding: the laws' ids (the audit's filter), where they speak
    (the jurisdictions filter), and each law's and proposal's ``ID@version`` (what the answer names)."""
    return {
        "lawIds": sorted({law.id for law in grounded.laws}),
        "lawPlaces": places_of(grounded.laws),
        "lawKeys": [law.key for law in grounded.laws],
        "wouldBreakKeys": [law.key for law in grounded.would_break],
    }


def _signed(consents: Iterable[Any]) -> dict[str, datetime]:
    return {consent.id: consent.signed_at for consent in consents}


def _consent_occasion(
    verdict: Verdict, signed: dict[str, datetime], jurisdictions: frozenset[str], own: datetime
) -> ConsentOccasion:
    """The persons' jurisdictions at the signing of the consent the verdict examines first (its subject's
    own instant when it names none)."""
    at = next((signed[kid] for kid in verdict.consent_ids if kid in signed), own)
    return ConsentOccasion(jurisdictions, at)


def _asset_grounds(world: AssetWorld, facts: GroundingFacts) -> Callable[[Verdict], Grounded]:
    asset = world.asset
    occasion = AssetOccasion(frozenset(asset.territories), asset.published_at)
    signed = _signed(k for twin in world.twins.values() for k in twin.consents)
    persons = {twin.twin.person_id for twin in world.twins.values()} | {f.person_id for f in world.faces}
    places = facts.places(persons)

    def grounds(verdict: Verdict) -> Grounded:
        consent = _consent_occasion(verdict, signed, places, asset.published_at)
        return ground(book.current(), verdict.code, asset=occasion, consent=consent)

    return grounds


def _twin_grounds(world: TwinWorld, facts: GroundingFacts) -> Callable[[Verdict], Grounded]:
    signed = _signed(world.consents)
    places = facts.places((world.twin.person_id,))

    def grounds(verdict: Verdict) -> Grounded:
        consent = _consent_occasion(verdict, signed, places, world.twin.built_at)
        return ground(book.current(), verdict.code, consent=consent)

    return grounds


def _sighting_grounds(
    world: SightingWorld, persons: Iterable[str], facts: GroundingFacts
) -> Callable[[Verdict], Grounded]:
    places = facts.places(persons)
    notices = {
        notice.id: NoticeOccasion(
            frozenset([notice.platform_jurisdiction]) if notice.platform_jurisdiction else frozenset(),
            notice.sent_at,
            category=notice.category,
            ordered=notice.ordered,
        )
        for notice in world.notices
    }

    def grounds(verdict: Verdict) -> Grounded:
        # the notices the verdict's evidence names (those whose clock ran out), else all of them
        named = [notices[node] for node in verdict.evidence if node in notices]
        return ground(
            book.current(),
            verdict.code,
            consent=ConsentOccasion(places, world.sighting.observed_at),
            notices=named or list(notices.values()),
        )

    return grounds


def verdict_row(
    verdict: Verdict, subject_kind: str, start: datetime, end: datetime | None, context: dict[str, Any]
) -> dict[str, Any]:
    return {
        "code": verdict.code,
        "subjectId": verdict.subject_id,
        "subjectKind": subject_kind,
        "start": format_instant(start),
        "end": format_instant(end or OPEN_END),
        "liable": orjson.dumps([[party.party_id, party.role] for party in verdict.liable]).decode(),
        "partyIds": [party.party_id for party in verdict.liable],
        "primaryIds": [party.party_id for party in verdict.liable if party.role == "PRIMARY"],
        "consentIds": list(verdict.consent_ids),
        "failedClauses": list(verdict.failed_clauses),
        "evidence": list(verdict.evidence),
        "explanation": verdict.explanation,
        **context,
    }


def _asset_context(world: AssetWorld) -> dict[str, Any]:
    # the persons whose likeness it uses: those of its twins, and those whose faces it shows
    persons = {twin.twin.person_id for twin in world.twins.values()} | {
        face.person_id for face in world.faces
    }
    return {
        "personIds": sorted(persons),
        "territories": sorted(world.asset.territories),
        "publisherId": world.asset.publisher_id,
        "occurredAt": format_instant(world.asset.published_at),
    }


async def store_verdicts(
    tx: AsyncManagedTransaction, twin_ids: list[str], asset_ids: list[str], sighting_ids: Sequence[str] = ()
) -> int:
    """Recompute and replace the stored verdict history of these twins, assets and sightings; returns rows
    written."""
    sighting_ids = list(sighting_ids)
    rows: list[dict[str, Any]] = []
    twins = list((await twin_worlds(tx, twin_ids)).values())
    assets = list((await asset_worlds(tx, asset_ids)).values())
    sightings = list((await sighting_worlds(tx, sighting_ids)).values())
    facts = await grounding_facts(tx, twins, assets, sightings)
    for twin_world in twins:
        rows.extend(
            _rows(
                "TWIN",
                rules.twin_timeline(twin_world),
                {
                    "personIds": [twin_world.twin.person_id],
                    "territories": [],
                    "publisherId": None,
                    "occurredAt": format_instant(twin_world.twin.built_at),
                },
                _twin_grounds(twin_world, facts),
            )
        )
    for asset_world in assets:
        rows.extend(
            _rows(
                "ASSET",
                rules.asset_timeline(asset_world),
                _asset_context(asset_world),
                _asset_grounds(asset_world, facts),
            )
        )
    for sighting_world, persons in sightings:
        rows.extend(
            _rows(
                "SIGHTING",
                rules.sighting_timeline(sighting_world),
                {
                    "personIds": persons,
                    "territories": [],
                    "publisherId": None,
                    "occurredAt": format_instant(sighting_world.sighting.observed_at),
                },
                _sighting_grounds(sighting_world, persons, facts),
            )
        )
    await replace_spans(tx, twin_ids + asset_ids + sighting_ids, rows)
    return len(rows)


async def refresh_verdicts(tx: AsyncManagedTransaction, events: list[Event]) -> list[str]:
    """Re-evaluate the assets, twins and sightings these events can affect and store their verdict spans;
    answers their ids."""
    twin_ids, asset_ids = await affected_subjects(tx, events)
    sighting_ids = await affected_sightings(tx, events)
    if twin_ids or asset_ids or sighting_ids:
        await store_verdicts(tx, twin_ids, asset_ids, sighting_ids)
        VERDICT_REFRESHES.labels("twin", "incremental").inc(len(twin_ids))
        VERDICT_REFRESHES.labels("asset", "incremental").inc(len(asset_ids))
        VERDICT_REFRESHES.labels("sighting", "incremental").inc(len(sighting_ids))
    return twin_ids + asset_ids + sighting_ids


async def reevaluate_all(graph: Graph, *, batch_size: int = 2000, progress: Any = None) -> int:
    """Rebuild every stored verdict and its counts from scratch (one transaction per batch); answers the
    rows written."""
    await delete_all_spans(graph)
    # the stored verdicts are rewritten with no log entry: conditional GETs' ETags must change (graph.log)
    await graph.write(mark_rewritten)
    twins, assets, sightings = await all_subjects(graph)
    written = 0
    subjects = (
        [("twin", twin) for twin in twins]
        + [("asset", asset) for asset in assets]
        + [("sighting", sighting) for sighting in sightings]
    )
    logger.info(
        "re-evaluating %d twins, %d assets and %d sightings from scratch",
        len(twins),
        len(assets),
        len(sightings),
    )
    for offset in range(0, len(subjects), batch_size):
        batch = subjects[offset : offset + batch_size]
        twin_batch = [sid for kind, sid in batch if kind == "twin"]
        asset_batch = [sid for kind, sid in batch if kind == "asset"]
        sighting_batch = [sid for kind, sid in batch if kind == "sighting"]

        async def work(
            tx: AsyncManagedTransaction,
            t: list[str] = twin_batch,
            a: list[str] = asset_batch,
            s: list[str] = sighting_batch,
        ) -> int:
            await mark_rewritten(tx)
            return await store_verdicts(tx, t, a, s)

        written += await graph.write(work)
        VERDICT_REFRESHES.labels("twin", "full").inc(len(twin_batch))
        VERDICT_REFRESHES.labels("asset", "full").inc(len(asset_batch))
        VERDICT_REFRESHES.labels("sighting", "full").inc(len(sighting_batch))
        if progress is not None:
            progress(offset + len(batch), len(subjects))
    # every verdict is now grounded with the book in use
    await record_packs(graph, book.current().hashes())
    return written
