"""The asynchronous face of the write side.

eventsourcing is synchronous (psycopg 3), so every call runs in a worker thread. The capacity
limiter admits no more calls than the library's connection pool has connections: a thread never
blocks inside the library waiting for a connection, and the event loop never blocks at all.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

import anyio
import anyio.to_thread

from lifecycle.actor import Actor, CommandContext
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.commands import Command
from lifecycle.database import Database

A = TypeVar("A", bound=LifecycleAggregate)


class LifecycleService:
    def __init__(self, app: LifecycleApplication, pool_size: int) -> None:
        self.app = app
        self.limiter = anyio.CapacityLimiter(pool_size)
        self.epoch = app.store.epoch()

    @classmethod
    def connect(cls, db: Database, pool_size: int) -> LifecycleService:
        return cls(LifecycleApplication(env=db.eventsourcing_env(pool_size)), pool_size)

    async def execute(self, command: Command, ctx: CommandContext) -> Outcome:
        """Carry out a command (see ``LifecycleApplication.execute``) off the event loop."""
        return await anyio.to_thread.run_sync(self.app.execute, command, ctx,
                                              limiter=self.limiter)

    async def load(self, kind: type[A], ident: UUID) -> A:
        return await anyio.to_thread.run_sync(self.app.load, kind, ident, limiter=self.limiter)

    async def sees(self, actor: Actor, aggregate: LifecycleAggregate) -> bool:
        """Whether ``aggregate`` exists for ``actor`` (``LifecycleApplication.sees``)."""
        return await anyio.to_thread.run_sync(self.app.sees, actor, aggregate,
                                              limiter=self.limiter)

    async def head(self) -> int:
        return await anyio.to_thread.run_sync(self.app.store.head, limiter=self.limiter)

    def close(self) -> None:
        self.app.close()
