"""Mutations: turn a mutation's input into an event, apply it in one write transaction, answer the node."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from likeness.events.contract import Event, parse_event
from likeness.graph.reads import Node
from likeness.ingest.record import record
from likeness.resolvers import lookups
from likeness.resolvers.context import Context


async def apply(info: Info[Context, None], op: str, data: dict[str, Any]) -> Event:
    """Validate and record one mutation given as the JSON-like input the event parsers take (camelCase,
    no nulls); a refusal raises the LikenessError naming the field (the schema's DomainErrors extension
    reports it with its code)."""
    context = info.context
    event = parse_event(op, data)
    outcome = await record(context.graph, context.principal, [event])
    if outcome.rejected:
        raise await context.shown_error(outcome.rejected[0][1], event)
    return event


async def apply_and_read(info: Info[Context, None], op: str, data: dict[str, Any], label: str) -> Node | None:
    """Apply a node mutation and answer the node as the graph now holds it (None: the caller may not
    see it)."""
    event = await apply(info, op, data)
    info.context.nodes().clear_all()  # the request may have loaded the node before the write
    return await lookups.node(info.context, event.key, label)
