"""The asynchronous face of the write side.

eventsourcing is synchronous (psycopg 3), so every call runs in a worker thread. The capacity
limiter admits no more calls than the library's connection pool has connections: a thread never
blocks inside the library waiting for a connection, and the event loop never blocks at all.

When the database is away, a call answers ``DatabaseUnavailable`` within about
``RETRY_SECONDS`` (the API makes it HTTP 503, retryable) instead of waiting on the pool. When
the database dropped the pool's connections (a restart, a failover, an administrator), the first
call that meets a dead one has every idle connection checked at once, dead ones replaced, and is
tried again: it is answered in about ``ACQUIRE_SECONDS`` rather than one backoff per dead
connection. A call is retried only when it failed before any statement ran (waiting for a
connection), so a command is never applied twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import anyio
import anyio.to_thread
import psycopg_pool

from lifecycle import database
from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.commands import Command
from lifecycle.database import Database, DatabaseUnavailable

A = TypeVar("A", bound=LifecycleAggregate)
T = TypeVar("T")

RETRY_SECONDS = 1.0  # how long a call keeps trying to get a connection before it gives up


class LifecycleService:
    def __init__(self, app: LifecycleApplication, pool_size: int) -> None:
        self.app = app
        self.limiter = anyio.CapacityLimiter(pool_size)
        self.epoch = app.store.epoch()

    @classmethod
    def connect(cls, db: Database, pool_size: int) -> LifecycleService:
        app = LifecycleApplication(env=db.eventsourcing_env(pool_size))
        database.harden_pool(app.store.datastore.pool)
        return cls(app, pool_size)

    async def execute(self, command: Command, ctx: CommandContext) -> Outcome:
        """Carry out a command (see ``LifecycleApplication.execute``) off the event loop.

        Raises the command's ``DomainError``s, and ``DatabaseUnavailable`` when the database
        cannot be reached (the command may then have been stored only if the connection was lost
        while it committed: repeat it with its idempotency key)."""
        return await self._call(self.app.execute, command, ctx)

    async def load(self, kind: type[A], ident: UUID) -> A:
        return await self._call(self.app.load, kind, ident)

    async def head(self) -> int:
        """The log's head position; ``DatabaseUnavailable`` within about a second if the
        database is away."""
        return await self._call(self.app.store.head)

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        deadline = anyio.current_time() + RETRY_SECONDS
        while True:
            try:
                return await anyio.to_thread.run_sync(self._attempt, fn, args,
                                                      limiter=self.limiter)
            except Exception as exc:
                if not database.unavailable(exc):
                    raise
                if not _before_any_statement(exc) or anyio.current_time() >= deadline:
                    raise DatabaseUnavailable("the database is unavailable") from exc

    def _attempt(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            return fn(*args)
        except Exception as exc:
            if database.unavailable(exc):
                # Find every dead idle connection now (replacements are opened at once), not
                # one per request as the pool's pre-ping would.
                with contextlib.suppress(psycopg_pool.PoolClosed):  # shutting down
                    self.app.store.datastore.pool.check()
            raise

    @property
    def closed(self) -> bool:
        """Whether the event store's pool is closed (the service can no longer write)."""
        return bool(self.app.store.datastore.pool.closed)

    def close(self) -> None:
        self.app.close()


def _before_any_statement(exc: BaseException) -> bool:
    """Whether the call failed while waiting for a connection, before running anything."""
    error: BaseException | None = exc
    while error is not None:
        if isinstance(error, psycopg_pool.PoolTimeout):
            return True
        error = error.__cause__
    return False
