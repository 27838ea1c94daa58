"""Bounded cost: what one GraphQL operation may ask for, and what it may take while it runs.

Before anything runs, an operation is refused when its document has too many tokens (counted before it
is parsed), its fields nest too deep or it uses too many aliases (validation rules, so a refusal is cached
with the document), or its estimated cost is over the budget (likeness.execution.cost; per request, since
page sizes may come from variables). While it runs, it is stopped when the objects entering its answer
pass a cap, or when it passes its deadline: its Neo4j work in flight is cancelled, what still runs
completes at once reading nothing more, and it answers the refusal instead of its data. Each refusal is
one GraphQL error whose `extensions.code` names the limit, with `limit` and `found` beside it.
docs/limits.md says the same for the people who call the API or run it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from time import monotonic
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from likeness.config import Settings
from likeness.execution.bounds import OVER_CAP, PAST_DEADLINE, RequestBounds, answering_by
from likeness.execution.cost import (
    DEFAULT_LIST_SIZE,
    Shape,
    estimated_cost,
    fragments_of,
    operation_name,
    operations_of,
    token_count,
)
from likeness.resolvers.context import Context

# once an operation is stopped, how long what still runs may take to complete before it is cancelled
DRAIN_SECONDS = 1.0


@dataclass(frozen=True)
class Limits:
    """The limits of one app (0: none); see likeness.config for each setting."""

    max_depth: int
    max_aliases: int
    max_tokens: int
    max_cost: int
    max_response_objects: int
    query_timeout: float

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            max_depth=settings.likeness_max_depth,
            max_aliases=settings.likeness_max_aliases,
            max_tokens=settings.likeness_max_tokens,
            max_cost=settings.likeness_max_cost,
            max_response_objects=settings.likeness_max_response_objects,
            query_timeout=settings.likeness_query_timeout,
        )


def refusal(code: str, message: str, *, limit: float, found: float) -> GraphQLError:
    """The one error an operation refused or stopped by a limit answers."""
    return GraphQLError(message, extensions={"code": code, "limit": limit, "found": found})


def _bounds_of(context: Any) -> RequestBounds | None:
    """The bounds of the request executing (likeness.execution.context.context_for), if it has them."""
    if isinstance(context, Context) and isinstance(context.bounds, RequestBounds):
        return context.bounds
    return None


# ---- validation rules -------------------------------------------------------------------------------------


@functools.cache
def validation_rules(max_depth: int, max_aliases: int) -> tuple[type[ValidationRule], ...]:
    """The rule refusing documents too deep or with too many aliases, per operation (0: no limit).
    Made once per pair of limits, so that validated documents stay cached across requests."""
    if not max_depth and not max_aliases:
        return ()

    def too_deep(operation: OperationDefinitionNode, shape: Shape) -> GraphQLError | None:
        depth = shape.depth(operation.selection_set)
        if not max_depth or depth <= max_depth:
            return None
        return refusal(
            "QUERY_TOO_DEEP",
            f"{operation_name(operation)} nests fields {depth} levels deep; at most "
            f"{max_depth} are accepted (LIKENESS_MAX_DEPTH). Ask for fewer levels, and "
            "follow the ids of the deepest ones in another query",
            limit=max_depth,
            found=depth,
        )

    def too_many_aliases(operation: OperationDefinitionNode, shape: Shape) -> GraphQLError | None:
        aliases = shape.aliases(operation.selection_set)
        if not max_aliases or aliases <= max_aliases:
            return None
        return refusal(
            "TOO_MANY_ALIASES",
            f"{operation_name(operation)} uses {aliases} aliases; at most "
            f"{max_aliases} are accepted (LIKENESS_MAX_ALIASES). Ask for a list (ids "
            "in one argument, a page) instead of one aliased field per item",
            limit=max_aliases,
            found=aliases,
        )

    class ShapeLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            shape = Shape(fragments_of(context.document))
            operations = list(operations_of(context.document))
            for check in (too_deep, too_many_aliases):
                for operation in operations:
                    error = check(operation, shape)
                    if error is not None:
                        context.report_error(error)

    return (ShapeLimits,)


# ---- the extension ----------------------------------------------------------------------------------------


class OperationLimits(SchemaExtension):
    """Applies the app's limits to each operation: tokens before parsing, depth and aliases in validation,
    the estimated cost after it; gives the operation its bounds (deadline, object cap) for the execution."""

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        limits = self.limits
        bounds = _bounds_of(self.execution_context.context)
        if bounds is not None:
            bounds.begin(
                max_objects=limits.max_response_objects or None, timeout=limits.query_timeout or None
            )
        rules = validation_rules(limits.max_depth, limits.max_aliases)
        if rules:
            self.execution_context.validation_rules = (*self.execution_context.validation_rules, *rules)
        # the Neo4j transactions of the operation end at its deadline too
        with answering_by(monotonic() + limits.query_timeout if limits.query_timeout else None):
            yield

    def on_parse(self) -> Iterator[None]:
        limit = self.limits.max_tokens
        query = self.execution_context.query
        if limit and query and self.execution_context.graphql_document is None:
            if len(query) > limit and token_count(query, limit) > limit:
                raise refusal(
                    "TOO_MANY_TOKENS",
                    f"the document ({len(query)} characters) holds more than {limit} tokens; at most {limit} "
                    "are accepted (LIKENESS_MAX_TOKENS). Send a shorter document: one operation, lists "
                    "instead of repeated fields, variables for long inputs",
                    limit=limit,
                    found=limit + 1,
                )
        yield

    def on_validate(self) -> Iterator[None]:
        yield
        limit = self.limits.max_cost
        execution = self.execution_context
        if not limit or execution.pre_execution_errors or execution.graphql_document is None:
            return
        cost = estimated_cost(
            execution.schema._schema,  # noqa: SLF001 - strawberry's graphql-core schema
            execution.graphql_document,
            execution.operation_name,
            execution.variables or {},
        )
        if cost > limit:
            raise refusal(
                "QUERY_TOO_COSTLY",
                f"the operation's estimated cost is {cost}; at most {limit} is accepted (LIKENESS_MAX_COST). "
                f"Each object a field may return costs 1, a list counts its page size (`first`) or "
                f"{DEFAULT_LIST_SIZE} items, multiplied down the tree (docs/limits.md). Ask for smaller "
                "pages or fewer nested lists",
                limit=limit,
                found=cost,
            )


# ---- the execution ----------------------------------------------------------------------------------------


class BoundedExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, stopped at the operation's deadline or when its answer passes the object
    cap (likeness.execution.bounds.RequestBounds). Stopping cancels the operation's database work in
    flight (loads waiting on a batch, root fields reading: their Neo4j transactions end with them); what
    still runs then completes at once, reading nothing more, and the operation answers one QUERY_TIMEOUT
    or RESPONSE_TOO_LARGE error instead of its data. Should anything still run `DRAIN_SECONDS` later, the
    execution's tasks are cancelled outright. Without bounds on the context it is graphql-core's own."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        bounds = _bounds_of(self.context_value)
        if bounds is None or not bounds.enforced:
            return super().execute_operation(serially)
        result = super().execute_operation(serially)
        if not self.is_awaitable(result):
            return result
        return self._bounded(result, bounds)

    async def _bounded(self, result: Awaitable[Any], bounds: RequestBounds) -> Any:
        loop = asyncio.get_running_loop()
        drain = asyncio.timeout(None)

        def stopped() -> None:
            bounds.cancel_reads()
            drain.reschedule(loop.time() + DRAIN_SECONDS)

        deadline = None
        answer: Any = None
        try:
            async with drain:
                bounds.on_stop = stopped
                if bounds.deadline is not None:
                    deadline = loop.call_at(
                        loop.time() + (bounds.deadline - monotonic()), bounds.stop, PAST_DEADLINE
                    )
                answer = await result
        except TimeoutError:
            if bounds.stopped is None:
                raise
        finally:
            bounds.on_stop = None
            if deadline is not None:
                deadline.cancel()
        if bounds.stopped is not None:  # also when it stopped as the last field completed
            return self._stopped(bounds, monotonic() - bounds.started)
        return answer

    def _stopped(self, bounds: RequestBounds, elapsed: float) -> ExecutionResult:
        """The one error of an operation stopped by its bounds."""
        writes = self.operation.operation is OperationType.MUTATION
        if bounds.stopped == OVER_CAP:
            cap = bounds.max_objects or 0
            error = refusal(
                OVER_CAP,
                f"the answer passed {cap} objects (LIKENESS_MAX_RESPONSE_OBJECTS; {bounds.objects} read when "
                "it was stopped) and was not sent. Ask for smaller pages or fewer nested lists, and follow "
                "ids in further queries"
                + (" (mutations applied before it stopped stay applied)" if writes else ""),
                limit=cap,
                found=bounds.objects,
            )
        else:
            timeout = bounds.timeout or 0.0
            error = refusal(
                PAST_DEADLINE,
                f"the operation ran past its {timeout:g} s deadline (LIKENESS_QUERY_TIMEOUT) and was "
                f"stopped after {elapsed:.2f} s, its database work cancelled. Ask for less (smaller pages, "
                "fewer nested lists)"
                + (
                    "; a write stopped at its deadline is rolled back unless its commit was under way: send "
                    "the same input again (mutations are idempotent) to learn which"
                    if writes
                    else ""
                ),
                limit=timeout,
                found=round(elapsed, 3),
            )
        return ExecutionResult(data=None, errors=[error])
