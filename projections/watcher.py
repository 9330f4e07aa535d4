"""Read-your-writes: wait until a projection has reached a log position.

One listener per process, on a dedicated connection, follows ``lifecycle_projections`` NOTIFYs
and wakes waiters as positions pass them; no polling with sleeps. Because a NOTIFY is lost while
the listener is disconnected, it also re-reads the positions from the database every
``check_interval`` and whenever it reconnects, so a waiter is never stranded by a lost wake-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

import asyncpg

from projections import tracking
from projections.runner import close, connect

log = logging.getLogger(__name__)


class Watcher:
    def __init__(self, dsn: str, check_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.check_interval = check_interval
        self.positions: dict[str, int] = {}
        self._waiters: dict[str, list[tuple[int, asyncio.Future[None]]]] = defaultdict(list)
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._check_periodically())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None and not self._conn.is_closed():
            await close(self._conn)

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

    async def _connect(self) -> None:
        self._conn = await connect(self.dsn)
        await self._conn.add_listener(tracking.CHANNEL, self._on_notify)
        await self._refresh()

    async def _refresh(self) -> None:
        assert self._conn is not None
        for name, position in (await tracking.positions(self._conn)).items():
            self._advance(name, position)

    async def _check_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.check_interval)
            try:
                if self._conn is None or self._conn.is_closed():
                    await self._connect()
                else:
                    await self._refresh()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("projection watcher lost its connection (%s); retrying", exc)
                if self._conn is not None:
                    self._conn.terminate()
                self._conn = None
