"""The one write path: every mutation and every imported batch is recorded by `record`.

In one transaction it waits for its turn among writers (the log's lock, so concurrent writes of the
same id answer as if sent one after the other), authorizes each event for the caller, checks and
writes the batch (graph.apply), links sightings to what they show (likeness.matching), refreshes the
verdicts the accepted events can touch (likeness.verdicts), writes the alerts they produce
(likeness.alerts.outbox), and appends the tamper-evident log entry,
so a write and its log entry land together or not at all. A refused
event (forbidden, a bad reference, a conflict) leaves no trace; the others of its batch still land.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction
from neo4j.exceptions import ConstraintError

from likeness.access import log, policy
from likeness.access.principals import Principal
from likeness.alerts import broker
from likeness.alerts.outbox import write_alerts
from likeness.errors import Conflict, Forbidden, LikenessError
from likeness.events.contract import Event
from likeness.graph.apply import BatchOutcome, apply_events
from likeness.graph.driver import Graph
from likeness.matching.sightings import KnownSightings, match_sightings
from likeness.verdicts.refresh import refresh_verdicts

logger = logging.getLogger(__name__)

# completes the permitted events of a batch once its transaction has the writers' turn, given the sequence
# number of its log entry; answers them completed, in the same order
Prepare = Callable[[AsyncManagedTransaction, int, list[Event]], Awaitable[list[Event]]]


async def _refusals(
    principal: Principal, tx: AsyncManagedTransaction, events: Sequence[Event]
) -> dict[int, Forbidden]:
    """The events this caller may not write, by index, with the reason."""
    refused: dict[int, Forbidden] = {}
    for index, event in enumerate(events):
        try:
            policy.authorize_write(principal, event)
            await policy.authorize_in_transaction(principal, tx, event)
        except Forbidden as error:
            refused[index] = error
    return refused


def _in_batch_order(
    outcome: BatchOutcome, permitted: list[int], refused: dict[int, Forbidden]
) -> BatchOutcome:
    """The outcome of the permitted events re-indexed over the whole batch, with the refusals added."""
    rejected: list[tuple[int, LikenessError]] = [(permitted[i], error) for i, error in outcome.rejected]
    rejected.extend(refused.items())
    return BatchOutcome(
        applied=[permitted[i] for i in outcome.applied],
        unchanged=[permitted[i] for i in outcome.unchanged],
        rejected=sorted(rejected, key=lambda item: item[0]),
        accepted=outcome.accepted,
    )


async def record(
    graph: Graph,
    principal: Principal,
    events: Sequence[Event],
    *,
    source: str | None = None,
    first_ordinal: int = 0,
    known_sightings: KnownSightings | None = None,
    stored: Callable[[int], None] | None = None,
    prepare: Prepare | None = None,
) -> BatchOutcome:
    """Record a batch of events for `principal` in one transaction; answers what was applied, found
    unchanged and refused (by index). Without `source` the batch is one mutation, logged under its own
    name; with it, one import entry naming the source (e.g. 'world.jsonl:1-2000'). `prepare` completes the
    permitted events once the transaction has its turn, from the graph as it then stands and the sequence
    number its log entry will have (a signed publication names it: resolvers.signing)."""
    if source is None and len(events) != 1:
        raise ValueError("a batch of several events names its source")

    async def work(tx: AsyncManagedTransaction) -> BatchOutcome:
        seq = await log.take_turn(tx)
        refused = await _refusals(principal, tx, events)
        permitted = [index for index in range(len(events)) if index not in refused]
        chosen = [events[index] for index in permitted]
        if prepare is not None and chosen:
            chosen = await prepare(tx, seq, chosen)
        outcome = await apply_events(
            tx,
            chosen,
            first_ordinal=first_ordinal,
            stored=stored,
        )
        await match_sightings(tx, outcome.accepted, known_sightings)
        if outcome.accepted:
            subjects = await refresh_verdicts(tx, outcome.accepted)
            await write_alerts(tx, outcome.accepted, subjects, datetime.now(UTC))
            await log.append(tx, principal=principal.name, **_log_entry(outcome.accepted, source))
        return _in_batch_order(outcome, permitted, refused)

    try:
        outcome = await graph.write(work)
    except ConstraintError:
        logger.exception("a uniqueness constraint refused a write that took its turn")
        # writers take turns (take_turn), so only a writer outside this code path can get here
        raise Conflict("?", []) from None
    if known_sightings is not None:
        known_sightings.commit()
    if outcome.accepted:
        # this process's subscriptions and webhooks hear of the alerts at once (others within their poll)
        broker.nudge()
    logger.debug(
        "recorded %d events for %s (%s): %d applied, %d unchanged, %d refused",
        len(events),
        principal.name,
        source or events[0].op,
        len(outcome.applied),
        len(outcome.unchanged),
        len(outcome.rejected),
    )
    return outcome


def _log_entry(accepted: list[Event], source: str | None) -> dict[str, Any]:
    if source is None:
        (event,) = accepted
        return {"operation": event.op, "target": event.key, "variables": event.input}
    return {
        "operation": "import",
        "target": source,
        "variables": [[event.op, event.input] for event in accepted],
    }
