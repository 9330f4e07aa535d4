"""Read-your-writes: wait until a projection has reached a log position.

One listener per process, on a dedicated connection, follows ``lifecycle_projections`` NOTIFYs
and wakes waiters as positions pass them; no polling with sleeps. Because a NOTIFY is lost while
the listener is disconnected, it also re-reads the positions from the database every
``check_interval`` and whenever it reconnects, so a waiter is never stranded by a lost wake-up.

``run`` is one attempt at listening: it raises as soon as its connection is lost (noticed at
once, through asyncpg's termination callback), and runs under ``lifecycle.supervisor`` so that
it reconnects with backoff, forever. Waiters and known positions outlive reconnections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

import anyio
import asyncpg

from lifecycle.service.supervisor import Supervised, supervise
from lifecycle.store.sessions import close, connect
from projections.engine import tracking
from projections.engine.runner import LostConnection

log = logging.getLogger(__name__)

SESSION = "lifecycle watcher"  # its application_name in pg_stat_activity


class Watcher:
    def __init__(self, dsn: str, check_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.check_interval = check_interval
        self.positions: dict[str, int] = {}
        self.health = Supervised("projection watcher")
        #: the server process of the listening connection (None while disconnected)
        self.listener_pid: int | None = None
        self._listening = asyncio.Event()
        self._waiters: dict[str, list[tuple[int, asyncio.Future[None]]]] = defaultdict(list)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run supervised in a task of its own (for use outside a task group), and return once
        it listens. ``serve`` runs ``run`` under its own supervisor instead."""
        self._task = asyncio.create_task(supervise(self.health.name, self.run,
                                                   health=self.health))
        async with anyio.create_task_group() as group:
            async def listening() -> None:
                await self._listening.wait()
                group.cancel_scope.cancel()
            group.start_soon(listening)
            await self.health.stopped.wait()  # dead before it ever listened
            raise RuntimeError(f"the projection watcher failed: {self.health.last_error}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait(self, name: str, position: int, within: float) -> bool:
        """True once ``name`` has reached ``position``; False if ``within`` seconds pass first."""
        if self.positions.get(name, 0) >= position:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (position, future)
        self._waiters[name].append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(future), within)
            return True
        except TimeoutError:
            return self.positions.get(name, 0) >= position
        finally:
            with contextlib.suppress(ValueError):
                self._waiters[name].remove(entry)

    async def run(self) -> None:
        """Listen, and re-read positions every ``check_interval``, until the connection is lost
        (then raise ``LostConnection``)."""
        lost = asyncio.Event()
        conn = await connect(self.dsn, SESSION)
        try:
            conn.add_termination_listener(lambda *_: lost.set())
            await conn.add_listener(tracking.CHANNEL, self._on_notify)
            while True:
                await self._refresh(conn)
                if not self._listening.is_set():
                    self.listener_pid = conn.get_server_pid()
                    self._listening.set()
                    log.info("projection watcher listening")
                with anyio.move_on_after(self.check_interval):
                    await lost.wait()
                if conn.is_closed():
                    raise LostConnection("the projection watcher's connection was lost")
        finally:
            self._listening.clear()
            self.listener_pid = None
            await close(conn)

    def _advance(self, name: str, position: int) -> None:
        if position <= self.positions.get(name, 0):
            return
        self.positions[name] = position
        for target, future in self._waiters.get(name, ()):
            if target <= position and not future.done():
                future.set_result(None)

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        names, _, position = payload.rpartition(":")
        with contextlib.suppress(ValueError):
            for name in names.split(","):
                self._advance(name, int(position))

    async def _refresh(self, conn: asyncpg.Connection) -> None:
        for name, position in (await tracking.positions(conn)).items():
            self._advance(name, position)
