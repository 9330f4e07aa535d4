"""An innovation's records (comments, prototypes, evaluations, funding...) a page at a time, for
many innovations in one statement, under the visibility rule: only innovations whose detail the
viewer sees (``projections/visibility.py``: its own, or shared with it in full) have any.

Every table read here has ``innovation_id`` and ``position`` (the log position of the event that
recorded the row: unique, never changing), and is read in that order, oldest first; a page
starts after a position, so it never repeats or skips a record when others are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from projections import visibility
from projections.visibility import Viewer, viewer_ids


async def pages(conn: asyncpg.Connection, viewer: Viewer, table: str,
                innovations: Sequence[UUID], *, after: int | None, first: int,
                concerning: str | None = None) -> dict[UUID, list[asyncpg.Record]]:
    """Up to ``first`` rows of ``table`` (a name from the read models' own code, never from a
    client) for each of ``innovations`` the viewer sees the detail of, recorded after position
    ``after`` (None: from the first), oldest first. ``concerning``: the column naming the
    organisation a row is about (a share's partner); the owner sees every row, anyone else only
    the rows about itself (an auditor: about any organisation it audits)."""
    about = ("" if concerning is None else
             f"AND ({visibility.one_of('i.organisation_id', '$1')} "
             f"OR {visibility.one_of(f'r.{chr(34)}{concerning}{chr(34)}', '$1')}) ")
    rows = await conn.fetch(
        f'SELECT r.* FROM rm_innovations i CROSS JOIN LATERAL (SELECT * FROM "{table}" r '
        f"WHERE r.innovation_id = i.id AND r.position > $3 {about}"
        "ORDER BY r.position LIMIT $4) r "
        f"WHERE i.id = ANY($2::uuid[]) AND {visibility.sees_detail('i', '$1')} "
        "ORDER BY r.innovation_id, r.position", viewer_ids(viewer), list(innovations),
        -1 if after is None else after, first)
    found: dict[UUID, list[asyncpg.Record]] = {}
    for row in rows:
        found.setdefault(row["innovation_id"], []).append(row)
    return found
