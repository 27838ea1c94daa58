"""The schema's execution: graphql-core's, with plain subtrees of a selection completed directly.

graphql-core completes every field of every object through the same general machinery: a resolve
info object and a path built, arguments coerced, the resolver called through strawberry's wrapper,
awaitables checked, the value completed by type. For a field that is a plain attribute (strawberry's
default resolver, no arguments) all of that yields `getattr` plus a scalar's coercion, and the
general path costs ~10 µs a field on a small machine: a page of 10,000 verdicts took over a second.

`FastExecutionContext` plans each selection once per request. A field is *plain* when it is
`__typename` or a basic strawberry field read with `getattr`, its nodes carry no arguments and no
directives, no middleware wraps resolvers, and its type is a leaf, a concrete object type whose
selected fields are all plain, or a list of those. A plain field's whole subtree is then built in a
tight loop with precomputed getters and converters: a String, ID or Boolean that is already a `str`
or `bool` is its own answer, a strawberry enum member is looked up in a table of the names
graphql-core would give, anything else goes through the type's own `coerce_output_value`.

Errors keep graphql-core's exact shape because the direct path never reports one. Anything unusual
in a plain subtree — a null where the schema says non-null, an awaitable, an exception as a value, a
list that is not a list or tuple, a value the coercion refuses, any exception at all — abandons the
direct answer for that field, and graphql-core's general path completes it again from the start;
plain fields are side-effect-free attribute reads, so reading them twice is safe. Fields that are not
plain (resolvers, arguments, @skip/@include/@defer/@stream, abstract types, middleware) always take
the general path, whose sub-selections come back here and are planned in turn.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Callable
from enum import Enum
from operator import attrgetter
from types import CodeType
from typing import Any, NamedTuple

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

DEFINITION = "strawberry-definition"  # where strawberry keeps its field on a graphql-core field

Convert = Callable[[Any], Any]


class _Unusual(Exception):
    """A signal, not an error: this field's value needs graphql-core's general path."""


class _Never:
    """A type no value has: the values of fields with this exact type always go through `convert`."""


class _Plain(NamedTuple):
    """How to answer a plain field directly: `get` reads the value from its parent; a value of exactly
    type `exact` is its own answer, any other goes through `convert`."""

    get: Callable[[Any], Any]
    exact: type
    convert: Convert
    attribute: str | None = None  # the Python attribute `get` reads, when it is a plain identifier
    constant: str | None = None  # the answer whatever the parent (`__typename`)


class _Step(NamedTuple):
    """One field of a planned selection: the response name, graphql-core's field group, the plain plan."""

    key: str
    details: FieldDetailsList
    plain: _Plain | None  # None: the general path


# graphql-core's own scalars (by identity: a schema's override is another type) whose coercion answers a
# value of exactly this Python type with the value itself
_SELF_ANSWERING: dict[GraphQLScalarType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain subtrees completed directly (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares  # middleware hooks every field
        # both keyed by the identity of graphql-core's (per request, memoized) field groups, which are kept
        # alive beside the plan so that an id is not reused during the request
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[GroupedFieldSet, list[_Step]]] = {}
        self._plain_types: dict[tuple[GraphQLOutputType, int], tuple[FieldDetailsList, _Plain | None]] = {}

    def execute_fields(
        self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None,
        grouped_field_set: GroupedFieldSet, position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for key, details, plain in self._plan(parent_type, grouped_field_set):
                if plain is not None:
                    try:
                        value = plain.get(source_value)
                        results[key] = value if type(value) is plain.exact else plain.convert(value)
                        continue
                    except Exception:  # noqa: BLE001, S110 - anything unusual: the general path answers, errors and all
                        pass
                result = self.execute_field(parent_type, source_value, details, Path(path, key, parent_type.name),
                                            position_context)
                if result is not Undefined:
                    results[key] = result
                    if is_awaitable(result):
                        awaitable_fields.append(key)
        except Exception:
            if awaitable_fields:  # as graphql-core: settle the siblings' work, which may fail too
                self.settle_in_background([results[key] for key in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def gathered() -> dict[str, Any]:
            # concurrently, as graphql-core does: the DataLoaders of sibling fields batch together
            done = await gather_with_cancel(*(results[key] for key in awaitable_fields))
            results.update(zip(awaitable_fields, done, strict=True))
            return results

        return gathered()

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> list[_Step]:
        """The steps answering this selection on this type, planned once per request."""
        key = (parent_type, id(grouped_field_set))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = [_Step(name, details, self._plain_field(parent_type, details) if self._direct else None)
                for name, details in grouped_field_set.items()]
        self._plans[key] = (grouped_field_set, plan)
        return plan

    def _plain_field(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> _Plain | None:
        """How to answer this field of the parent type directly, or None when only the general path can."""
        for detail in details:
            node = detail.node
            if node.arguments or node.directives or detail.defer_usage or detail.fragment_variable_values:
                return None
        name = details[0].node.name.value
        if name == "__typename":
            type_name = parent_type.name
            return _Plain(lambda _source: type_name, str, _unusual, constant=type_name)
        field_def = parent_type.fields.get(name)
        if field_def is None or field_def.args:
            return None
        field = field_def.extensions.get(DEFINITION)
        if (field is None or not getattr(field_def.resolve, "_is_default", False) or not field.is_basic_field
                or field.default_resolver is not getattr):
            return None
        answer = self._plain_type(field_def.type, details)
        if answer is None:
            return None
        attribute = field.python_name
        identifier = attribute.isidentifier() and not keyword.iskeyword(attribute) and not attribute.startswith("__")
        return _Plain(attrgetter(attribute), answer.exact, answer.convert, attribute if identifier else None)

    def _plain_type(self, return_type: GraphQLOutputType, details: FieldDetailsList) -> _Plain | None:
        """How to answer a value of this type for these field nodes directly (`get` unused), or None."""
        key = (return_type, id(details))
        cached = self._plain_types.get(key)
        if cached is not None:
            return cached[1]
        answer = self._plain_type_uncached(return_type, details)
        self._plain_types[key] = (details, answer)
        return answer

    def _plain_type_uncached(self, return_type: GraphQLOutputType, details: FieldDetailsList) -> _Plain | None:
        non_null = isinstance(return_type, GraphQLNonNull)
        inner: Any = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            return self._leaf(inner, non_null)
        if isinstance(inner, GraphQLList):
            item = self._plain_type(inner.of_type, details)
            return None if item is None else _Plain(_unusual, _Never, _list_converter(item, non_null))
        if isinstance(inner, GraphQLObjectType) and inner.is_type_of is None:
            collected = self.collect_subfields(inner, details)
            if collected.new_defer_usages or collected.forbidden_directive_instances:
                return None
            fields: list[tuple[str, _Plain]] = []
            for name, sub_details in collected.grouped_field_set.items():
                plain = self._plain_field(inner, sub_details)
                if plain is None:
                    return None
                fields.append((name, plain))
            return _Plain(_unusual, _Never, self._object_converter(fields, non_null))
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _leaf(self, leaf_type: GraphQLScalarType | GraphQLEnumType, non_null: bool) -> _Plain:
        coerce = leaf_type.coerce_output_value
        is_awaitable = self.is_awaitable

        def coerced(value: Any) -> Any:
            if value is None or value is Undefined:
                if non_null:
                    raise _Unusual
                return None
            if isinstance(value, Exception) or is_awaitable(value):
                raise _Unusual
            answer = coerce(value)
            if answer is None or answer is Undefined:
                raise _Unusual
            return answer

        members = getattr(leaf_type, "wrapped_cls", None)  # strawberry's enums keep their Python enum here
        if isinstance(leaf_type, GraphQLEnumType) and isinstance(members, type) and issubclass(members, Enum):
            # keyed by identity: a member is a singleton, and hashing one runs Enum.__hash__ in Python
            names: dict[int, str] = {}
            for member in members:
                try:
                    names[id(member)] = coerce(member)
                except Exception:  # noqa: BLE001, S112 - a member graphql-core refuses: `coerced` answers it alike
                    continue

            def enum_name(value: Any) -> Any:
                name = names.get(id(value)) if type(value) is members else None
                return name if name is not None else coerced(value)

            return _Plain(_unusual, _Never, enum_name)
        exact = _SELF_ANSWERING.get(leaf_type, _Never) if isinstance(leaf_type, GraphQLScalarType) else _Never
        return _Plain(_unusual, exact, coerced)

    def _object_converter(self, fields: list[tuple[str, _Plain]], non_null: bool) -> Convert:
        """The function answering an object with these plain fields: a dict in the selection's order."""
        is_awaitable = self.is_awaitable
        checked: set[type] = set()  # Python types seen to be neither awaitables nor exceptions

        def admit(value: Any) -> bool:
            """Whether to answer the value's fields (False: answer null), checked once per Python type."""
            if value is None or value is Undefined:
                if non_null:
                    raise _Unusual
                return False
            if isinstance(value, Exception) or is_awaitable(value):
                raise _Unusual
            checked.add(type(value))
            return True

        # generated, as dataclasses generates __init__: one straight-line function per selection, with
        # attribute reads and a dict display, runs at several times the speed of a loop over the fields
        namespace: dict[str, Any] = {"checked": checked, "admit": admit}
        lines = ["def answer(value):", "    if type(value) not in checked and not admit(value):", "        return None"]
        for index, (_, plain) in enumerate(fields):
            namespace[f"get_{index}"], namespace[f"exact_{index}"], namespace[f"convert_{index}"] = plain[:3]
            if plain.constant is not None:
                lines.append(f"    a_{index} = {plain.constant!r}")
                continue
            read = f"value.{plain.attribute}" if plain.attribute else f"get_{index}(value)"
            if plain.exact is _Never:
                lines.append(f"    a_{index} = convert_{index}({read})")
            else:
                lines += [f"    a_{index} = {read}",
                          f"    if type(a_{index}) is not exact_{index}:",
                          f"        a_{index} = convert_{index}(a_{index})"]
        entries = ", ".join(f"{key!r}: a_{index}" for index, (key, _) in enumerate(fields))
        lines.append(f"    return {{{entries}}}")
        exec(_compiled("\n".join(lines)), namespace)  # noqa: S102 - source built above from names the schema validated
        answer: Convert = namespace["answer"]
        return answer


def _list_converter(item: _Plain, non_null: bool) -> Convert:
    exact, convert = item.exact, item.convert

    def answer(value: Any) -> list[Any]:
        cls = type(value)
        if cls is not list and cls is not tuple:
            if value is None or value is Undefined:
                if non_null:
                    raise _Unusual
                return None  # type: ignore[return-value]
            raise _Unusual  # other iterables, and whatever is not one: the general path
        if exact is _Never:
            return list(map(convert, value))
        return [element if type(element) is exact else convert(element) for element in value]

    return answer


def _unusual(value: Any) -> Any:
    raise _Unusual


@functools.lru_cache(maxsize=1024)
def _compiled(source: str) -> CodeType:
    """The source compiled once per process: a client sends the same few selections over and over."""
    return compile(source, "<likeness.schema.fastexec>", "exec")
