"""The projector: folds the log into every read model, exactly once, in batches.

- One process is active at a time (``lifecycle.store.leadership``): it holds a PostgreSQL
  advisory lock on a dedicated connection; others stand by and take over within
  ``poll_interval`` of the active one's session ending.
- As it becomes active, it brings each read model's tables to the shape its code declares
  (``projections.engine.upgrade``, as ``lifecycle migrate`` does; nothing to do if that ran).
- It is woken by the event store's NOTIFY on a second dedicated connection, and also checks the
  log every ``poll_interval``, because a NOTIFY is lost while a listener is disconnected
  (``leadership.rounds``).
- Each batch is one transaction: for every projection, its position is advanced (fenced on the
  position it started from) and its rows are changed, then the transaction commits and NOTIFYs
  ``lifecycle_projections`` with ``name:position``. A crash at any moment leaves rows and
  positions consistent, so a restart resumes exactly where the last commit left off.
- ``run`` is one attempt: it raises when it loses any of its connections (the database
  restarted, a backend was terminated, the network failed); run it under
  ``lifecycle.supervisor.supervise`` (``serve`` and ``lifecycle project`` do), which starts it
  again with backoff, forever. Each attempt reconnects and resumes from the tracked positions.
- A projection that cannot fold an event stops at that event with a log line naming the position
  and the error (recorded in ``projection_positions`` too, shown by ``lifecycle status``); the
  others carry on. An event this version cannot even decode (a newer writer's type) stops every
  read model that may need it (``Projection.may_fold``) and no other. A stopped projection does
  not skip the event; it resumes when the projector is restarted with the fix. A failure of the
  database itself is never taken for a fault of a projection: it ends the attempt instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import anyio
import anyio.to_thread
import asyncpg

from lifecycle.store import locks
from lifecycle.store.database import transient
from lifecycle.store.leadership import EVENTS_CHANNEL as EVENTS_CHANNEL
from lifecycle.store.leadership import Held, Leadership, rounds
from lifecycle.store.leadership import LostLock as LostLock
from lifecycle.store.sessions import LostConnection as LostConnection
from lifecycle.store.sessions import close as close
from lifecycle.store.sessions import connect as connect
from lifecycle.store.sessions import session
from projections.engine import tracking
from projections.engine.log import Log, Recorded, Undecodable
from projections.engine.projection import Projection, Tables
from projections.engine.upgrade import upgrade

log = logging.getLogger(__name__)

LOCK_KEY = locks.PROJECTOR  # advisory lock: the active projector
# Its sessions' application_name, as pg_stat_activity shows them.
LOCK_SESSION = "lifecycle projector lock"
LISTEN_SESSION = "lifecycle projector listener"
WORK_SESSION = "lifecycle projector"


class Projector:
    def __init__(self, dsn: str, projections: Sequence[Projection], *, batch_size: int = 2000,
                 poll_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.projections = list(projections)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.log = Log()
        self.positions: dict[str, int] = {}
        self.failed: dict[str, str] = {}
        self.leadership = Leadership(dsn, LOCK_KEY, "projector", session=LOCK_SESSION,
                                     poll_interval=poll_interval)

    async def run(self, stop: anyio.Event | None = None) -> None:
        """One attempt: wait to become active, then project until ``stop`` is set.

        Returns only when ``stop`` is set; raises ``LostLock``, ``LostConnection`` or the
        driver's error when a connection is lost (supervise it to go on: see the module)."""
        stop = stop or anyio.Event()
        await self.leadership.run(stop, lambda held: self._project(held, stop))

    async def _project(self, held: Held, stop: anyio.Event) -> None:
        # Before folding: tables a newer release declares (if ``lifecycle migrate`` has not made
        # them yet) are made or rebuilt now, while the API serves the old ones.
        await upgrade(self.dsn, self.projections)
        async with rounds(held, self.dsn, LISTEN_SESSION, stop) as steps, \
                session(self.dsn, WORK_SESSION) as work_conn:
            for projection in self.projections:
                self.positions[projection.name] = await tracking.ensure(work_conn,
                                                                        projection.name)
            async for _ in steps:
                await self.catch_up(work_conn, held)

    async def catch_up(self, conn: asyncpg.Connection, held: Held | None = None) -> int:
        """Apply every batch available now; return how many events were read. Raises
        ``LostLock`` before applying a batch once ``held`` is lost."""
        read = 0
        while True:
            live = [p for p in self.projections if p.name not in self.failed]
            if not live:
                return read
            start = min(self.positions[p.name] for p in live)
            rows = await self.log.rows_after(conn, start, self.batch_size)
            if not rows:
                return read
            batch = (await anyio.to_thread.run_sync(self.log.decode_each, rows)
                     if len(rows) > 64 else self.log.decode_each(rows))
            if held is not None:
                held.check()
            cut = self._first_unreadable(live, batch)
            if cut is None:
                await self.apply_batch(conn, live, batch)
                read += len(batch)
                continue
            if cut:  # everything before it, for everyone
                await self.apply_batch(conn, live, batch[:cut])
            unreadable = batch[cut]
            assert isinstance(unreadable.event, Undecodable)
            for projection in live:
                if projection.name not in self.failed and self._stops_at(projection,
                                                                         unreadable):
                    await self._stop(conn, projection, unreadable,
                                     f"cannot decode {unreadable.event.topic} "
                                     f"({unreadable.event.error})")
            read += cut

    def _stops_at(self, projection: Projection, recorded: Recorded) -> bool:
        return (isinstance(recorded.event, Undecodable)
                and self.positions[projection.name] < recorded.position
                and projection.may_fold(recorded.event.topic))

    def _first_unreadable(self, live: Sequence[Projection],
                          batch: Sequence[Recorded]) -> int | None:
        """Where the first event that some read model cannot read but may need is, if any."""
        for index, recorded in enumerate(batch):
            if isinstance(recorded.event, Undecodable) and any(
                    self._stops_at(p, recorded) for p in live):
                return index
        return None

    async def _stop(self, conn: asyncpg.Connection, projection: Projection,
                    recorded: Recorded, message: str) -> None:
        """Stop ``projection`` at ``recorded``: logged, recorded for ``lifecycle status``."""
        log.error("projection %s stopped at position %d (%s): %s", projection.name,
                  recorded.position, type(recorded.event).__name__, message)
        await tracking.record_error(conn, projection.name, recorded.position, message)
        self.failed[projection.name] = message

    async def apply_batch(self, conn: asyncpg.Connection, live: Sequence[Projection],
                          batch: Sequence[Recorded]) -> None:
        """One transaction: every projection's rows, then all their positions, fenced, with one
        NOTIFY. Only if a projection fails is the batch redone projection by projection."""
        end = batch[-1].position
        due = [p for p in live if self.positions[p.name] < end]
        try:
            async with conn.transaction():
                await tracking.advance_all(conn, {p.name: self.positions[p.name] for p in due},
                                           end)
                for projection in due:
                    start = self.positions[projection.name]
                    tables = Tables(projection.tables)
                    await projection.apply(conn, [r for r in batch if r.position > start],
                                           tables)
                    await projection.settle(conn, tables)
        except tracking.Fenced:
            log.warning("another projector moved on; re-reading positions")
            self.positions.update(await tracking.positions(conn))
            return
        except Exception as exc:  # a projection could not fold the batch: find which, and where
            if transient(exc):  # the database failed, not a projection: end this attempt
                raise
            for projection in due:
                await self._isolate(conn, projection, batch)
            return
        self.positions.update({p.name: end for p in due})

    async def _isolate(self, conn: asyncpg.Connection, projection: Projection,
                       batch: Sequence[Recorded]) -> None:
        """Apply a failed batch to one projection alone; if it fails, one event at a time, to
        stop exactly at the event that fails."""
        start = self.positions[projection.name]
        mine = [r for r in batch if r.position > start]
        if not mine:
            return
        try:
            async with conn.transaction():
                await tracking.advance(conn, projection.name, start, mine[-1].position)
                await projection.apply(conn, mine, Tables(projection.tables))
                await projection.settle(conn, Tables(projection.tables))
            self.positions[projection.name] = mine[-1].position
            return
        except Exception as exc:
            if transient(exc):
                raise
            log.info("projection %s failed on a batch; applying it event by event",
                     projection.name)
        for recorded in batch:
            start = self.positions[projection.name]
            if recorded.position <= start:
                continue
            try:
                async with conn.transaction():
                    await tracking.advance(conn, projection.name, start, recorded.position)
                    await projection.apply(conn, [recorded], Tables(projection.tables))
                    await projection.settle(conn, Tables(projection.tables))
            except tracking.Fenced:
                self.positions.update(await tracking.positions(conn))
                return
            except Exception as exc:
                if transient(exc):
                    raise
                await self._stop(conn, projection, recorded, f"{type(exc).__name__}: {exc}")
                return
            self.positions[projection.name] = recorded.position


