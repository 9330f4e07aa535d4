"""Query arguments, checked by the rules mutation inputs follow before any reaches SQL.

Every text, date, id and filter value a query hands to the read models passes through
``lifecycle.validation`` here, and a refusal is a GraphQL error with the code ``VALIDATION``
(``schema.reads.Refused``), never a database error masked as an internal one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from lifecycle import validation as v
from lifecycle.errors import DomainError
from schema.reads import Refused


@contextmanager
def checked() -> Iterator[None]:
    """Around a resolver's argument checks: a domain refusal becomes a ``Refused`` GraphQL
    error (code ``VALIDATION``, the message naming the argument)."""
    try:
        yield
    except DomainError as error:
        raise Refused(error) from None


def period(from_field: str, start: date | None, to_field: str,
           end: date | None) -> tuple[date | None, date | None]:
    """A date range to filter by: each end a date ``validation.day`` accepts, the end not before
    the start. Raises ``ValidationFailed`` naming the argument."""
    v.optional_day(from_field, start)
    v.optional_day(to_field, end)
    v.date_order(from_field, start, to_field, end)
    return start, end


def site(field: str, value: str | None) -> str | None:
    """A site to filter by: a site's name as ``addSite`` takes it (single-line, at most
    ``NAME_MAX``); blank is refused rather than read as "any site"."""
    return None if value is None else v.text(field, value, v.NAME_MAX)
