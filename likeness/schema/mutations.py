"""The Mutation root, made from the operations' specs (likeness.events.contract.SPECS): one field per
operation, in the specs' order, taking its generated input (likeness.schema.inputs) and, when the spec
says so, a file; answering the node it recorded (or the relationship, for a relationship event)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.tools import merge_types
from strawberry.types import Info

from likeness.events.contract import SPECS
from likeness.events.spec import EventSpec
from likeness.resolvers import mutations
from likeness.resolvers.context import Context
from likeness.schema.alerts import AlertMutations
from likeness.schema.convert import from_optional, plain_input
from likeness.schema.faces import FaceEnrollment
from likeness.schema.inputs import INPUTS
from likeness.schema.nodes import NODE_TYPES, Representation
from likeness.schema.webhooks import WebhookMutations

# the GraphQL type each mutation answers, by its spec's node label or `answers`
_ANSWERS: dict[str, type] = {**NODE_TYPES, "Representation": Representation, "FaceEnrollment": FaceEnrollment}

Resolver = Callable[..., Coroutine[Any, Any, Any]]

_SIGN = (
    "Sign the file with Content Credentials (C2PA) naming the asset, the consents it runs under and the log "
    "entry recording it; the asset then records the signed file (Asset.signedFile; docs/credentials.md)."
)


def _resolver(spec: EventSpec) -> Resolver:
    """The resolver of one mutation: its input as plain data, completed from its file, applied, answered."""
    op = spec.op
    answered = _ANSWERS[spec.node_label or spec.answers or ""]

    async def resolve(
        self: Any, info: Info[Context, None], input: Any, file: Any = None, sign: bool = False
    ) -> Any:
        with info.context.reading():
            found = await mutations.answer(info.context, op, plain_input(input), file, sign=sign)
        if answered is FaceEnrollment:  # an enrolment answers its own input, the template never
            return None if found is None else FaceEnrollment.of(found)
        return from_optional(answered, found)

    annotations: dict[str, Any] = {"info": Info[Context, None], "input": INPUTS[spec.input_type]}
    chosen: Resolver = resolve
    if spec.file is not None:
        upload = Upload if spec.file.required else Upload | None
        annotations["file"] = Annotated[upload, strawberry.argument(description=spec.file.description)]
        if spec.file.required:
            chosen = _with_required_file(resolve)
        elif spec.file.signs:
            annotations["sign"] = Annotated[bool, strawberry.argument(description=_SIGN)]
        else:
            chosen = _with_optional_file(resolve)
    else:
        chosen = _without_file(resolve)
    annotations["return"] = answered
    chosen.__annotations__ = annotations
    chosen.__name__ = op
    return chosen


def _without_file(resolve: Resolver) -> Resolver:
    """The same resolver with no `file` argument (strawberry makes an argument of each parameter)."""

    async def without(self: Any, info: Info[Context, None], input: Any) -> Any:
        return await resolve(self, info, input)

    return without


def _with_optional_file(resolve: Resolver) -> Resolver:
    """The same resolver with a `file` argument and no `sign` argument."""

    async def with_file(self: Any, info: Info[Context, None], input: Any, file: Any = None) -> Any:
        return await resolve(self, info, input, file)

    return with_file


def _with_required_file(resolve: Resolver) -> Resolver:
    """The same resolver whose `file` argument has no default (`file: Upload!`)."""

    async def with_file(self: Any, info: Info[Context, None], input: Any, file: Any) -> Any:
        return await resolve(self, info, input, file)

    return with_file


def _mutation_root() -> type:
    namespace: dict[str, Any] = {"__module__": __name__}
    for spec in SPECS.values():
        namespace[spec.op] = strawberry.mutation(
            resolver=_resolver(spec), name=spec.op, description=spec.description
        )
    return strawberry.type(type("Mutation", (), namespace))


# the mutations that record no event of the provenance graph (reading alerts, webhooks): each family's
# class of strawberry.mutation fields, merged beside the operations'
EXTRA_MUTATIONS: tuple[type, ...] = (AlertMutations, WebhookMutations)

Mutation = merge_types("Mutation", (_mutation_root(), *EXTRA_MUTATIONS))
