"""Relay connections with keyset cursors: a cursor carries the sort value and id of the last row
seen, never an offset, so pages stay correct while rows are added."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

import orjson
import strawberry

from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from schema.positions import MAX_POSITION

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo


def page_size(first: int | None) -> int:
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise ValidationFailed("first", f"must be between 0 and {MAX_PAGE}")
    return size


def encode(order: str, value: Any, ident: UUID) -> str:
    raw = orjson.dumps([order, value.isoformat() if isinstance(value, datetime) else value,
                        str(ident)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(order: str, cursor: str | None, *, timestamp: bool) -> tuple[Any, UUID] | None:
    """The sort value and id an ``after`` cursor of ``order`` carries, or None for no cursor.

    The sort value reaches SQL, so it is held to the rule of what it sorts by: a time with its
    UTC offset on a day ``validation.day`` accepts (``timestamp``), or a title as a title input
    must be (single-line text of at most ``TITLE_MAX``, exactly as stored). Raises
    ``ValidationFailed("after")`` for a cursor that is malformed, of another order, or that
    carries a value no row could have."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, ident = orjson.loads(raw)
        if kind != order or not isinstance(value, str) or not isinstance(ident, str):
            raise ValueError("not a cursor of this order")
        key = UUID(ident)
        sort = datetime.fromisoformat(value) if timestamp else value
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationFailed("after", "is not a cursor of this list in this order") from None
    if isinstance(sort, datetime):
        return v.moment("after", sort), key
    if v.text("after", sort, v.TITLE_MAX) != sort:
        raise ValidationFailed("after", "is not a cursor of this list in this order")
    return sort, key


def encode_position(listing: str, position: int) -> str:
    """The cursor of a record in a list read in log order (``listing`` names the list)."""
    return base64.urlsafe_b64encode(orjson.dumps([listing, position])).decode().rstrip("=")


def decode_position(listing: str, cursor: str | None) -> int | None:
    """The log position an ``after`` cursor of ``listing`` carries, or None for no cursor: an
    integer from 0 to ``positions.MAX_POSITION``. Raises ``ValidationFailed("after")`` for a
    cursor that is malformed or of another list."""
    if cursor is None:
        return None
    try:
        kind, position = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationFailed("after", "is not a cursor of this list") from None
    if kind != listing or type(position) is not int or not 0 <= position <= MAX_POSITION:
        raise ValidationFailed("after", "is not a cursor of this list")
    return position


def connection(nodes: list[tuple[T, str]], size: int, had_cursor: bool) -> Connection[T]:
    """The first ``size`` of ``nodes`` (fetched one extra, to know if a next page exists)."""
    shown = nodes[:size]
    return Connection(
        edges=[Edge(node=n, cursor=c) for n, c in shown],
        page_info=PageInfo(has_next_page=len(nodes) > size, has_previous_page=had_cursor,
                           start_cursor=shown[0][1] if shown else None,
                           end_cursor=shown[-1][1] if shown else None),
    )
