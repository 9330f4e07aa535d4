"""Every use of graphql-core's and strawberry's non-public machinery, in one place, each kept
because ``bench.api`` measured it worth more than 10% of the page query's throughput or because
a limit needs it (issue 10, item 7). graphql-core and strawberry are pinned exactly
(``pyproject.toml``, ``requirements.lock``); ``tests/unit/test_graphql_internals.py`` fails if
anything relied on here changes, so that an upgrade is a deliberate step.

What is relied on, and by what:

- ``QuietExecution`` passes ``hide_suggestions`` to graphql-core's ``Executor.build``,
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

A one-pass reader of plain leaf fields (``FastLeaves``, overriding graphql-core's
``Executor.execute_fields``) was here until, on a quiet machine, ``bench.api_cpu`` put its worth
at under 2% of the page query's server CPU per request, and ``bench.api``'s throughput gain
(14% and 22% in two runs) stayed within the gap between two servers doing the same work: it
was removed (issue 10, item 7).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Iterable, Iterator
from typing import Any, Generic, TypeVar

from graphql import DocumentNode, GraphQLError
from graphql.validation.rules import overlapping_fields_can_be_merged
from graphql.validation.validate import ValidationAbortedError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext
from strawberry.types.nodes import SelectedField, Selection

__all__ = ["Deferred", "QuietExecution", "ValidationAbortedError", "executor",
           "limit_overlap_work", "selected", "token_count", "use_document", "use_validation"]

T = TypeVar("T")


class QuietExecution(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor with graphql-core's suggestions off: errors met while coercing
    variables (an unknown enum value, a misspelt input field) say what is wrong, not what
    would be right.
    graphql-core's ``hide_suggestions`` covers every place it suggests; strawberry does not pass
    it, so it is set here, where graphql-core builds the executor."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


def executor(development: bool) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The execution class: strawberry's own, with suggestions only in development."""
    return StrawberryGraphQLCoreExecutionContext if development else QuietExecution


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
