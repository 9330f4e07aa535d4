"""Every use of graphql-core's and strawberry's non-public machinery, in one place, each kept
because ``bench.api`` measured it worth more than 10% of the page query's throughput or because
a limit needs it (issue 10, item 7). graphql-core and strawberry are pinned exactly
(``pyproject.toml``, ``requirements.lock``); ``tests/unit/test_graphql_internals.py`` fails if
anything relied on here changes, so that an upgrade is a deliberate step.

What is relied on, and by what:

- ``FastLeaves`` overrides graphql-core's ``Executor.execute_fields`` (``:meta private:``
  there) and reads strawberry's marks on its fields: ``_is_default`` on the default resolver,
  the ``GraphQLCoreConverter.DEFINITION_BACKREF`` extension, ``is_basic_field`` and
  ``python_name``. graphql-core resolves every field the same general way: a resolve-info
  object, the resolver (for a plain attribute, strawberry's default one), then value
  completion. A page of 50 innovations has some 600 leaves, and that general path is most of
  the time of such a query. For a field whose resolver is strawberry's default (no resolver,
  no extensions, no permissions) and whose type is a scalar or enum, this reads the attribute
  and serializes it with the type's own serializer, which is what the general path ends in.
  Anything else (an absent attribute, a null in a non-null field, a value the serializer
  refuses, middleware) goes the general way, so errors and their paths are graphql-core's own.
  The answer keeps the order the query asked.
- ``QuietLeaves`` passes ``hide_suggestions`` to graphql-core's ``Executor.build``,
  which strawberry does not pass (suggestions would spell the schema out in production).
- ``Deferred`` relies on graphql-core awaiting whatever awaitable a default resolver returns,
  so that a related object's DataLoader call starts only if the query selects the field;
  ``selected`` reads strawberry's ``info.selected_fields`` so that a page fetches its related
  rows in one query each.
- ``limit_overlap_work`` lowers graphql-core's module-wide budget for comparing overlapping
  fields (``overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET``); ``token_count`` reads
  the count graphql-core's parser leaves on a document; ``ValidationAbortedError`` is what
  validation reports when it spends that budget.
- ``use_document`` and ``use_validation`` hand strawberry a document parsed and validated
  elsewhere: strawberry parses only while ``graphql_document`` is None and validates only while
  ``pre_execution_errors`` is None (as its own ``ParserCache`` and ``ValidationCache`` do).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Iterable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar, cast

from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import Path
from graphql.validation.rules import overlapping_fields_can_be_merged
from graphql.validation.validate import ValidationAbortedError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import ExecutionContext
from strawberry.types.nodes import SelectedField, Selection

__all__ = ["Deferred", "FastLeaves", "QuietLeaves", "ValidationAbortedError", "executor",
           "leaves", "limit_overlap_work", "selected", "token_count", "use_document",
           "use_validation"]

T = TypeVar("T")


# -- leaves read in one pass ----------------------------------------------------------------------
class Leaf(NamedTuple):
    attribute: str
    serialize: Any
    nullable: bool


_LEAVES: dict[GraphQLObjectType, dict[str, Leaf]] = {}


def _leaf(field: GraphQLField) -> Leaf | None:
    if not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Strawberry marks a field without a resolver as default even when it has permission
    # classes or field extensions, which must still run: only a basic field is a plain read.
    if not getattr(definition, "is_basic_field", False):
        return None
    attribute = getattr(definition, "python_name", None)
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if attribute is None or not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return None
    return Leaf(attribute, named.serialize, nullable)


def leaves(parent: GraphQLObjectType) -> dict[str, Leaf]:
    """The fast-path fields of a type (GraphQL name -> leaf), found once per type."""
    found = _LEAVES.get(parent)
    if found is None:
        found = _LEAVES[parent] = {name: leaf for name, field in parent.fields.items()
                                   if (leaf := _leaf(field)) is not None}
    return found


def _read(leaf: Leaf, source: Any) -> Any:
    """The serialized value of ``leaf`` on ``source``, or Undefined where graphql-core's general
    path must decide (an absent attribute, a null in a non-null field, a refused value)."""
    value = getattr(source, leaf.attribute, Undefined)
    if value is None:
        return None if leaf.nullable else Undefined
    if value is Undefined:
        return Undefined
    try:
        serialized = leaf.serialize(value)
    except Exception:
        return Undefined
    return Undefined if serialized is None else serialized


class FastLeaves(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, with an object's plain leaves read in one pass."""

    def _plain(self) -> bool:
        manager = self.middleware_manager
        return manager is None or not manager.middlewares

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any,
                       path: Path | None, grouped_field_set: dict[str, Any],
                       position_context: Any) -> Any:
        """An object's fields: its fast leaves read here in one pass (no path, no call per
        field), the rest by graphql-core, and the answer in the order the query asked."""
        if not self._plain():
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        table = leaves(parent_type)
        fast: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            leaf = table.get(details[0].node.name.value)
            if leaf is not None and (value := _read(leaf, source_value)) is not Undefined:
                fast[response_name] = value
        if len(fast) == len(grouped_field_set):
            return fast
        rest = ({name: details for name, details in grouped_field_set.items()
                 if name not in fast} if fast else grouped_field_set)
        completed = super().execute_fields(parent_type, source_value, path, rest,
                                           position_context)
        if not fast:
            return completed
        if self.is_awaitable(completed):

            async def in_order() -> dict[str, Any]:
                return _merged(grouped_field_set, fast, await completed)

            return in_order()
        return _merged(grouped_field_set, fast, cast(dict[str, Any], completed))


def _merged(order: dict[str, Any], fast: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``order`` (the query's), from ``fast`` or ``rest`` (where a field that
    resolved to nothing, e.g. an unknown one, is absent as graphql-core leaves it)."""
    merged = {}
    for name in order:
        if name in fast:
            merged[name] = fast[name]
        elif name in rest:
            merged[name] = rest[name]
    return merged


class QuietLeaves(FastLeaves):
    """The executor with graphql-core's suggestions off: errors met while coercing variables
    (an unknown enum value, a misspelt input field) say what is wrong, not what would be right.
    graphql-core's ``hide_suggestions`` covers every place it suggests; strawberry does not pass
    it, so it is set here, where graphql-core builds the executor."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


def executor(development: bool) -> type[FastLeaves]:
    """The execution class: suggestions only in development."""
    return FastLeaves if development else QuietLeaves


# -- related objects of a page --------------------------------------------------------------------
class Deferred(Generic[T]):
    """An awaitable that starts its work only when awaited: a related object's DataLoader call,
    made only if the query selects the field (graphql-core awaits what a field returns)."""

    __slots__ = ("start",)

    def __init__(self, start: Callable[[], Awaitable[T]]) -> None:
        self.start = start

    def __await__(self) -> Generator[Any, None, T]:
        return self.start().__await__()


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:  # a fragment, spread or inline: its fields are selected here too
            yield from _fields(selection.selections)


def selected(selections: Iterable[Selection], *path: str) -> set[str]:
    """The field names selected at the end of ``path`` (GraphQL names), through fragments, so
    that a list resolver can fetch related rows for the whole page in one query. Directives are
    not evaluated: a field under ``@skip`` counts, which costs a prefetch, never correctness."""
    level = list(selections)
    for name in path:
        level = [inner for field in _fields(level) if field.name == name
                 for inner in field.selections]
    return {field.name for field in _fields(level)}


# -- parsing and validation -----------------------------------------------------------------------
def limit_overlap_work(budget: int) -> None:
    """Lower graphql-core's units of work for comparing overlapping fields (process-wide: the
    budget is a module global there); a document that spends it fails validation with
    ``ValidationAbortedError``."""
    overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = budget


def token_count(document: DocumentNode, default: int) -> int:
    """The tokens graphql-core's parser read for ``document`` (``default`` if it left none)."""
    return int(getattr(document, "token_count", default))


def use_document(context: ExecutionContext, document: DocumentNode) -> None:
    """Have strawberry run ``document``, parsed elsewhere (call in an extension's
    ``on_parse``): strawberry parses only while ``graphql_document`` is None."""
    context.graphql_document = document


def use_validation(context: ExecutionContext, errors: Iterable[GraphQLError]) -> None:
    """Have strawberry take ``errors`` (empty: valid) as its validation's outcome (call in an
    extension's ``on_validate``): strawberry validates only while ``pre_execution_errors`` is
    None."""
    context.pre_execution_errors = list(errors)
