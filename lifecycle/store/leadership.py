"""One active worker of a kind per database: the projector, webhook delivery and the chaining
worker each run only while they hold their advisory lock (``lifecycle.store.locks``).

``Leadership.run`` is one attempt. It takes a session-level advisory lock on a dedicated
connection, never a pooled one (a pool resets advisory locks when a connection is returned).
While another session holds the lock it stands by, trying again every ``poll_interval``, so a
standby takes over within about that long of the active session ending, however it ended (the
process stopped, was killed, or its backend was terminated). While it holds the lock it runs the
worker, handing it a ``Held`` to check the lock with; when the lock's session ends under the
worker, ``Held`` raises ``LostLock``, because another may be active by now. On return or failure
the session is closed, which gives the lock up at once.

A terminated or lost lock session is replaced by running the attempt again: under
``lifecycle.service.supervisor.supervise``, with backoff (``serve`` and the worker commands do).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
import asyncpg

from lifecycle.store.sessions import LostConnection, close, connect

log = logging.getLogger(__name__)

# The event store (eventsourcing's PostgreSQL recorder) NOTIFYs this, its table's name, on every
# insert.
EVENTS_CHANNEL = "lifecycle_events"


class LostLock(RuntimeError):
    """The lock's session ended while working: another worker may now be active."""


class Held:
    """The advisory lock while this worker holds it: how the worker finds out it has lost it."""

    def __init__(self, conn: asyncpg.Connection, poll_interval: float) -> None:
        self._conn = conn
        self.poll_interval = poll_interval
        self._confirmed = anyio.current_time()

    def check(self) -> None:
        """Raise ``LostLock`` if the lock's session is known to have ended (no round trip: cheap
        enough to call before every batch)."""
        if self._conn.is_closed():
            raise LostLock("the lock connection was lost; stopping")

    def on_lost(self, callback: Callable[[], object]) -> None:
        """Call ``callback()`` as soon as the lock's session ends (to wake a waiting worker)."""
        self._conn.add_termination_listener(lambda *_: callback())

    async def confirm(self) -> None:
        """``check``, and at most once a ``poll_interval`` a round trip on the lock's session,
        bounded by five poll intervals: a session that a network failure ended without the
        client noticing is found here. Raises ``LostLock``."""
        self.check()
        if anyio.current_time() - self._confirmed < self.poll_interval:
            return
        try:
            with anyio.fail_after(self.poll_interval * 5):
                await self._conn.fetchval("SELECT 1")
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
            raise LostLock("the lock connection was lost; stopping") from exc
        self._confirmed = anyio.current_time()


class Leadership:
    """The advisory lock ``key`` for the worker called ``worker`` (in log lines), taken on a
    session named ``session`` (its ``application_name``)."""

    def __init__(self, dsn: str, key: int, worker: str, *, session: str,
                 poll_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.key = key
        self.worker = worker
        self.session = session
        self.poll_interval = poll_interval
        self.active = False

    async def run(self, stop: anyio.Event, work: Callable[[Held], Awaitable[None]]) -> None:
        """One attempt: stand by until this session holds the lock (or ``stop`` is set: then
        return), then ``await work(held)`` and return what it returns; the lock is given up
        either way. Raises what ``work`` raises, and the driver's error if the lock's session
        is lost while standing by."""
        conn = await connect(self.dsn, self.session)
        try:
            standing_by = False
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self.key):
                if not standing_by:
                    log.info("%s standing by: another one is active", self.worker)
                    standing_by = True
                with anyio.move_on_after(self.poll_interval):
                    await stop.wait()
                if stop.is_set():
                    return
            self.active = True
            log.info("%s active", self.worker)
            await work(Held(conn, self.poll_interval))
        finally:
            self.active = False
            await close(conn)


@asynccontextmanager
async def rounds(held: Held, dsn: str, session: str,
                 stop: anyio.Event) -> AsyncIterator[AsyncIterator[None]]:
    """The rounds of an active worker that follows the log (the projector, the chaining
    worker): iterate over what this yields, and do one round of work at each step.

    A step comes at once, then after each round as soon as the event store NOTIFYs an append,
    or the lock's or the listener's session ends, or ``poll_interval`` passes (a NOTIFY is lost
    while a listener is disconnected); iteration ends when ``stop`` is set. The listener is a
    dedicated session named ``session``. Before a step, ``LostLock`` or ``LostConnection`` is
    raised if either session has ended; after a round, the lock is confirmed
    (``Held.confirm``), never between a wake-up and its round: that round trip would be on every
    event's path."""
    wake = asyncio.Event()
    conn = await connect(dsn, session)
    try:
        held.on_lost(wake.set)  # a lost session wakes the worker at once
        conn.add_termination_listener(lambda *_: wake.set())
        await conn.add_listener(EVENTS_CHANNEL, lambda *_: wake.set())

        async def steps() -> AsyncIterator[None]:
            while not stop.is_set():
                wake.clear()
                held.check()
                if conn.is_closed():
                    raise LostConnection("the listener's connection was lost; reconnecting")
                yield
                await held.confirm()
                with anyio.move_on_after(held.poll_interval):
                    await wake.wait()

        yield steps()
    finally:
        await close(conn)
