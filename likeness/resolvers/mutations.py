"""Mutations: turn a GraphQL input into an event, apply it in one write transaction, answer the node."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from strawberry.types import Info

from likeness.events.contract import Event, parse_event
from likeness.ingest.record import record
from likeness.resolvers.context import Context
from likeness.schema.convert import camel


def plain_input(value: Any) -> Any:
    """A strawberry input as the JSON-like dict the event parsers take (camelCase, no nulls)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(fld.name): plain_input(getattr(value, fld.name))
            for fld in dataclasses.fields(value)
            if getattr(value, fld.name) is not None
        }
    if isinstance(value, list):
        return [plain_input(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


async def apply(info: Info[Context, None], op: str, raw: Any) -> Event:
    """Validate and record one mutation; a refusal raises the LikenessError naming the field (the schema's
    DomainErrors extension reports it with its code)."""
    context = info.context
    event = parse_event(op, plain_input(raw))
    outcome = await record(context.graph, context.principal, [event])
    if outcome.rejected:
        raise await context.shown_error(outcome.rejected[0][1], event)
    return event
