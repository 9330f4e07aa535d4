"""Positions reach clients as opaque cursors carrying the database's epoch."""

from __future__ import annotations

from uuid import uuid4

import pytest

from schema import positions


def test_cursor_round_trips_to_its_position() -> None:
    epoch = uuid4()
    assert positions.decode(epoch, positions.encode(epoch, 5046)) == 5046


def test_cursor_does_not_show_the_raw_position() -> None:
    assert "5046" not in positions.encode(uuid4(), 5046)


def test_cursor_from_another_database_epoch_is_refused() -> None:
    cursor = positions.encode(uuid4(), 12)
    with pytest.raises(positions.StaleCursor, match="another database epoch"):
        positions.decode(uuid4(), cursor)


@pytest.mark.parametrize("cursor", ["", "not-base64!", "bm90aGluZw", "YWJjOi0x"])
def test_malformed_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(positions.StaleCursor):
        positions.decode(uuid4(), cursor)
