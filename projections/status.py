"""Where each projection stands against the head of the log."""

from __future__ import annotations

from typing import Any

import asyncpg

from projections.catalogue import all_projections
from projections.log import Log
from projections.runner import connect


async def read_status(url: str) -> list[dict[str, Any]]:
    conn: asyncpg.Connection = await connect(url)
    try:
        head = await Log().head(conn)
        stored = {row["name"]: row for row in await conn.fetch(
            "SELECT name, position, error, error_position FROM projection_positions")}
    finally:
        await conn.close()
    rows = []
    for projection in all_projections():
        row = stored.get(projection.name)
        position = int(row["position"]) if row else 0
        error = (f"stopped at {row['error_position']}: {row['error']}"
                 if row and row["error"] else None)
        rows.append({"projection": projection.name, "position": position, "head": head,
                     "lag": head - position, "error": error})
    return rows
