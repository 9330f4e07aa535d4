"""Who may see what, as SQL: the one definition every read query builds its conditions from.
Its Python twin, and the rule in words, is ``lifecycle/visibility.py``; the README's "Roles"
section says it for users.

Each function returns a fragment of SQL text over a table alias and the placeholder of the
viewer: an array of organisation ids (``uuid[]``, ``Actor.viewers``: the caller's organisation,
or the organisations an auditor audits), never a value: the values travel as query arguments.
A viewer of several organisations sees a row where any of them does. Aliases and placeholders
come from the calling query's own text, never from a client.

- ``scope``: 'OWN', 'FULL', 'SUMMARY' or NULL, the values of ``lifecycle.visibility.Scope``.
- ``sees``: the innovation exists for the viewer; ``sees_detail``: its detail too.
- ``search_vector``: the words of an innovation the viewer may search (all of them where it sees
  the detail; title and tags where it sees a summary), so that a search can only test what the
  viewer could read.
- ``sees_adoption``: that an organisation adopted it, where, since when, with what status.
- ``sees_record``: an adoption's or measure's detail, which belongs to the organisation that
  recorded it (the adopter): seen by it, by the innovation's owner, and, for the owner's own
  records, by a FULL share.
- ``owned``: the rows of the viewer's own organisation: what the board's questions (pipeline,
  culture, funding, decisions, governance) count (shared work is never counted there), and its
  challenges.
- ``platform_or``: lets a NULL viewer (the platform's own analyses) see every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

Viewer = UUID | Sequence[UUID]
"""The viewer: an organisation, or the organisations an auditor reads as (``Actor.viewers``)."""


def viewer_ids(viewer: Viewer) -> list[UUID]:
    """The viewer as a query's argument for its placeholder."""
    return [viewer] if isinstance(viewer, UUID) else list(viewer)


def argument(viewer: Viewer | None) -> list[UUID] | None:
    """``viewer_ids``, or None for the platform's own analyses."""
    return None if viewer is None else viewer_ids(viewer)


def _has(array: str, viewer: str) -> str:
    # ``&&`` (not ``= ANY``) so that the GIN index on the array can answer it.
    return f"{array} && {viewer}::uuid[]"


def one_of(column: str, viewer: str) -> str:
    """The organisation ``column`` is one of the viewer's."""
    return f"{column} = ANY({viewer}::uuid[])"


def sees(i: str = "i", viewer: str = "$1") -> str:
    """The innovation ``i`` (a row of ``rm_innovations``) exists for ``viewer``."""
    return f"({one_of(f'{i}.organisation_id', viewer)} OR {_has(f'{i}.shared_with', viewer)})"


def sees_detail(i: str = "i", viewer: str = "$1") -> str:
    """``viewer`` sees the detail of the innovation ``i``: its own, or shared in full."""
    return f"({one_of(f'{i}.organisation_id', viewer)} OR {_has(f'{i}.shared_full', viewer)})"


def scope(i: str = "i", viewer: str = "$1") -> str:
    """The scope at which ``viewer`` sees the innovation ``i``; NULL where it does not."""
    return (f"(CASE WHEN {one_of(f'{i}.organisation_id', viewer)} THEN 'OWN' "
            f"WHEN {_has(f'{i}.shared_full', viewer)} THEN 'FULL' "
            f"WHEN {_has(f'{i}.shared_with', viewer)} THEN 'SUMMARY' END)")


def search_vector(i: str = "i", viewer: str = "$1", *, owned: bool = False) -> str:
    """The text-search vector of the innovation ``i`` that ``viewer`` may match words against.
    ``owned``: the query already holds ``i`` to the viewer's own innovations, which it searches
    whole (and through the index on ``search``)."""
    if owned:
        return f"{i}.search"
    return f"(CASE WHEN {sees_detail(i, viewer)} THEN {i}.search ELSE {i}.search_summary END)"


def sees_record(recorder: str, i: str = "i", viewer: str = "$1") -> str:
    """``viewer`` sees the detail of a record (adoption, measure) of organisation ``recorder``
    (a column) about the innovation ``i``."""
    return (f"({one_of(recorder, viewer)} OR {one_of(f'{i}.organisation_id', viewer)} "
            f"OR ({recorder} = {i}.organisation_id AND {_has(f'{i}.shared_full', viewer)}))")


def sees_adoption(adopter: str, i: str = "i", viewer: str = "$1") -> str:
    """``viewer`` sees that organisation ``adopter`` (a column) adopted the innovation ``i``,
    where, since when and with what status: with the innovation's detail, and the adopter its
    own adoption whatever the share is now (a summary shows counts only)."""
    return f"({sees_detail(i, viewer)} OR {one_of(adopter, viewer)})"


def owned(organisation: str, viewer: str) -> str:
    """Rows whose ``organisation`` column is the viewer's own (one of an auditor's)."""
    return f"({one_of(organisation, viewer)})"


def platform_or(viewer: str, condition: str) -> str:
    """``condition``, unless ``viewer`` is NULL: the platform's own analyses (tests, the CLI)
    see every row. Only queries whose viewer parameter may be None say so; the API always
    names the caller's organisation."""
    return f"({viewer}::uuid[] IS NULL OR {condition})"
