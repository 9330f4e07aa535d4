"""The directory: organisations (everyone may see whom they could share with) and an
organisation's own challenges (``projections/visibility.py``: they exist for no one else)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from projections import visibility
from projections.visibility import Viewer, viewer_ids


async def organisations(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT * FROM rm_organisations ORDER BY name, id")
    return rows


async def challenges(conn: asyncpg.Connection, viewer: Viewer, *,
                     open_only: bool) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        f"SELECT * FROM rm_challenges WHERE {visibility.owned('organisation_id', '$1')} "
        "AND (NOT $2 OR (NOT closed "
        "AND current_date BETWEEN opens_on AND closes_on)) ORDER BY opens_on DESC, id",
        viewer_ids(viewer), open_only)
    return rows


async def organisation(conn: asyncpg.Connection, ident: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM rm_organisations WHERE id = $1", ident)
    return row


async def challenge(conn: asyncpg.Connection, viewer: Viewer,
                    ident: UUID) -> asyncpg.Record | None:
    """A challenge of the viewer's own organisation."""
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM rm_challenges WHERE id = $1 "
        f"AND {visibility.owned('organisation_id', '$2')}", ident, viewer_ids(viewer))
    return row


async def threshold_changes_of(conn: asyncpg.Connection,
                               ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    """Each organisation's changes of its thresholds after its registration, in the order
    made (the caller holds them to the viewer's own organisation)."""
    found: dict[UUID, list[asyncpg.Record]] = {i: [] for i in ids}
    for row in await conn.fetch("SELECT * FROM rm_threshold_changes "
                                "WHERE organisation_id = ANY($1) "
                                "ORDER BY organisation_id, position", ids):
        found[row["organisation_id"]].append(row)
    return found
