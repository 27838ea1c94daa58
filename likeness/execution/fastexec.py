"""The schema's execution: graphql-core's, with plain subtrees of a selection completed directly.

graphql-core completes every field of every object through the same general machinery: a resolve
info object and a path built, arguments coerced, the resolver called through strawberry's wrapper,
awaitables checked, the value completed by type. For a field that is a plain attribute (strawberry's
default resolver, no arguments) all of that yields `getattr` plus a scalar's coercion, and the
general path costs ~10 µs a field on a small machine: a page of 10,000 verdicts took over a second.

`FastExecutionContext` plans each selection once per process and document. A field is *plain* when it is
`__typename` or a basic strawberry field read with `getattr`, its nodes carry no arguments and no
directives, no middleware wraps resolvers, and its type is a leaf, a concrete object type whose
selected fields are all plain, or a list of those. A plain field's whole subtree is then built in a
tight loop with precomputed getters and converters: a String, ID or Boolean that is already a `str`
or `bool` is its own answer, a strawberry enum member is looked up in a table of the names
graphql-core would give, a `datetime` or `date` under strawberry's DateTime or Date scalar is its own
`isoformat()` (what that scalar's coercion calls), anything else goes through the type's own
`coerce_output_value`.

Errors keep graphql-core's exact shape because the direct path never reports one. Anything unusual
in a plain subtree — a null where the schema says non-null, an awaitable, an exception as a value, a
list that is not a list or tuple, a value the coercion refuses, any exception at all — abandons the
direct answer for that field, and graphql-core's general path completes it again from the start;
plain fields are side-effect-free attribute reads, so reading them twice is safe. Fields that are not
plain (resolvers, arguments, @skip/@include/@defer/@stream, abstract types, middleware) always take
the general path, whose sub-selections come back here and are planned in turn.

Plans are shared by the requests executing the same document (strawberry's ParserCache hands them the
same AST): they are keyed by the parent type and the identities of the selection's field nodes, and kept
per operation beside strong references to its nodes, so that no id in a key can be reused while the key
lives. The fields a selection collects depend on the request's variables only through @skip/@include, so
a document's plans are kept per set of values of the variables those directives read; a document with
any other directive (@defer, @stream, ...) or with fragment variables is planned per request, as
before. The last `_DOCUMENTS_KEPT` documents are kept, least recently used first out.

Why not public API only. Passing an executor class is public (graphql-core's `execute(executor_class=...)`,
strawberry's `Schema(execution_context_class=...)`), but the methods a subclass can override to complete
fields are not: graphql-core 3.3 documents `Executor`'s execution and completion methods as "not part of
the public API" (`:meta private:`), and neither library offers a public hook that skips the per-field
machinery. Measured in process (10,000 verdicts, the shipped types, one quiet 2-core machine): this module
108 ms; strawberry's default execution 863 ms, and 878 ms without any extension; graphql-core's `execute`
on the same schema 853 ms with its default `IncrementalExecutor` and 816 ms with its plain public
`Executor` — every public route is about 8x slower, far beyond the 20% that would justify dropping this
module. So it stays, pinned to the minor version it mirrors, with a switch to turn it off
(`LIKENESS_FASTEXEC=0`: the app then builds the schema with graphql-core's general path alone, held to
the same bounds by `likeness.execution.limits.BoundedExecution`, see `likeness.execution.build.build_schema`),
and tests that compare both executions answer for answer.
"""

from __future__ import annotations

import functools
import keyword
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from operator import attrgetter
from types import CodeType
from typing import Any, NamedTuple

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.types.base_scalars import isoformat as _strawberry_iso

from likeness.execution.limits import BoundedExecution
from likeness.schema.readalong import NOT_READ, READ_ALONG

# Written against graphql-core 3.3.2 and strawberry-graphql 0.341.2. After an upgrade of either, re-read
# these and re-run tests/api/test_fastexec.py (it compares this execution with the default one):
#   graphql-core, graphql/execution/executor.py, class Executor:
#     execute_fields        overridden here; the loop mirrors it (a Path per field, Undefined skipped,
#                           awaitables gathered with gather_with_cancel, settle_in_background on error)
#     execute_field         the general path, called for every field that is not plain
#     collect_subfields     memoized sub-selections (CollectedFields: grouped_field_set,
#                           new_defer_usages, forbidden_directive_instances)
#     complete_value, complete_leaf_value, complete_list_value, complete_object_value
#                           the semantics the direct path reproduces: coerce_output_value and its
#                           None/Undefined refusal, lists and tuples only, is_type_of, non-null checks
#     attributes read: schema, operation, fragments, variable_values.coerced, middleware_manager,
#                      is_awaitable
#   graphql-core, graphql/execution/collect_fields.py: FieldDetails (node, defer_usage,
#     fragment_variable_values), FieldDetailsList, GroupedFieldSet, FragmentDetails (definition,
#     variable_signatures); graphql/pyutils: Path, Undefined, gather_with_cancel
#   strawberry, strawberry/schema/schema.py: StrawberryGraphQLCoreExecutionContext (the base class of
#     likeness.execution.limits.BoundedExecution, this one's: it stops an execution at its bounds);
#     strawberry/schema/schema_converter.py: a field's StrawberryField in its graphql-core extensions under
#     "strawberry-definition", `_is_default` on the resolver of a basic field, enums' `wrapped_cls`;
#     strawberry/types/field.py: StrawberryField.is_basic_field, default_resolver, python_name
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


_DOCUMENTS_KEPT = 256  # operations whose plans a process keeps
_VARIANTS_KEPT = 16  # sets of @skip/@include values an operation keeps plans for
_CONDITIONS = frozenset({"skip", "include"})  # the directives whose effect the shared plans' keys capture
_ABSENT = object()  # a variable without a value

# a selection's plain plans (None: the general path), in the order of its fields, by the parent type and
# the identities of its field nodes
_SharedPlans = dict[tuple[GraphQLObjectType, tuple[int, ...]], tuple["_Plain | None", ...]]


class _Document:
    """What the requests executing one operation share: its plans, per set of @skip/@include values."""

    __slots__ = ("conditions", "nodes", "variants")

    def __init__(self, nodes: tuple[Any, ...], conditions: tuple[str, ...] | None) -> None:
        self.nodes = nodes  # the operation and fragment definitions, held so that no id in a key is reused
        self.conditions = conditions  # the variables @skip/@include read; None: plans are not shared
        self.variants: dict[tuple[Any, ...], _SharedPlans] = {}  # by those variables' values


# by the schema, the execution's class and awaitable test, and the identities of the operation and fragments
_documents: OrderedDict[tuple[Any, ...], _Document] = OrderedDict()


def _conditions(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> tuple[str, ...] | None:
    """The variables the operation's @skip/@include directives read (their values decide which fields a
    selection collects), or None when something else may: another directive, or fragment variables."""
    names: set[str] = set()

    def plain_directives(directives: Any) -> bool:
        for directive in directives or ():
            if not isinstance(directive, DirectiveNode) or directive.name.value not in _CONDITIONS:
                return False
            for argument in directive.arguments or ():
                if isinstance(argument.value, VariableNode):
                    names.add(argument.value.name.value)
                elif not isinstance(argument.value, BooleanValueNode):
                    return False
        return True

    def plain_selections(selection_set: SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set else ():
            if not plain_directives(selection.directives):
                return False
            if isinstance(selection, FieldNode | InlineFragmentNode) and not plain_selections(
                selection.selection_set
            ):
                return False
        return True

    if not plain_directives(operation.directives) or not plain_selections(operation.selection_set):
        return None
    for details in fragments.values():
        definition: FragmentDefinitionNode = details.definition
        if (
            details.variable_signatures
            or definition.variable_definitions
            or not plain_directives(definition.directives)
            or not plain_selections(definition.selection_set)
        ):
            return None
    return tuple(sorted(names))


# graphql-core's own scalars (by identity: a schema's override is another type) whose coercion answers a
# value of exactly this Python type with the value itself
_SELF_ANSWERING: dict[GraphQLScalarType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}
# the Python types whose coercion by strawberry's DateTime and Date scalars (serialize = its `isoformat`
# methodcaller, by identity: an override is another function) is the value's own `isoformat()`
_ISO_TYPES = (datetime, date)


class FastExecutionContext(BoundedExecution):
    """graphql-core's execution, with plain subtrees completed directly (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares  # middleware hooks every field
        # both keyed by the identity of graphql-core's (per request, memoized) field groups, which are kept
        # alive beside the plan so that an id is not reused during the request
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[GroupedFieldSet, list[_Step]]] = {}
        self._plain_types: dict[tuple[GraphQLOutputType, int], tuple[FieldDetailsList, _Plain | None]] = {}
        # the plain plans of the requests executing this operation with these @skip/@include values (None:
        # planned for this request alone)
        self._shared: _SharedPlans | None = self._shared_plans() if self._direct else None

    def _shared_plans(self) -> _SharedPlans | None:
        """The plans this request shares with earlier ones of the same operation and @skip/@include values."""
        operation = self.operation
        fragments = tuple(details.definition for details in self.fragments.values())
        key = (self.schema, type(self), self.is_awaitable, id(operation), *map(id, fragments))
        document = _documents.get(key)
        if document is None:
            document = _documents[key] = _Document(
                (operation, fragments), _conditions(operation, self.fragments)
            )
            while len(_documents) > _DOCUMENTS_KEPT:
                _documents.popitem(last=False)
        else:
            _documents.move_to_end(key)
        if document.conditions is None:
            return None
        coerced = self.variable_values.coerced
        values = tuple(coerced.get(name, _ABSENT) for name in document.conditions)
        try:
            plans = document.variants.get(values)
        except TypeError:  # an unhashable value: not a Boolean, so graphql-core will refuse it anyway
            return None
        if plans is None:
            if len(document.variants) >= _VARIANTS_KEPT:
                del document.variants[next(iter(document.variants))]
            plans = document.variants[values] = {}
        return plans

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
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
                result = self.execute_field(
                    parent_type, source_value, details, Path(path, key, parent_type.name), position_context
                )
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
        """The steps answering this selection on this type, planned once per document (or request)."""
        key = (parent_type, id(grouped_field_set))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        shared = self._shared
        if shared is None:
            plains: tuple[_Plain | None, ...] = tuple(
                self._plain_field(parent_type, details) if self._direct else None
                for details in grouped_field_set.values()
            )
        else:
            # the field nodes, in order, determine the groups (a node's response key is its own), and with the
            # operation's @skip/@include values what each group collects below it
            nodes = (
                parent_type,
                tuple(id(detail.node) for details in grouped_field_set.values() for detail in details),
            )
            found = shared.get(nodes)
            if found is None:
                found = shared[nodes] = tuple(
                    self._plain_field(parent_type, details) for details in grouped_field_set.values()
                )
            plains = found
        plan = [
            _Step(name, details, plain)
            for (name, details), plain in zip(grouped_field_set.items(), plains, strict=True)
        ]
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
        along = None if field is None else field.metadata.get(READ_ALONG)
        if along is not None:
            answer = self._plain_type(field_def.type, details)
            return None if answer is None else _Plain(_read_along(along), answer.exact, answer.convert)
        if (
            field is None
            or not getattr(field_def.resolve, "_is_default", False)
            or not field.is_basic_field
            or field.default_resolver is not getattr
        ):
            return None
        answer = self._plain_type(field_def.type, details)
        if answer is None:
            return None
        attribute = field.python_name
        identifier = (
            attribute.isidentifier() and not keyword.iskeyword(attribute) and not attribute.startswith("__")
        )
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

    def _plain_type_uncached(
        self, return_type: GraphQLOutputType, details: FieldDetailsList
    ) -> _Plain | None:
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
        iso_scalar = (
            isinstance(leaf_type, GraphQLScalarType) and leaf_type.coerce_output_value is _strawberry_iso
        )
        if iso_scalar:
            instant, day = _ISO_TYPES

            def iso(value: Any) -> Any:
                kind = type(value)
                return value.isoformat() if kind is instant or kind is day else coerced(value)

            return _Plain(_unusual, _Never, iso)
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
        lines = [
            "def answer(value):",
            "    if type(value) not in checked and not admit(value):",
            "        return None",
        ]
        for index, (_, plain) in enumerate(fields):
            namespace[f"get_{index}"], namespace[f"exact_{index}"], namespace[f"convert_{index}"] = plain[:3]
            if plain.constant is not None:
                lines.append(f"    a_{index} = {plain.constant!r}")
                continue
            read = f"value.{plain.attribute}" if plain.attribute else f"get_{index}(value)"
            if plain.exact is _Never:
                lines.append(f"    a_{index} = convert_{index}({read})")
            else:
                lines += [
                    f"    a_{index} = {read}",
                    f"    if type(a_{index}) is not exact_{index}:",
                    f"        a_{index} = convert_{index}(a_{index})",
                ]
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


def _read_along(attribute: str) -> Callable[[Any], Any]:
    def get(source: Any) -> Any:
        value = getattr(source, attribute)
        if value is NOT_READ:
            raise _Unusual
        return value

    return get


@functools.lru_cache(maxsize=1024)
def _compiled(source: str) -> CodeType:
    """The source compiled once per process: a client sends the same few selections over and over."""
    return compile(source, "<likeness.execution.fastexec>", "exec")
