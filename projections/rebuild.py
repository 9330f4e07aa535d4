"""Rebuild a read model from position zero into fresh tables, then swap them in.

The live API keeps reading the old tables until the swap. The swap is one transaction: it locks
the projection's position row (so the live projector, whose batches take that lock first, waits),
applies whatever the rebuild has not yet seen up to the head it read, renames the tables and sets
the position. The live projector's next fenced update then finds the position moved, re-reads it
and carries on against the new tables.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio.to_thread
import asyncpg

from projections import tracking
from projections.log import Log
from projections.projection import Projection, Tables
from projections.runner import connect

SUFFIX = "__rebuild"
RETIRED = "__retired"
SELECT_RANGE = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at "
    "FROM lifecycle_events WHERE notification_id > $1 AND notification_id <= $2 "
    "ORDER BY notification_id LIMIT $3"
)


async def _apply_range(conn: asyncpg.Connection, log: Log, projection: Projection, t: Tables,
                       start: int, stop: int, batch_size: int,
                       progress: Callable[[int], None] | None = None) -> int:
    position = start
    while True:
        rows = await conn.fetch(SELECT_RANGE, position, stop, batch_size)
        if not rows:
            return position
        batch = await anyio.to_thread.run_sync(log.decode, rows)
        async with conn.transaction():  # per batch (a savepoint inside the swap)
            await projection.apply(conn, batch, t)
        position = batch[-1].position
        if progress is not None:
            progress(position)


async def rebuild(dsn: str, projection: Projection, *, batch_size: int = 5000,
                  on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild ``projection``; return the position it was swapped in at."""
    log = Log()
    conn = await connect(dsn)
    try:
        await tracking.ensure(conn, projection.name)
        for table in projection.tables:
            await conn.execute(f'DROP TABLE IF EXISTS "{table}{SUFFIX}"')
            await conn.execute(f'CREATE TABLE "{table}{SUFFIX}" (LIKE "{table}" INCLUDING ALL)')
        fresh = Tables(projection.tables, SUFFIX)
        head = await log.head(conn)

        def progress(position: int) -> None:
            if on_progress is not None:
                on_progress(position, head)

        # The bulk of the work, holding no lock: the live projector carries on meanwhile.
        position = await _apply_range(conn, log, projection, fresh, 0, head, batch_size,
                                      progress)
        async with conn.transaction():
            await conn.execute("SELECT position FROM projection_positions WHERE name = $1 "
                               "FOR UPDATE", projection.name)
            head = await log.head(conn)
            position = await _apply_range(conn, log, projection, fresh, position, head,
                                          batch_size, progress)
            for table in projection.tables:
                await conn.execute(f'ALTER TABLE "{table}" RENAME TO "{table}{RETIRED}"')
                await conn.execute(f'ALTER TABLE "{table}{SUFFIX}" RENAME TO "{table}"')
                await conn.execute(f'DROP TABLE "{table}{RETIRED}"')
            await conn.execute(
                "UPDATE projection_positions SET position = $2, updated_at = clock_timestamp(),"
                " error = NULL, error_position = NULL WHERE name = $1", projection.name, head)
            await conn.execute(f"NOTIFY {tracking.CHANNEL}, '{projection.name}:{head}'")
        return head
    finally:
        await conn.close()
