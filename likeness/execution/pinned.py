"""Whether an operation's answer is a function of the graph alone, so that a GET may carry an ETag.

It is when the operation is a query, each of its root fields is one of READS_OF_THE_GRAPH (fields that read
the log-recorded graph and their arguments, and the law book loaded at start: never the wall clock but
through `asOf`, never alert deliveries, keys or workers), and its time is pinned: every field that takes an
instant defaulting to now (`asOf`, checkUsage's `at`) is given one, as a literal or a variable whose value is
not null, fragments included. An "as of now" answer changes with the clock (a consent expires), and so does
an asset list filtered by verdicts holding now (AssetFilter.verdictCodes): neither is pinned.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    BREAK,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    parse,
    visit,
)

# root fields whose answer reads nothing but the graph (as the log records its changes), their arguments
# and the laws loaded at start; each resolver checked (docs/api.md, "Persisted queries and conditional GET")
READS_OF_THE_GRAPH = frozenset(
    {
        "provenance",
        "likenessUsage",
        "audit",
        "liability",
        "usageHistory",
        "compensation",
        "checkUsage",
        "similarAssets",
        "laws",
        "__typename",
    }
)
# arguments that default to now
_INSTANTS = frozenset({"asOf", "at"})
# an input whose filter reads the verdicts holding now (likeness.resolvers.lists)
_FILTERS_READING_NOW = frozenset({"AssetFilter"})
# documents analysed, kept by text
_CACHED = 1_024
_MAX_TOKENS = 10_000


@dataclass(frozen=True)
class Pinning:
    """What a document needs of its variables for its answer to be pinned: these variables not null (sent
    so, or left to a default that is not null)."""

    variables: frozenset[str]
    defaulted: frozenset[str]

    def holds(self, values: Mapping[str, Any]) -> bool:
        return all(
            values[name] is not None if name in values else name in self.defaulted for name in self.variables
        )


def the_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The one operation of the document the request names (or its only one); None when there is no such
    single operation (GraphQL's own validation then says why)."""
    chosen = [
        node
        for node in document.definitions
        if isinstance(node, OperationDefinitionNode)
        and (operation_name is None or (node.name is not None and node.name.value == operation_name))
    ]
    return chosen[0] if len(chosen) == 1 else None


class PinnedReads:
    """The pinning of the documents run against one schema (None: never pinned), cached by document."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.pinning = functools.lru_cache(maxsize=_CACHED)(self._pinning)

    def pinned(self, query: str, operation_name: str | None, variables: Mapping[str, Any]) -> bool:
        """Whether this request's answer is a function of the graph, its document and its variables."""
        pinning = self.pinning(query, operation_name)
        return pinning is not None and pinning.holds(variables)

    def _pinning(self, query: str, operation_name: str | None) -> Pinning | None:
        try:
            document = parse(query, no_location=True, max_tokens=_MAX_TOKENS)
        except GraphQLError:
            return None
        operation = the_operation(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        fragments = {
            node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)
        }
        roots = _root_fields(operation.selection_set, fragments, set())
        if roots is None or not roots <= READS_OF_THE_GRAPH:
            return None
        walk = _InstantsWalk()
        type_info = TypeInfo(self.schema)
        for node in (operation, *fragments.values()):
            visit(node, TypeInfoVisitor(type_info, _Walker(type_info, walk)))
            if walk.unpinned:
                return None
        defaulted = {
            definition.variable.name.value
            for definition in operation.variable_definitions or ()
            if not (definition.default_value is None or isinstance(definition.default_value, NullValueNode))
        }
        return Pinning(frozenset(walk.variables), frozenset(defaulted))


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> set[str] | None:
    """The names of the root fields an operation selects, through its fragments; None for a fragment
    that is not defined."""
    found: set[str] = set()
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            found.add(selection.name.value)
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen:
                continue
            if name not in fragments:
                return None
            inner = _root_fields(fragments[name].selection_set, fragments, seen | {name})
        else:
            inner = set()
        if inner is None:
            return None
        found |= inner
    return found


class _InstantsWalk:
    """What the walk found: a time left to now, and the variables that must not be null."""

    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.unpinned = False

    def given(self, value: ValueNode | None) -> None:
        """An instant argument's value: a literal pins it; a variable does when its value is not null."""
        if value is None or isinstance(value, NullValueNode):
            self.unpinned = True
        elif isinstance(value, VariableNode):
            self.variables.add(value.name.value)


class _Walker(Visitor):
    def __init__(self, type_info: TypeInfo, walk: _InstantsWalk) -> None:
        super().__init__()
        self.type_info = type_info
        self.walk = walk

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        field = self.type_info.get_field_def()
        if field is None:
            # a field the schema does not have: the document does not validate, nothing is pinned
            self.walk.unpinned = True
            return BREAK
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        for name, argument in field.args.items():
            value = given.get(name)
            if name in _INSTANTS:
                self.walk.given(value)
            elif get_named_type(argument.type).name in _FILTERS_READING_NOW and not (
                value is None or isinstance(value, NullValueNode)
            ):
                self.walk.unpinned = True
        return BREAK if self.walk.unpinned else None
