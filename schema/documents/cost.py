"""The estimated cost of an operation, refused above ``max_query_cost`` before it executes.

The cost is how many objects an operation may resolve. A field with a selection set costs 1
each time it resolves; a list multiplies what it selects by its page size: ``first`` or
``last`` (literal or variable) on the field, or on the connection above it, else the default
page. Leaves cost nothing; introspection costs 1 (bounded by the schema).

The estimate reads the request's variables, so it runs per request, after validation (the
document is known to be well formed and within the depth limit). It is linear in the document:
a selection set's cost is affine in the page handed down to it from a connection above
(``fixed + per_item * page``), so each fragment is estimated once, as such a pair, in the order
of ``schema.limits.fragment_order``, whatever the number of places it is spread in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    type_from_ast,
)
from strawberry.extensions import SchemaExtension

from schema.documents.limits import fragment_order, fragments_of
from schema.pagination import DEFAULT_PAGE

PAGE_ARGUMENTS = ("first", "last")
TOO_COSTLY = "QUERY_TOO_COSTLY"


class Cost(NamedTuple):
    """The objects a selection set may resolve: ``fixed``, plus ``per_item`` for each item of
    the page a connection above hands down to the first list below it."""

    fixed: int
    per_item: int

    def at(self, page: int) -> int:
        return self.fixed + self.per_item * page


FREE = Cost(0, 0)
ONE = Cost(1, 0)


class Estimate:
    """The cost of one operation of a document under one request's variables."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode,
                 operation: OperationDefinitionNode, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.operation = operation
        self.variables = variables
        self.visits = 0  # selection sets estimated: each once (tests count them)
        # A fragment's page variables default as the operation that spreads it declares.
        self.defaults = {d.variable.name.value: d.default_value
                         for d in operation.variable_definitions or ()}
        self.fragments: dict[str, Cost] = {}
        definitions = fragments_of(document)
        for name in fragment_order(definitions):
            fragment = definitions[name]
            self.fragments[name] = self.selections(
                fragment.selection_set, type_from_ast(self.schema, fragment.type_condition))

    def total(self) -> int:
        root = self.schema.get_root_type(self.operation.operation)
        return self.selections(self.operation.selection_set, root).at(DEFAULT_PAGE)

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None) -> Cost:
        """One response level: its fields, its inline fragments' and its spread fragments'
        (each once, as execution collects them)."""
        self.visits += 1
        fixed = per_item = 0
        spread: set[str] = set()
        level: list[tuple[SelectionSetNode, GraphQLNamedType | None]] = [(node, parent)]
        while level:
            selection_set, type_ = level.pop()
            for selection in selection_set.selections:
                cost = FREE
                if isinstance(selection, FieldNode):
                    cost = self.field(selection, type_)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    inner = type_from_ast(self.schema, condition) if condition else type_
                    level.append((selection.selection_set, inner))
                elif isinstance(selection, FragmentSpreadNode) \
                        and selection.name.value not in spread:
                    spread.add(selection.name.value)
                    cost = self.fragments.get(selection.name.value, FREE)
                fixed += cost.fixed
                per_item += cost.per_item
        return Cost(fixed, per_item)

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Cost:
        if node.selection_set is None:
            return FREE
        name = node.name.value
        definition = (parent.fields.get(name)
                      if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None)
        if definition is None or name.startswith("__"):
            return ONE
        below = self.selections(node.selection_set, get_named_type(definition.type))
        paged = not definition.args.keys().isdisjoint(PAGE_ARGUMENTS)
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            if paged:
                return Cost(1 + self.page(node) * below.at(DEFAULT_PAGE), 0)
            return Cost(1, below.at(DEFAULT_PAGE))  # the page handed down, or the default
        if paged:  # a connection: its page is handed down to the first list below it
            return Cost(1 + below.at(self.page(node)), 0)
        return Cost(1 + below.fixed, below.per_item)

    def page(self, node: FieldNode) -> int:
        sizes = [self.number(argument.value) for argument in node.arguments or ()
                 if argument.name.value in PAGE_ARGUMENTS]
        given = [size for size in sizes if size is not None]
        return max(given) if given else DEFAULT_PAGE

    def number(self, value: ValueNode | None) -> int | None:
        if isinstance(value, VariableNode):
            name = value.name.value
            if name in self.variables:
                raw = self.variables[name]
                return max(raw, 0) if isinstance(raw, int) and not isinstance(raw, bool) else None
            value = self.defaults.get(name)
        return max(int(value.value), 0) if isinstance(value, IntValueNode) else None


def too_costly(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any],
               operation: str | None, max_cost: int) -> list[GraphQLError]:
    """The refusal of the operation to run (the one named ``operation``, else the first) if
    its estimated cost is above ``max_cost``: an error with code ``QUERY_TOO_COSTLY``, ``cost``
    and ``maxCost``; else no error."""
    chosen = next((node for node in document.definitions
                   if isinstance(node, OperationDefinitionNode) and (
                       operation is None or (node.name is not None
                                             and node.name.value == operation))), None)
    if chosen is None:
        return []
    cost = Estimate(schema, document, chosen, variables).total()
    if cost <= max_cost:
        return []
    return [GraphQLError(
        f"Query cost {cost} is above the limit of {max_cost}. The cost counts the objects a "
        f"query may return: each list multiplies what it selects by its page size (first or "
        f"last; {DEFAULT_PAGE} when not given). Ask for smaller pages or fewer nested lists.",
        chosen, extensions={"code": TOO_COSTLY, "cost": cost, "maxCost": max_cost})]


class QueryCostLimiter(SchemaExtension):
    """Refuse a query or mutation above the cost limit before it executes."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            errors = too_costly(context.schema._schema, document, context.variables or {},
                                context.operation_name, self.max_cost)
            if errors:  # strawberry executes nothing when an extension has set the result
                context.result = ExecutionResult(data=None, errors=errors)
        yield
