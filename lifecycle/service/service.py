"""The asynchronous face of the write side.

eventsourcing is synchronous (psycopg 3), so every call runs in a worker thread. The capacity
limiter admits no more calls than the library's connection pool has connections: a thread never
blocks inside the library waiting for a connection, and the event loop never blocks at all.

When the database is away, a call answers ``DatabaseUnavailable`` within about a second (the
API makes it HTTP 503, retryable) instead of waiting on the pool; when the database dropped the
pool's connections, the first call that meets a dead one has them all replaced at once
(``lifecycle.database.FailFastDatastore``). A call is never repeated here: a command whose
connection was lost while it committed may have been stored, and only its idempotency key can
say so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import anyio
import anyio.to_thread

from lifecycle.actor import Actor, CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.commands import Command
from lifecycle.directory.erasure_log import ErasureLog
from lifecycle.store import database
from lifecycle.store.database import Database, DatabaseUnavailable

A = TypeVar("A", bound=LifecycleAggregate)
T = TypeVar("T")


class LifecycleService:
    def __init__(self, app: LifecycleApplication, pool_size: int) -> None:
        self.app = app
        self.limiter = anyio.CapacityLimiter(pool_size)
        self.epoch = app.store.epoch()

    @classmethod
    def connect(cls, db: Database, pool_size: int,
                erasure_log: ErasureLog | None = None) -> LifecycleService:
        app = LifecycleApplication(env=db.eventsourcing_env(pool_size), erasure_log=erasure_log)
        database.harden(app.store.datastore)
        return cls(app, pool_size)

    async def execute(self, command: Command, ctx: CommandContext) -> Outcome:
        """Carry out a command (see ``LifecycleApplication.execute``) off the event loop.

        Raises the command's ``DomainError``s, and ``DatabaseUnavailable`` when the database
        cannot be reached (the command may then have been stored only if the connection was lost
        while it committed: repeat it with its idempotency key)."""
        return await self._call(self.app.execute, command, ctx)

    async def load(self, kind: type[A], ident: UUID) -> A:
        return await self._call(self.app.load, kind, ident)

    async def sees(self, actor: Actor, aggregate: LifecycleAggregate) -> bool:
        """Whether ``aggregate`` exists for ``actor`` (``LifecycleApplication.sees``)."""
        return await self._call(self.app.sees, actor, aggregate)

    async def head(self) -> int:
        """The log's head position; ``DatabaseUnavailable`` within about a second if the
        database is away."""
        return await self._call(self.app.store.head)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` (a read of the store, e.g. ``lifecycle.audit``) in a worker
        thread, admitted like a command; ``DatabaseUnavailable`` as ``execute``."""
        return await self._call(functools.partial(fn, *args, **kwargs))

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter)
        except DatabaseUnavailable:
            raise
        except Exception as exc:
            if database.unavailable(exc):
                raise DatabaseUnavailable("the database is unavailable") from exc
            raise

    @property
    def closed(self) -> bool:
        """Whether the event store's pool is closed (the service can no longer write)."""
        return bool(self.app.store.datastore.pool.closed)

    def close(self) -> None:
        self.app.close()

