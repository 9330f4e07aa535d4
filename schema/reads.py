"""The read path of the API: a pool of asyncpg connections to the read models, and the watcher
that lets a request wait until a read model has caught up with a client's own write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import anyio
import asyncpg
import strawberry
from graphql import GraphQLError

from lifecycle.errors import DomainError, ValidationFailed
from lifecycle.store.database import CONNECT_SECONDS
from projections.engine.watcher import Watcher
from schema import positions
from schema.errors import said

# The read sessions' settings. A request's queries are short index reads: parallel workers take
# longer to start than they save, and they take cores from the requests running beside them
# (measured over the API bench's 256 page variants: 3.0 ms a page without, 4.0 with).
SESSION = {"max_parallel_workers_per_gather": "0", "application_name": "lifecycle reads"}


ConsistentWith = Annotated[str | None, strawberry.argument(
    description="A position (from a mutation's payload) to read at least up to; waits briefly "
                "for the read model to reach it.")]
"""The argument every query that reads a read model takes (read-your-writes)."""


class NotYetConsistent(GraphQLError):
    def __init__(self, name: str, waited: float) -> None:
        super().__init__(
            f"the {name} read model has not reached the requested position within "
            f"{waited:g} s; retry shortly",
            extensions={"code": "NOT_YET_CONSISTENT", "retryable": True},
        )


class ReadModelStopped(GraphQLError):
    """The read model stopped at an event it cannot fold, at or before the asked position: it
    will not get there until it is fixed and rebuilt, so waiting or retrying is pointless."""

    def __init__(self, name: str, at: int, why: str) -> None:
        super().__init__(
            f"the {name} read model has stopped at log position {at} ({why[:200]}) and will "
            f"not reach the requested position until it is repaired; see `lifecycle status`",
            extensions={"code": "READ_MODEL_STOPPED", "retryable": False, "readModel": name,
                        "position": str(at)})


class PositionNotInLog(GraphQLError):
    """The asked position is past the log's head: no write has been acknowledged there."""

    def __init__(self, position: int, head: int) -> None:
        super().__init__(
            f"consistentWith names position {position}, which is not in the log yet (its head "
            f"is {head}): pass the position a mutation answered",
            extensions={"code": "POSITION_NOT_IN_LOG", "retryable": False,
                        "head": str(head)})


@dataclass
class Reads:
    pool: asyncpg.Pool
    watcher: Watcher
    wait_seconds: float = 5.0

    @classmethod
    async def open(cls, url: str, watcher: Watcher, size: int,
                   on_read: Callable[[str], None] | None = None) -> Reads:
        """``on_read`` hears every statement the read path runs (tests count round trips)."""
        async def init(conn: asyncpg.Connection) -> None:
            if on_read is not None:
                conn.add_query_logger(lambda logged: on_read(logged.query))

        # A dead connection is replaced on acquire (asyncpg notices a closed socket at once);
        # the connect timeout bounds how long a request waits for a host that does not answer.
        pool = await asyncpg.create_pool(url, min_size=1, max_size=size, init=init,
                                         server_settings=SESSION, timeout=CONNECT_SECONDS)
        return cls(pool, watcher)

    @property
    def closed(self) -> bool:
        return bool(self.pool.is_closing())

    async def close(self) -> None:
        await self.pool.close()

    async def consistent_with(self, names: str | Sequence[str], position: int | None) -> None:
        """Wait (woken by the projector's NOTIFY) until every read model of ``names`` (one
        name, or several: every read model a query reads) has reached ``position``, within
        ``wait_seconds`` in all.

        Before waiting for a read model, and again when the wait for it runs out, one look at
        the log's head and that read model's state refuses what waiting cannot give:
        ``PositionNotInLog`` for a position past the head, ``ReadModelStopped`` when it stopped
        at or before ``position``. Otherwise ``NotYetConsistent`` (retryable) naming the first
        read model that has not got there."""
        if position is None:
            return
        deadline = anyio.current_time() + self.wait_seconds
        for name in (names,) if isinstance(names, str) else names:
            if self.watcher.positions.get(name, 0) >= position:
                continue
            await self._reachable(name, position)
            left = max(deadline - anyio.current_time(), 0.0)
            if not await self.watcher.wait(name, position, within=left):
                await self._reachable(name, position)
                raise NotYetConsistent(name, self.wait_seconds)

    async def _reachable(self, name: str, position: int) -> None:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT (SELECT coalesce(max(notification_id), 0) FROM lifecycle_events) AS head,"
                " p.error, p.error_position FROM (SELECT 1) AS one "
                "LEFT JOIN projection_positions p ON p.name = $1", name)
        if position > row["head"]:
            raise PositionNotInLog(position, int(row["head"]))
        stopped_at = row["error_position"]
        if row["error"] is not None and stopped_at is not None and stopped_at <= position:
            raise ReadModelStopped(name, int(stopped_at), str(row["error"]))


class Refused(GraphQLError):
    """A query's input refused, readable by the client (resolver exceptions are masked), naming
    the input as the API does (``schema.errors.said``)."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(said(error), extensions={"code": error.code})


def position_of(cursor: str | None, epoch: UUID) -> int | None:
    """The log position a client asks to read at least up to (``consistentWith``)."""
    if cursor is None:
        return None
    try:
        return positions.decode(epoch, cursor)
    except positions.StaleCursor as exc:
        raise Refused(ValidationFailed("consistentWith", str(exc))) from None
