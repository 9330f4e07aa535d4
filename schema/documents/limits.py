"""The limits on what a GraphQL document may ask, checked in one pass linear in the document.

Development and production differ only by configuration (``Settings``):

- always: the document's length (``max_document_chars``) and tokens (``max_tokens``), both
  checked while it is read (``schema.documents``); then, in one pass over the parsed document,
  each operation's depth (``max_query_depth``) and aliases (``max_aliases``), and the fields
  each selection set collects (``max_selection_fields``); then graphql-core's validation; and,
  per request, the estimated cost (``max_query_cost``, ``schema.cost``);
- production only: no introspection, and no suggestions ("Did you mean ...?"), which would
  otherwise spell the schema out to a stranger one guess at a time.

The one pass visits each selection set once and each fragment once, whatever the number of
places a fragment is spread in: a fragment's totals are computed once, after those of the
fragments it spreads (``fragment_order``), and reused. So a chain of fragments that each spread
the next twice costs as many steps as it has fragments, not two to the power of that (as the
depth and alias validators of strawberry did, which walk every path). Counts follow what
graphql-core executes: within one selection set a fragment spread twice is collected once.

The cap on fields per selection set exists because graphql-core's check that overlapping
fields can be merged compares the fields of one selection set pairwise (fields spread in from
fragments included): quadratic in the set's size. The cap is counted with fragments expanded
and refused before graphql-core's validation runs. Many sets each under the cap could still add
up (a ladder of fragments, each adding a field and spreading the next, brings nearly the cap
into every set), so the sum over all sets of their squared sizes is bounded too, at
``PAIRS_PER_CAP`` sets at the cap's worth.

Refusals are GraphQL errors with a code (HTTP 200, ``data: null``) and nothing is executed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    specified_rules,
)
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from lifecycle.service.settings import Settings

PAIRS_PER_CAP = 4
TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_FIELDS = "TOO_MANY_FIELDS"


@dataclass(frozen=True)
class Limits:
    """The structural limits of one schema."""

    depth: int
    aliases: int
    fields: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_query_depth, settings.max_aliases, settings.max_selection_fields)


class Tally(NamedTuple):
    """What one response level asks for, its fragments expanded: ``depth`` is the most fields
    with a selection set nested below it (introspection fields not counted), ``aliases`` the
    aliased fields at and below it, ``fields`` the fields it collects itself."""

    depth: int
    aliases: int
    fields: int


NOTHING = Tally(0, 0, 0)


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragments by name; of two with one name the first (graphql-core
    reports the duplicate)."""
    found: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            found.setdefault(definition.name.value, definition)
    return found


def spread_names(root: SelectionSetNode) -> list[str]:
    """The names of the fragments spread anywhere in ``root``, in order, with repeats."""
    names: list[str] = []
    pending = [root]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) \
                    and selection.selection_set is not None:
                pending.append(selection.selection_set)
    return names


def fragment_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Every fragment name, each after the fragments it spreads, found without recursion (a
    chain of fragments can be longer than Python's stack). A spread that closes a cycle, or
    names no fragment, is left out: graphql-core reports both, and a fragment reached through
    one counts as asking for nothing."""
    spreads = {name: spread_names(fragment.selection_set) for name, fragment in fragments.items()}
    order: list[str] = []
    entered: set[str] = set()
    for root in fragments:
        if root in entered:
            continue
        entered.add(root)
        path = [(root, iter(spreads[root]))]
        while path:
            name, below = path[-1]
            following = next((n for n in below if n in spreads and n not in entered), None)
            if following is None:
                path.pop()
                order.append(name)
            else:
                entered.add(following)
                path.append((following, iter(spreads[following])))
    return order


class Shape:
    """The tallies of a document's operations and fragments, in one pass (see the module)."""

    def __init__(self, document: DocumentNode, limits: Limits) -> None:
        self.limits = limits
        self.visits = 0  # selection sets tallied: each once (tests count them)
        self.pairs = 0  # the squared sizes of all selection sets, summed
        self.too_large: GraphQLError | None = None
        self.fragments: dict[str, Tally] = {}
        definitions = fragments_of(document)
        for name in fragment_order(definitions):
            self.fragments[name] = self.tally(definitions[name].selection_set)
        self.operations = [(operation, self.tally(operation.selection_set))
                           for operation in document.definitions
                           if isinstance(operation, OperationDefinitionNode)]

    def tally(self, node: SelectionSetNode) -> Tally:
        """The tally of one response level: its fields, those of its inline fragments, and
        those of the fragments it spreads (each once). Recursion follows nested fields only,
        which the parser bounds (graphql-core refuses documents nested over 200 deep)."""
        self.visits += 1
        depth = aliases = fields = 0
        spread: set[str] = set()
        level = [node]
        while level:
            for selection in level.pop().selections:
                if isinstance(selection, FieldNode):
                    fields += 1
                    aliases += selection.alias is not None
                    if selection.selection_set is not None:
                        below = self.tally(selection.selection_set)
                        aliases += below.aliases
                        if not selection.name.value.startswith("__"):
                            depth = max(depth, 1 + below.depth)
                elif isinstance(selection, InlineFragmentNode):
                    level.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name not in spread:
                        spread.add(name)
                        found = self.fragments.get(name, NOTHING)
                        depth = max(depth, found.depth)
                        aliases += found.aliases
                        fields += found.fields
        self.pairs += fields * fields
        if fields > self.limits.fields and self.too_large is None:
            self.too_large = GraphQLError(
                f"A selection set asks for {fields} fields (those of its inline fragments and "
                f"spread fragments included); the limit is {self.limits.fields}. Ask for "
                f"fewer fields at one level, or split the query.", node,
                extensions={"code": TOO_MANY_FIELDS, "fields": fields,
                            "maxFields": self.limits.fields})
        return Tally(depth, aliases, fields)

    def errors(self) -> list[GraphQLError]:
        """The refusals: a selection set over the field cap (or all of them together over the
        pairs they add up to), then each operation too deep or with too many aliases."""
        errors = [self.too_large] if self.too_large is not None else []
        most = PAIRS_PER_CAP * self.limits.fields ** 2
        if not errors and self.pairs > most:
            errors.append(GraphQLError(
                f"The document's selection sets ask for {self.pairs} pairs of fields to compare "
                f"(each set's fields squared, fragments expanded wherever they are spread); the "
                f"limit is {most}. Ask for fewer fields, or spread large fragments in fewer "
                f"places.", extensions={"code": TOO_MANY_FIELDS, "fieldPairs": self.pairs,
                                        "maxFieldPairs": most}))
        for operation, tally in self.operations:
            name = operation.name.value if operation.name else "anonymous"
            if tally.depth > self.limits.depth:
                errors.append(GraphQLError(
                    f"'{name}' exceeds maximum operation depth of {self.limits.depth}",
                    operation, extensions={"code": TOO_DEEP, "depth": tally.depth,
                                           "maxDepth": self.limits.depth}))
            if tally.aliases > self.limits.aliases:
                errors.append(GraphQLError(
                    f"{tally.aliases} aliases found. Allowed: {self.limits.aliases}",
                    operation, extensions={"code": TOO_MANY_ALIASES, "aliases": tally.aliases,
                                           "maxAliases": self.limits.aliases}))
        return errors


def validation_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    """graphql-core's rules, strawberry's own two (as strawberry's validation adds them), and
    in production the refusal of introspection."""
    rules: list[type[ASTValidationRule]] = [*specified_rules, MaybeNullValidationRule,
                                            OneOfInputValidationRule]
    if not settings.development:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
