"""The executable schema: the Query and Mutation roots (likeness.schema.root) with the execution that runs
them — the fast or the general execution, the limits, the domain errors, the document caches."""

from __future__ import annotations

import functools

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from likeness.config import get_settings
from likeness.execution.fastexec import FastExecutionContext
from likeness.execution.limits import BoundedExecution, Limits, OperationLimits
from likeness.schema.errors import DomainErrors
from likeness.schema.root import Mutation, Query, Subscription
from likeness.schema.verdicts import Verdict


def build_schema(*, fast: bool, limits: Limits | None = None) -> strawberry.Schema:
    """The schema, its plain subtrees completed directly when `fast` (likeness.execution.fastexec), else by
    graphql-core's own execution; the two answer alike. The app builds the one `likeness_fastexec` names.
    Each operation is held to `limits` (likeness.execution.limits), by default the environment's settings."""
    return _built(fast, limits if limits is not None else Limits.of(get_settings()))


@functools.cache
def _built(fast: bool, limits: Limits) -> strawberry.Schema:
    # parsed and validated documents are cached: the same query text is not parsed or validated twice;
    # the limits come first, so that a document with too many tokens is refused before it is parsed
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Verdict],
        extensions=[functools.partial(OperationLimits, limits), DomainErrors, ParserCache, ValidationCache],
        execution_context_class=FastExecutionContext if fast else BoundedExecution,
    )


# the shipped schema: what the SDL export, the tests and tools read (its SDL is the same either way)
schema = build_schema(fast=True)
