"""Log positions as opaque cursors.

A cursor carries the database's epoch with the position, so that a client holding a cursor from a
restored or replaced database is told so rather than silently given other events.
"""

from __future__ import annotations

import base64
from uuid import UUID

# Positions are PostgreSQL bigints: a larger one is in no log.
MAX_POSITION = 2**63 - 1


class StaleCursor(ValueError):
    """The cursor is malformed, from another database epoch, or past any position a log has."""


def encode(epoch: UUID, position: int) -> str:
    return base64.urlsafe_b64encode(f"{epoch.hex}:{position}".encode()).decode().rstrip("=")


def decode(epoch: UUID, cursor: str) -> int:
    """The position in a cursor ``encode`` made for ``epoch``: decimal ASCII digits from 0 to
    ``MAX_POSITION`` (as ``encode`` writes them; ``int`` alone would also take signs, spaces,
    underscores and other scripts' digits). Raises ``StaleCursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise StaleCursor("the position cursor is not valid") from None
    epoch_hex, _, position = raw.partition(":")
    if not (position.isascii() and position.isdigit()) or len(position) > len(str(MAX_POSITION)) \
            or int(position) > MAX_POSITION:
        raise StaleCursor("the position cursor is not valid")
    if epoch_hex != epoch.hex:
        raise StaleCursor("the position cursor is from another database epoch")
    return int(position)
