"""Keyset cursors: opaque, tied to their order, and refused cleanly when forged."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from uuid import uuid4

import orjson
import pytest

from lifecycle.errors import ValidationFailed
from schema import pagination


def forged(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def test_cursor_round_trips_its_sort_value_and_id() -> None:
    at, ident = datetime(2026, 3, 1, 9, 30, tzinfo=UTC), uuid4()
    cursor = pagination.encode("SUBMITTED_DESC", at, ident)
    assert pagination.decode("SUBMITTED_DESC", cursor, timestamp=True) == (at, ident)


@pytest.mark.parametrize(("order", "cursor"), [
    ("SUBMITTED_DESC", forged(["SUBMITTED_DESC", "2026-01-01T00:00:00+00:00", 5])),
    ("SUBMITTED_DESC", forged(["SUBMITTED_DESC", 7, str(uuid4())])),
    ("TITLE_ASC", forged(["TITLE_ASC", {"a": 1}, str(uuid4())])),
    ("TITLE_ASC", forged(["TITLE_ASC", "Falls", "not-a-uuid"])),
    ("SUBMITTED_DESC", forged(["SUBMITTED_DESC", "yesterday", str(uuid4())])),
    ("SUBMITTED_DESC", forged(["SUBMITTED_DESC", "2026-01-01T00:00:00+00:00"])),
    ("SUBMITTED_DESC", forged("just a string")),
    ("SUBMITTED_DESC", "%%%"),
])
def test_forged_or_malformed_cursor_is_a_validation_error(order: str, cursor: str) -> None:
    with pytest.raises(ValidationFailed, match="after"):
        pagination.decode(order, cursor, timestamp=order != "TITLE_ASC")


def test_cursor_of_another_order_is_refused() -> None:
    cursor = pagination.encode("TITLE_ASC", "Falls mats", uuid4())
    with pytest.raises(ValidationFailed):
        pagination.decode("SUBMITTED_DESC", cursor, timestamp=True)


def test_page_size_is_bounded() -> None:
    assert pagination.page_size(None) == pagination.DEFAULT_PAGE
    with pytest.raises(ValidationFailed, match="first"):
        pagination.page_size(pagination.MAX_PAGE + 1)
    with pytest.raises(ValidationFailed, match="first"):
        pagination.page_size(-1)
