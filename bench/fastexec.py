"""A prototype of a faster GraphQL execution for plain fields: a what-if, not wired into the API.

graphql-core completes every field of every object through the same general machinery: a resolve
info object built, arguments coerced, the resolver called through strawberry's wrapper, awaitables
checked, the value completed by type. For the many fields that are plain attributes (strawberry's
default resolver, no arguments) all of that yields `getattr` plus a scalar's `serialize`. On this
machine the general path costs ~10 µs a field, so a page of 10,000 verdicts (eight fields each,
nested liable parties) takes a second.

`FastExecutionContext` plans each selection once per request — for every field, either "plain"
(an attribute getter and a completion function for its type) or "general" — and then completes
plain fields directly: leaves through their type's `serialize`, objects and lists recursively,
awaitables of nested resolved fields gathered concurrently as graphql-core gathers them (so
DataLoaders still batch), errors handed to graphql-core's own error handling at the same path.
Whatever it does not recognise — a resolver, arguments, directives, middleware, an abstract type,
a list of nullable items, a null where the schema says non-null, a value `serialize` refuses — goes
through graphql-core's general path unchanged, so errors keep their exact shape.

Wiring it into the API would be one argument in likeness/schema/root.py,
`strawberry.Schema(…, execution_context_class=FastExecutionContext)`; the benchmark measures it in
`bench.variants` and `bench.serialize` instead, checking it answers byte for byte as the default.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.pyutils import Path, Undefined
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

DEFINITION = "strawberry-definition"  # where strawberry keeps its field on a graphql-core field


class _General(Exception):
    """A signal, not an error: take graphql-core's general path for this field."""


# value, the field's parent path, its response name, the parent type's name -> the completed value
Complete = Callable[[Any, "Path | None", str, str], Any]


class _Plain(NamedTuple):
    name: str
    details: Any
    type: Any  # the field's GraphQLOutputType (None for a field the type lacks: the general path says so)
    get: Callable[[Any], Any] | None  # None: the general path
    complete: Complete | None


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain fields completed directly (see the module docstring)."""

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[_Plain]:
        plans: dict[tuple[Any, int], tuple[Any, list[_Plain]]] = self.__dict__.setdefault("_plans", {})
        key = (parent_type, id(grouped_field_set))
        cached = plans.get(key)
        if cached is not None:
            return cached[1]
        middleware = self.middleware_manager
        plain = middleware is None or not middleware.middlewares
        plan = []
        for name, details in grouped_field_set.items():
            node = details[0].node
            field_def = parent_type.fields.get(node.name.value)
            field = field_def.extensions.get(DEFINITION) if field_def is not None else None
            get = complete = None
            if (plain and field is not None and not node.arguments and not node.directives
                    and getattr(field_def.resolve, "_is_default", False) and field.is_basic_field
                    and field.default_resolver is getattr):
                complete = self._completer(field_def.type, details)
                get = attrgetter(field.python_name) if complete is not None else None
            plan.append(_Plain(name, details, field_def.type if field_def else None, get, complete))
        plans[key] = (grouped_field_set, plan)  # keeps the set alive, so its id is not reused
        return plan

    def _completer(self, return_type: GraphQLOutputType, details: Any) -> Complete | None:
        """How to complete a value of this type here, or None when only the general path can."""
        non_null = isinstance(return_type, GraphQLNonNull)
        inner: Any = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type

        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            serialize = inner.serialize

            def leaf(value: Any, path: Path | None, name: str, parent: str) -> Any:
                if value is None:
                    if non_null:
                        raise _General
                    return None
                serialized = serialize(value)
                if serialized is None or serialized is Undefined:
                    raise _General
                return serialized

            return leaf

        if isinstance(inner, GraphQLObjectType) and inner.is_type_of is None:

            def obj(value: Any, path: Path | None, name: str, parent: str) -> Any:
                if value is None:
                    if non_null:
                        raise _General
                    return None
                grouped_field_set = self.collect_subfields(inner, details)[0]
                return self.execute_fields(inner, value, Path(path, name, parent), grouped_field_set, None)

            return obj

        if isinstance(inner, GraphQLList) and isinstance(inner.of_type, GraphQLNonNull):
            # a nullable item that fails is nulled alone by the general path: lists of those stay there
            item_type = inner.of_type.of_type
            if isinstance(item_type, GraphQLScalarType | GraphQLEnumType):
                serialize = item_type.serialize

                def leaves(value: Any, path: Path | None, name: str, parent: str) -> Any:
                    if value is None:
                        if non_null:
                            raise _General
                        return None
                    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
                        raise _General
                    items = [serialize(item) if item is not None else None for item in value]
                    if any(item is None or item is Undefined for item in items):
                        raise _General
                    return items

                return leaves
            if isinstance(item_type, GraphQLObjectType) and item_type.is_type_of is None:

                def objects(value: Any, path: Path | None, name: str, parent: str) -> Any:
                    if value is None:
                        if non_null:
                            raise _General
                        return None
                    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
                        raise _General
                    value = list(value)
                    if any(item is None for item in value):  # checked before anything runs
                        raise _General
                    grouped_field_set = self.collect_subfields(item_type, details)[0]
                    list_path = Path(path, name, parent)
                    items = [self.execute_fields(item_type, item, list_path.add_key(index, None), grouped_field_set,
                                                 None) for index, item in enumerate(value)]
                    return self._settle_list(items)

                return objects
        return None

    def _settle_list(self, items: list[Any]) -> Any:
        waiting = [index for index, item in enumerate(items) if self.is_awaitable(item)]
        if not waiting:
            return items

        async def gathered() -> list[Any]:
            done = await gather_with_cancel(*(items[index] for index in waiting))
            for index, item in zip(waiting, done, strict=True):
                items[index] = item
            return items

        return gathered()

    def execute_fields(  # type: ignore[override]
        self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None, grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        pending: list[str] = []
        parent = parent_type.name
        try:
            for field in self._plan(parent_type, grouped_field_set):
                result = _GENERAL
                if field.get is not None and field.complete is not None:
                    try:
                        result = field.complete(field.get(source_value), path, field.name, parent)
                    except _General:
                        pass
                    except Exception as error:  # noqa: BLE001 - as graphql-core's execute_field handles it
                        self.handle_field_error(error, field.type, field.details, Path(path, field.name, parent))
                        result = None
                    else:
                        if is_awaitable(result):
                            result = self._await_field(result, field, Path(path, field.name, parent))
                if result is _GENERAL:
                    result = self.execute_field(parent_type, source_value, field.details,
                                                Path(path, field.name, parent), position_context)
                if result is not Undefined:
                    results[field.name] = result
                    if is_awaitable(result):
                        pending.append(field.name)
        except Exception:
            if pending:
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results

        async def gathered() -> dict[str, Any]:
            # concurrently, as graphql-core does: the DataLoaders of sibling fields batch together
            done = await gather_with_cancel(*(results[name] for name in pending))
            results.update(zip(pending, done, strict=True))
            return results

        return gathered()

    async def _await_field(self, completed: Awaitable[Any], field: _Plain, path: Path) -> Any:
        try:
            return await completed
        except Exception as error:  # noqa: BLE001 - as graphql-core's execute_field handles it
            self.handle_field_error(error, field.type, field.details, path)
            return None


_GENERAL = object()
