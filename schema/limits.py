"""Hardening of the GraphQL surface: the schema extensions that limit what a query may ask.

Development and production differ only by configuration (``Settings``):

- always: query depth (``max_query_depth``), aliases (``max_aliases``), tokens (``max_tokens``,
  enforced by the parser) and estimated cost (``max_query_cost``, below);
- production only: no introspection, and no "Did you mean ...?" hints in error messages, which
  would otherwise spell the schema out to a stranger one guess at a time.

Refusals are GraphQL errors (HTTP 200, ``data: null``, ``errors`` naming the limit) and nothing
is executed. MaskErrors (``schema.root``) masks only resolver exceptions, so these stay readable.
The depth and alias rule classes are made once per schema, not per request, so that a
validation cache keyed by the rules still hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    type_from_ast,
    visit,
)
from graphql.language import SKIP
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from lifecycle.settings import Settings
from schema.pagination import DEFAULT_PAGE

SUGGESTION = re.compile(r" Did you mean [^\n]*\?$")
PAGE_ARGUMENTS = ("first", "last")


class _Estimate:
    """The cost of one operation: how many objects it may resolve. A field with a selection set
    costs 1 each time it resolves; a list multiplies what it selects by its page size: ``first``
    or ``last`` (literal or variable) on the field or on the connection above it, else the
    default page. Leaves cost nothing; introspection costs 1 (bounded by the schema)."""

    def __init__(self, context: ValidationContext, operation: OperationDefinitionNode,
                 variables: Mapping[str, Any]) -> None:
        self.context = context
        self.variables = variables
        self.defaults = {d.variable.name.value: d.default_value
                         for d in operation.variable_definitions or ()}
        self.fragments: dict[tuple[str, int | None], int] = {}

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None,
                   pending: int | None) -> int:
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, pending)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = type_from_ast(self.context.schema, condition) if condition else parent
                total += self.selections(selection.selection_set, inner, pending)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, pending)
        return total

    def fragment(self, name: str, pending: int | None) -> int:
        key = (name, pending)
        if key not in self.fragments:  # once per fragment: spreads cannot multiply the work
            self.fragments[key] = 0
            fragment = self.context.get_fragment(name)
            if fragment is not None:
                condition = type_from_ast(self.context.schema, fragment.type_condition)
                self.fragments[key] = self.selections(fragment.selection_set, condition, pending)
        return self.fragments[key]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, pending: int | None) -> int:
        name = node.name.value
        definition = (parent.fields.get(name)
                      if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None)
        if node.selection_set is None or definition is None or name.startswith("__"):
            return 0 if node.selection_set is None else 1
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        page = self.page(node) if set(PAGE_ARGUMENTS) & definition.args.keys() else None
        factor = 1
        if is_list:
            factor = page if page is not None else pending if pending is not None else DEFAULT_PAGE
            pending = None
        elif page is not None:  # a connection: the first list below it holds the page
            pending = page
        inner = get_named_type(definition.type)
        return 1 + factor * self.selections(node.selection_set, inner, pending)

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


def query_cost_rule(max_cost: int, variables: Mapping[str, Any] | None = None,
                    operation: str | None = None) -> type[ValidationRule]:
    """A graphql-core validation rule refusing an operation (the named one, or each) whose
    estimated cost is above ``max_cost``, given the request's variables."""

    class QueryCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_: object) -> object:
            if operation is None or (node.name is not None and node.name.value == operation):
                root = self.context.schema.get_root_type(node.operation)
                cost = _Estimate(self.context, node, variables or {}).selections(
                    node.selection_set, root, None)
                if cost > max_cost:
                    self.report_error(GraphQLError(
                        f"Query cost {cost} is above the limit of {max_cost}. The cost counts "
                        f"the objects a query may return: each list multiplies what it selects "
                        f"by its page size (first or last; {DEFAULT_PAGE} when not given). "
                        f"Ask for smaller pages or fewer nested lists.",
                        node, extensions={"code": "QUERY_TOO_COSTLY", "cost": cost,
                                          "maxCost": max_cost}))
            return SKIP

        def enter_fragment_definition(self, *_: object) -> object:
            return SKIP

    return QueryCostRule


class QueryCostLimiter(SchemaExtension):
    """Refuse a query or mutation above the cost limit before it executes. It runs once the
    document has passed validation (so it is known to be well formed and within the depth
    limit), and it reads the request's variables, which validation proper never sees."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            # The rule alone, without graphql.validate's machinery: 20 µs, not 300.
            schema = context.schema._schema
            errors: list[GraphQLError] = []
            rule = query_cost_rule(self.max_cost, context.variables, context.operation_name)
            visit(document, rule(ValidationContext(schema, document, TypeInfo(schema),
                                                   errors.append)))
            if errors:  # strawberry executes nothing when an extension has set the result
                context.result = ExecutionResult(data=None, errors=errors)
        yield


class HideSuggestions(SchemaExtension):
    """Drop graphql-core's "Did you mean ...?" hints from every error of an operation (those of
    validation, and those of coercing variables, such as an unknown enum value)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors or []) if result is not None else []:
            error.message = SUGGESTION.sub("", error.message)


def validation_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    rules: list[type[ASTValidationRule]] = [depth_rule(settings.max_query_depth, None),
                                            aliases_rule(settings.max_aliases)]
    if not settings.development:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def hardening(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Extensions that bound a query's depth, aliases, tokens and cost, as factories (strawberry
    makes fresh ones for each request)."""
    rules = validation_rules(settings)
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: QueryCostLimiter(settings.max_query_cost),
    ]
    if not settings.development:
        extensions.append(HideSuggestions)
    return extensions
