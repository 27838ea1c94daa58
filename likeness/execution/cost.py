"""What a GraphQL document asks for, measured before it runs: its tokens, how deep its fields nest, its
aliases, and its estimated cost (likeness.execution.limits holds operations to limits on each).

The estimate. Each object a field may return costs 1; a leaf (scalar, enum) costs nothing. A list is
expected to hold its page size (`first`, given or by default) when the field takes one; the items list
of a connection (its `edges` or `nodes`, a usage history's `assets`) the `first` of the field above it;
any other list (the few unpaged relationships, verdicts, …) `DEFAULT_LIST_SIZE` items. A field costs its
expected count times one plus the cost of its selection: `asset { twins { person { id } } }` is
1 × (1 + 10 × (1 + 1)) = 21, `organization { assets { nodes { twins { id } } } }` is
1 × (1 + 1 × (1 + 50 × (1 + 10))) = 553 (the connection itself 1, its 50 nodes by default), and a
regulator's whole-market audit, `audit(first: 10000) { edges { node { liable { partyId } } } }`,
1 × (1 + 10000 × (1 + 1 × (1 + 10))) = 120,001. Introspection counts for the cost but not the depth: its
type references nest deeper than any question about the graph (graphql-core's own rule bounds its nesting).

Fragments are unfolded where they are spread, each measured once (per page size), so that a document
spreading fragments in fragments is measured in time proportional to its length, however much it unfolds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    VariableNode,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from likeness.resolvers.common import MAX_PAGE

# how many items a list without a page size is expected to hold (relationship lists, verdict lists, …)
DEFAULT_LIST_SIZE = 10
# lists holding the page of the field above them, sized by that field's `first`: (type, field)
PAGE_LISTS = frozenset(
    {
        ("UsageConnection", "edges"),
        ("VerdictConnection", "edges"),
        ("UsageHistory", "assets"),
        ("NoticeConnection", "edges"),
    }
    # the connections of the node types' lists (likeness.schema.connections): edges and nodes alike
    | {
        (f"{kind}Connection", part)
        for kind in (
            "Asset",
            "Campaign",
            "Capture",
            "Consent",
            "Payment",
            "Person",
            "Sighting",
            "TakedownNotice",
            "Twin",
        )
        for part in ("edges", "nodes")
    }
)
_INTROSPECTION = frozenset({"__schema", "__type"})


def token_count(query: str, stop_after: int) -> int:
    """The document's tokens as graphql-core's parser counts them (comments aside), counted no further than
    `stop_after` + 1; a lexical error ends the count (the parser then reports it)."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > stop_after:
                break
    except GraphQLError:
        pass
    return count


def fragments_of(document: Any) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name."""
    return {
        node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)
    }


class Shape:
    """Depth and aliases of a document's selections, fragments unfolded where they are spread (each
    fragment measured once; a spread inside its own fragment counts nothing: validation refuses cycles)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self._depths: dict[str, int] = {}
        self._aliases: dict[str, int] = {}
        self._open: set[str] = set()

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        """How many levels of fields nest in the selection (introspection's own fields aside)."""
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value not in _INTROSPECTION:
                    deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._spread(selection.name.value, self._depths, self.depth))
        return deepest

    def aliases(self, selection_set: SelectionSetNode | None) -> int:
        """How many aliased fields the selection holds, a fragment's counted at each of its spreads."""
        count = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                count += (selection.alias is not None) + self.aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._spread(selection.name.value, self._aliases, self.aliases)
        return count

    def _spread(
        self, name: str, memo: dict[str, int], measure: Callable[[SelectionSetNode | None], int]
    ) -> int:
        if name in memo:
            return memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._open:
            return 0
        self._open.add(name)
        memo[name] = measure(fragment.selection_set)
        self._open.discard(name)
        return memo[name]


def operations_of(document: Any) -> Iterator[OperationDefinitionNode]:
    """The document's operation definitions."""
    return (node for node in document.definitions if isinstance(node, OperationDefinitionNode))


def operation_name(operation: OperationDefinitionNode) -> str:
    """How a message names the operation."""
    return f"operation {operation.name.value!r}" if operation.name else "the operation"


class _Cost:
    """The estimated cost of an operation's selections (module docstring), with its variables' values."""

    def __init__(self, schema: GraphQLSchema, document: Any, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments_of(document)
        self.variables = variables
        self.defaults: dict[str, Any] = {}
        self._memo: dict[tuple[str, str, int | None], int] = {}
        self._open: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> int:
        for definition in operation.variable_definitions or ():
            if isinstance(definition.default_value, IntValueNode):
                self.defaults[definition.variable.name.value] = int(definition.default_value.value)
        root = self.schema.get_root_type(operation.operation)
        return 0 if root is None else self.selection(operation.selection_set, root, None)

    def selection(self, selection_set: SelectionSetNode | None, parent: Any, page: int | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection(selection.selection_set, scope or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, parent, page)
        return total

    def spread(self, name: str, parent: Any, page: int | None) -> int:
        key = (name, getattr(parent, "name", ""), page)
        if key in self._memo:
            return self._memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._open:
            return 0
        self._open.add(name)
        scope = self.schema.get_type(fragment.type_condition.name.value) or parent
        self._memo[key] = self.selection(fragment.selection_set, scope, page)
        self._open.discard(name)
        return self._memo[key]

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        if name == "__schema":
            definition: Any = SchemaMetaFieldDef
        elif name == "__type":
            definition = TypeMetaFieldDef
        elif isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        else:
            definition = None  # __typename, or a field validation refused
        if definition is None:
            return 0
        kind, is_list = definition.type, False
        while isinstance(kind, GraphQLNonNull | GraphQLList):
            is_list = is_list or isinstance(kind, GraphQLList)
            kind = kind.of_type
        if not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            return 0
        first = self.first(node, definition) if "first" in definition.args else None
        if not is_list:
            count = 1
        elif first is not None:
            count = first
        elif (getattr(parent, "name", ""), name) in PAGE_LISTS and page is not None:
            count = page
        else:
            count = DEFAULT_LIST_SIZE
        return count * (1 + self.selection(node.selection_set, kind, first))

    def first(self, node: FieldNode, definition: Any) -> int:
        """The field's page size, from its argument, a variable or the default, within 0–MAX_PAGE (a size
        out of range is refused when the field runs)."""
        value: Any = definition.args["first"].default_value
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                variable = argument.value.name.value
                value = self.variables.get(variable, self.defaults.get(variable, value))
        if not isinstance(value, int) or isinstance(value, bool):
            value = MAX_PAGE
        return min(max(value, 0), MAX_PAGE)


def estimated_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Mapping[str, Any]
) -> int:
    """The estimated cost of the operation the request runs (the only one, or the one named)."""
    chosen = [
        operation
        for operation in operations_of(document)
        if operation_name is None or (operation.name is not None and operation.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return 0  # no operation to run: the request is refused for that
    return _Cost(schema, document, variables).operation(chosen[0])
