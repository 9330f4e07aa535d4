"""What a query selects below a field, so that a list resolver can fetch related rows for the
whole page in one query instead of leaving each row to ask."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import SelectedField, Selection


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:  # a fragment, spread or inline: its fields are selected here too
            yield from _fields(selection.selections)


def selected(selections: Iterable[Selection], *path: str) -> set[str]:
    """The field names selected at the end of ``path``, through fragments. Directives are not
    evaluated: a field under ``@skip`` counts, which costs a prefetch, never correctness."""
    level = list(selections)
    for name in path:
        level = [inner for field in _fields(level) if field.name == name
                 for inner in field.selections]
    return {field.name for field in _fields(level)}
