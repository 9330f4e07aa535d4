"""Rebuild read models from position zero into fresh tables, then swap them in.

The fresh tables are created from each read model's declaration (its ``tables.sql``), so a
rebuild also brings a read model to the shape its code expects, and the swap records that
shape's version (``projections.engine.upgrade``). Several projections rebuild in one pass: the
log is read and decoded once and each batch is folded into every projection's fresh tables. The
live API keeps reading the old tables until the swap. The swap is one transaction: it locks the
projections' position rows (the live projector's batches take those locks first, so it waits),
applies whatever the rebuild has not yet seen up to the head it reads, renames the tables and
sets the positions. The live projector's next fenced
update finds the positions moved, re-reads them and carries on against the new tables.

A projection that declares the only event types it folds (``Selective``) is rebuilt apart, in a
second process beside the others: that process reads and decodes only those events, and the
others' pass skips them, so the two share the log's reading and decoding and use two cores. Both
passes cover the log up to the same head and write only fresh tables; the swap waits for both.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

import anyio
import asyncpg
from anyio.abc import Process

from lifecycle.store.sessions import close, connect
from projections.engine import tracking
from projections.engine.log import Log, Recorded, collected_every
from projections.engine.projection import Projection, Tables
from projections.engine.shape import digest, render

SUFFIX = "__rebuild"
COLLECT_EVERY = 20  # batches between collections of cyclic garbage (see collected_every)
SLICE = 100  # events decoded between turns of the event loop (about a millisecond)
RETIRED = "__retired"
ROOT = str(Path(__file__).resolve().parents[2])  # whence a second process imports this
SELECT_RANGE = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at "
    "FROM lifecycle_events WHERE notification_id > $1 AND notification_id <= $2{topics} "
    "ORDER BY notification_id LIMIT $3"
)


@runtime_checkable
class Selective(Protocol):
    """A projection that folds events of these types only (and is the only one to fold them),
    so that a rebuild can give it just those, in a process of its own."""

    events: tuple[type, ...]


class Topics(NamedTuple):
    """Which events a pass reads, by stored topic: all of them, only ``names``, or all but."""

    names: tuple[str, ...] = ()
    only: bool = False

    @classmethod
    def of(cls, events: Sequence[type], *, only: bool) -> Topics:
        # Event names are stable (README, "Rules that keep it correct"): each type is stored under
        # its TOPIC.
        return cls(tuple(sorted({e.TOPIC for e in events})), only)  # type: ignore[attr-defined]

    def query(self) -> tuple[str, tuple[list[str], ...]]:
        if not self.names and not self.only:
            return SELECT_RANGE.format(topics=""), ()
        condition = " AND topic = ANY($4::text[])" if self.only else " AND topic <> ALL($4::text[])"
        return SELECT_RANGE.format(topics=condition), (list(self.names),)


EVERY = Topics()


async def _apply_range(conn: asyncpg.Connection, reader: asyncpg.Connection, log: Log,
                       projections: Sequence[Projection], start: int, stop: int,
                       batch_size: int, progress: Callable[[int], None],
                       collect: Callable[[], None], topics: Topics = EVERY) -> int:
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
    select, names = topics.query()
    try:
        rows = await reader.fetch(select, position, stop, batch_size, *names)
        while rows:
            collect()
            position = rows[-1][0]
            reading = asyncio.ensure_future(reader.fetch(select, position, stop, batch_size,
                                                         *names))
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


async def _fresh_tables(conn: asyncpg.Connection, projection: Projection) -> list[str]:
    """Create ``projection``'s rebuild twins from its declaration (``projections.engine.shape``),
    with their primary keys and other constraints only (upserts need them); return the
    definitions of their other indexes, to build once the rows are loaded, which is far cheaper
    than maintaining them (full-text GIN above all) row by row."""
    if not projection.ddl:
        raise ValueError(f"read model {projection.name} declares no tables (Projection.ddl)")
    for table in projection.tables:  # what an interrupted rebuild left
        await conn.execute(f'DROP TABLE IF EXISTS "{table}{SUFFIX}"')
    await conn.execute(render(projection.ddl, SUFFIX))
    deferred: list[str] = []
    for table in projection.tables:
        for row in await conn.fetch(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) AS definition "
                "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = $1::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                f'"{table}{SUFFIX}"'):
            await conn.execute(f'DROP INDEX "{row["relname"]}"')
            deferred.append(row["definition"])
    return deferred


async def _swap_names(conn: asyncpg.Connection, table: str) -> None:
    """Put the fresh ``table`` in the live one's place, and give its indexes (and so its
    constraints) the names the declaration gives the live ones: the suffix taken out."""
    await conn.execute(f'ALTER TABLE IF EXISTS "{table}" RENAME TO "{table}{RETIRED}"')
    await conn.execute(f'ALTER TABLE "{table}{SUFFIX}" RENAME TO "{table}"')
    await conn.execute(f'DROP TABLE IF EXISTS "{table}{RETIRED}"')
    for name in await conn.fetchval(
            "SELECT array_agg(c.relname) FROM pg_index i JOIN pg_class c "
            "ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass", f'"{table}"') or ():
        if SUFFIX in name:
            await conn.execute(f'ALTER INDEX "{name}" RENAME TO "{name.replace(SUFFIX, "", 1)}"')


async def _pass(dsn: str, projections: Sequence[Projection], stop: int, batch_size: int,
                progress: Callable[[int], None], topics: Topics) -> None:
    """Fold (0, stop] into the fresh tables of ``projections`` and settle them."""
    log = Log()
    conn = await connect(dsn)
    reader = await connect(dsn)
    try:
        with collected_every(COLLECT_EVERY) as collect:
            await _apply_range(conn, reader, log, projections, 0, stop, batch_size, progress,
                               collect, topics)
            async with conn.transaction():
                for projection in projections:
                    await projection.settle(conn, Tables(projection.tables, SUFFIX))
    finally:
        await close(conn, reader)


def pass_apart() -> None:
    """The second process's entry point: its arguments come as JSON on stdin (the DSN may hold
    a password, so not on the command line); an error ends it with a traceback on stderr and a
    non-zero exit code."""
    job = json.load(sys.stdin)
    projections = [getattr(importlib.import_module(module), name)()
                   for module, name in job["projections"]]
    asyncio.run(_pass(job["dsn"], projections, job["stop"], job["batch_size"], lambda _: None,
                      Topics(tuple(job["topics"]), only=True)))


class Apart:
    """The pass of the ``Selective`` projections, in a process of its own. It is a fresh
    interpreter (not a fork: the parent's event loop and connections must not be shared) that
    imports this package from where the parent did."""

    def __init__(self, process: Process) -> None:
        self._process = process
        self._errors = bytearray()
        # Drained all along, so that a chatty child never blocks on a full pipe.
        self._draining = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        assert self._process.stderr is not None
        async for chunk in self._process.stderr:
            self._errors += chunk
            del self._errors[:-8000]  # the end of a traceback is what tells

    @classmethod
    async def start(cls, dsn: str, projections: Sequence[Selective], stop: int,
                    batch_size: int) -> Apart:
        job = {"dsn": dsn, "stop": stop, "batch_size": batch_size,
               "projections": [(type(p).__module__, type(p).__qualname__) for p in projections],
               "topics": Topics.of([e for p in projections for e in p.events], only=True).names}
        path = os.pathsep.join(filter(None, (ROOT, os.environ.get("PYTHONPATH"))))
        process = await anyio.open_process(
            [sys.executable, "-c",
             "from projections.engine.rebuild import pass_apart; pass_apart()"],
            stdout=None, env={**os.environ, "PYTHONPATH": path})
        assert process.stdin is not None
        await process.stdin.send(json.dumps(job).encode())
        await process.stdin.aclose()
        return cls(process)

    async def wait(self) -> None:
        code = await self._process.wait()
        await self._draining
        if code != 0:
            raise RuntimeError("the rebuild's second process failed:\n"
                               + self._errors.decode(errors="replace")[-4000:])

    async def stop(self) -> None:
        with anyio.CancelScope(shield=True):
            if self._process.returncode is None:
                self._process.terminate()
                with anyio.move_on_after(5):
                    await self._process.wait()
                if self._process.returncode is None:
                    self._process.kill()
            self._draining.cancel()
            await self._process.aclose()


async def rebuild(dsn: str, projections: Sequence[Projection], *, batch_size: int = 5000,
                  on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild ``projections`` together; return the position they were swapped in at."""
    log = Log()
    conn = await connect(dsn)
    reader = await connect(dsn)
    apart: Apart | None = None
    try:
        indexes: list[str] = []
        for projection in projections:
            await tracking.ensure(conn, projection.name)
            indexes.extend(await _fresh_tables(conn, projection))
        head = await log.head(conn)

        def progress(position: int) -> None:
            if on_progress is not None:
                on_progress(position, head)

        # The bulk of the work, holding no lock: the live projector carries on meanwhile.
        selective: list[Selective] = [p for p in projections if isinstance(p, Selective)]
        others = [p for p in projections if not isinstance(p, Selective)]
        if selective and others:
            apart = await Apart.start(dsn, selective, head, batch_size)
            skipped = [e for p in selective for e in p.events]
            await _pass(dsn, others, head, batch_size, progress, Topics.of(skipped, only=False))
            await apart.wait()
        elif selective:
            wanted = [e for p in selective for e in p.events]
            await _pass(dsn, projections, head, batch_size, progress, Topics.of(wanted, only=True))
        else:
            await _pass(dsn, others, head, batch_size, progress, EVERY)
        progress(head)
        for definition in indexes:  # built once over the loaded rows, not row by row
            await conn.execute(definition)
        names = [p.name for p in projections]
        async with conn.transaction():
            await conn.execute("SELECT position FROM projection_positions "
                               "WHERE name = ANY($1) ORDER BY name FOR UPDATE", names)
            position, head = head, await log.head(conn)
            await _apply_range(conn, reader, log, projections, position, head, batch_size,
                               progress, lambda: None)
            for projection in projections:
                await projection.settle(conn, Tables(projection.tables, SUFFIX))
            for projection in projections:
                for table in projection.tables:
                    await _swap_names(conn, table)
                await tracking.record_shape(conn, projection.name, projection.version,
                                            digest(projection.ddl))
            await conn.execute(
                "UPDATE projection_positions SET position = $2, updated_at = clock_timestamp(),"
                " error = NULL, error_position = NULL WHERE name = ANY($1)", names, head)
            await conn.execute(f"NOTIFY {tracking.CHANNEL}, '{','.join(names)}:{head}'")
        return head
    finally:
        if apart is not None:
            await apart.stop()
        await close(conn, reader)
