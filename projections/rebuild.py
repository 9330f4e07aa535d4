"""Rebuild read models from position zero into fresh tables, then swap them in.

Several projections rebuild in one pass: the log is read and decoded once and each batch is
folded into every projection's fresh tables. The live API keeps reading the old tables until the
swap. The swap is one transaction: it locks the projections' position rows (the live projector's
batches take those locks first, so it waits), applies whatever the rebuild has not yet seen up to
the head it reads, renames the tables and sets the positions. The live projector's next fenced
update finds the positions moved, re-reads them and carries on against the new tables.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence

import asyncpg

from projections import tracking
from projections.log import Log, Recorded, collected_every
from projections.projection import Projection, Tables
from projections.runner import close, connect

SUFFIX = "__rebuild"
COLLECT_EVERY = 20  # batches between collections of cyclic garbage (see collected_every)
SLICE = 100  # events decoded between turns of the event loop (about a millisecond)
RETIRED = "__retired"
SELECT_RANGE = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at "
    "FROM lifecycle_events WHERE notification_id > $1 AND notification_id <= $2 "
    "ORDER BY notification_id LIMIT $3"
)


async def _apply_range(conn: asyncpg.Connection, reader: asyncpg.Connection, log: Log,
                       projections: Sequence[Projection], start: int, stop: int,
                       batch_size: int, progress: Callable[[int], None],
                       collect: Callable[[], None]) -> int:
    """Fold (start, stop] into the fresh tables. The database's work overlaps Python's: while
    one batch is written (on ``conn``) and the next read (on ``reader``), the batch after is
    decoded on the event loop in slices, so that each reply is taken up within a slice. All in
    one thread: decoding in a worker thread instead contends with the folding for the GIL and
    is slower than doing nothing in parallel."""
    fresh = [(p, Tables(p.tables, SUFFIX)) for p in projections]

    async def write(batch: list[Recorded]) -> None:
        async with conn.transaction():  # per batch (a savepoint inside the swap)
            for projection, tables in fresh:
                await projection.apply(conn, batch, tables)
        progress(batch[-1].position)

    position = start
    writing: asyncio.Task[None] | None = None
    reading: asyncio.Future[list[asyncpg.Record]] | None = None
    try:
        rows = await reader.fetch(SELECT_RANGE, position, stop, batch_size)
        while rows:
            collect()
            position = rows[-1][0]
            reading = asyncio.ensure_future(reader.fetch(SELECT_RANGE, position, stop,
                                                         batch_size))
            batch = await decode_in_slices(log, rows)
            if writing is not None:
                await writing
            writing = asyncio.ensure_future(write(batch))
            rows = await reading
        if writing is not None:
            await writing
    finally:  # on an error, stop whatever is still under way (the caller closes both)
        for task in (reading, writing):
            if task is not None and not task.done():
                task.cancel()
    return position


async def decode_in_slices(log: Log, rows: list[asyncpg.Record]) -> list[Recorded]:
    """``log.decode``, yielding to the event loop between slices."""
    decoded: list[Recorded] = []
    for first in range(0, len(rows), SLICE):
        decoded.extend(log.decode(rows[first:first + SLICE]))
        await asyncio.sleep(0)
    return decoded


async def _fresh_table(conn: asyncpg.Connection, table: str) -> list[tuple[str, str, str]]:
    """Create ``table``'s rebuild twin with its primary key only (upserts need it); return its
    other indexes as (live name, twin's name, definition) to build once the rows are loaded,
    which is far cheaper than maintaining them (full-text GIN above all) row by row."""
    fresh = f"{table}{SUFFIX}"
    await conn.execute(f'DROP TABLE IF EXISTS "{fresh}"')
    await conn.execute(f'CREATE TABLE "{fresh}" (LIKE "{table}" INCLUDING DEFAULTS '
                       "INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE)")
    primary = await conn.fetchrow(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
        "WHERE conrelid = $1::regclass AND contype = 'p'", table)
    renames: list[tuple[str, str, str]] = []
    if primary is not None:
        await conn.execute(f'ALTER TABLE "{fresh}" ADD CONSTRAINT "{primary["conname"]}{SUFFIX}" '
                           f'{primary["definition"]}')
        renames.append((primary["conname"], f'{primary["conname"]}{SUFFIX}', ""))
    for row in await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = $1 AND indexname <> coalesce($2, '')", table,
            primary["conname"] if primary else None):
        name = row["indexname"]
        definition = row["indexdef"].replace(f"INDEX {name} ON ", f'INDEX "{name}{SUFFIX}" ON ', 1)
        definition = re.sub(rf" ON (\S+\.)?{re.escape(table)} ", f' ON "{fresh}" ', definition,
                            count=1)
        renames.append((name, f"{name}{SUFFIX}", definition))
    return renames


async def rebuild(dsn: str, projections: Sequence[Projection], *, batch_size: int = 5000,
                  on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild ``projections`` together; return the position they were swapped in at."""
    log = Log()
    conn = await connect(dsn)
    reader = await connect(dsn)
    try:
        indexes: list[tuple[str, str, str]] = []
        for projection in projections:
            await tracking.ensure(conn, projection.name)
            for table in projection.tables:
                indexes.extend(await _fresh_table(conn, table))
        head = await log.head(conn)

        def progress(position: int) -> None:
            if on_progress is not None:
                on_progress(position, head)

        # The bulk of the work, holding no lock: the live projector carries on meanwhile.
        with collected_every(COLLECT_EVERY) as collect:
            position = await _apply_range(conn, reader, log, projections, 0, head, batch_size,
                                          progress, collect)
            async with conn.transaction():
                for projection in projections:
                    await projection.settle(conn, Tables(projection.tables, SUFFIX))
        for _, _, definition in indexes:  # built once over the loaded rows, not row by row
            if definition:
                await conn.execute(definition)
        names = [p.name for p in projections]
        async with conn.transaction():
            await conn.execute("SELECT position FROM projection_positions "
                               "WHERE name = ANY($1) ORDER BY name FOR UPDATE", names)
            head = await log.head(conn)
            await _apply_range(conn, reader, log, projections, position, head, batch_size,
                               progress, lambda: None)
            for projection in projections:
                await projection.settle(conn, Tables(projection.tables, SUFFIX))
            for projection in projections:
                for table in projection.tables:
                    await conn.execute(f'ALTER TABLE "{table}" RENAME TO "{table}{RETIRED}"')
                    await conn.execute(f'ALTER TABLE "{table}{SUFFIX}" RENAME TO "{table}"')
                    await conn.execute(f'DROP TABLE "{table}{RETIRED}"')
            for original, built, _ in indexes:  # the live names, now free again
                await conn.execute(f'ALTER INDEX "{built}" RENAME TO "{original}"')
            await conn.execute(
                "UPDATE projection_positions SET position = $2, updated_at = clock_timestamp(),"
                " error = NULL, error_position = NULL WHERE name = ANY($1)", names, head)
            await conn.execute(f"NOTIFY {tracking.CHANNEL}, '{','.join(names)}:{head}'")
        return head
    finally:
        await close(conn, reader)
