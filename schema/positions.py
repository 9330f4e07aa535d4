"""Log positions as opaque cursors.

A cursor carries the database's epoch with the position, so that a client holding a cursor from a
restored or replaced database is told so rather than silently given other events.
"""

from __future__ import annotations

import base64
from uuid import UUID


class StaleCursor(ValueError):
    """The cursor is malformed or from another database epoch."""


def encode(epoch: UUID, position: int) -> str:
    return base64.urlsafe_b64encode(f"{epoch.hex}:{position}".encode()).decode().rstrip("=")


def decode(epoch: UUID, cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        epoch_hex, _, position = raw.partition(":")
        value = int(position)
    except (ValueError, UnicodeDecodeError):
        raise StaleCursor("the position cursor is not valid") from None
    if epoch_hex != epoch.hex:
        raise StaleCursor("the position cursor is from another database epoch")
    if value < 0:
        raise StaleCursor("the position cursor is not valid")
    return value
