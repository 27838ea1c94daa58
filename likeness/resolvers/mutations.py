"""Mutations: turn a mutation's input into an event, apply it in one write transaction, answer what it
recorded. One resolver for every operation: what differs between them is their spec
(likeness.events.contract.SPECS)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from likeness.access import policy
from likeness.errors import InvalidInput
from likeness.events.contract import SPECS, Event, parse_event
from likeness.graph.faces import enrolment_input
from likeness.graph.reads import Node
from likeness.ingest.record import Prepare, record
from likeness.resolvers import signing, uploads
from likeness.resolvers.context import Context


async def apply(
    context: Context,
    op: str,
    data: dict[str, Any],
    *,
    template: tuple[float, ...] | None = None,
    prepare: Prepare | None = None,
) -> Event:
    """Validate and record one mutation given as the JSON-like input the event parsers take (camelCase,
    no nulls); a refusal raises the LikenessError naming the field (the schema's DomainErrors extension
    reports it with its code). `template`: an enrolment's face template, recorded beside its input;
    `prepare`: completes the event once its transaction has its turn (a signed publication)."""
    event = parse_event(op, data)
    if template is not None:
        event = replace(event, template=template)
    outcome = await record(context.graph, context.principal, [event], prepare=prepare)
    if outcome.rejected:
        raise await context.shown_error(outcome.rejected[0][1], event)
    return event


async def answer(
    context: Context, op: str, data: dict[str, Any], file: Any = None, *, sign: bool = False
) -> Node | None:
    """Apply a mutation, its input completed from the file sent with it (resolvers.uploads) and, with
    `sign`, the file signed (resolvers.signing), and answer what it recorded: the node it created or changed
    as the graph now holds it (None: the caller may not see it), or, for a relationship or an enrolment,
    the event's own input with its dates as dates."""
    template = None
    prepare = None
    if sign and file is None:
        raise InvalidInput("sign", sign, "what is signed is the file: send it with the mutation")
    if file is not None:
        policy.authorize_input(context.principal, op, data)  # before a worker reads the file
        if sign and (refusal := signing.signing_refusal(context, None)) is not None:
            raise refusal  # before a worker reads the file
        filed = await uploads.with_file(op, data, file, context=context)
        data, template = filed.data, filed.template
        if sign:
            if (refusal := signing.signing_refusal(context, filed.mime_type)) is not None:
                raise refusal
            prepare = signing.signer_of(context, filed, file)
    event = await apply(context, op, data, template=template, prepare=prepare)
    spec = SPECS[op]
    if op == "enrollLikeness":  # the enrolment as recorded: sent again, the first
        return await enrolment_input(context.graph, event.key)
    label = spec.node_label
    if label is None:
        return {
            name: date.fromisoformat(value) if spec.fields[name].graphql == "Date" else value
            for name, value in event.input.items()
        }
    context.nodes().clear_all()  # the request may have loaded the node before the write
    found = await context.nodes().load(event.input[spec.key])
    if prepare is not None:
        signing.log_signed(found)
    if found is None or label not in found["_labels"]:
        return None
    return found
