"""Where each read model stands against the head of the log, and whether a projector is active.

A projector is active when some session holds its advisory lock (``runner.LOCK_KEY``): that is
what an active projector does and a standby or a dead one does not, and ``pg_locks`` shows it to
any role without polling the positions. ``lifecycle status``, ``/readyz`` and ``serve``'s warning
read it from here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import anyio
import asyncpg

from projections.engine.catalogue import all_projections
from projections.engine.log import Log
from projections.engine.runner import LOCK_KEY

log = logging.getLogger(__name__)

# pg_try_advisory_lock(bigint) is listed in pg_locks with the key's high and low 32 bits as
# classid and objid, and objsubid 1.
_PROJECTOR_LOCKED = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND classid = $1 AND objid = $2 AND objsubid = 1)"
)


@dataclass(frozen=True)
class ReadModel:
    name: str
    position: int
    lag: int  # events in the log after ``position``
    error: str | None  # why it stopped, and where, if it did


@dataclass(frozen=True)
class Status:
    head: int
    projector_active: bool
    read_models: list[ReadModel]

    def as_json(self) -> dict[str, Any]:
        return {"head": self.head, "projector": {"active": self.projector_active},
                "readModels": {m.name: {"position": m.position, "lag": m.lag,
                                        "error": m.error} for m in self.read_models}}


async def projector_active(conn: asyncpg.Connection) -> bool:
    """Whether a projector holds the advisory lock on this database (any process)."""
    active: bool = await conn.fetchval(_PROJECTOR_LOCKED, LOCK_KEY >> 32,
                                       LOCK_KEY & 0xFFFF_FFFF)
    return active


async def read_status(conn: asyncpg.Connection) -> Status:
    """Three short reads: the head (the log's primary key), the positions, ``pg_locks``."""
    head = await Log().head(conn)
    stored = {row["name"]: row for row in await conn.fetch(
        "SELECT name, position, error, error_position FROM projection_positions")}
    models = []
    for projection in all_projections():
        row = stored.get(projection.name)
        position = int(row["position"]) if row else 0
        error = (f"stopped at {row['error_position']}: {row['error']}"
                 if row and row["error"] else None)
        models.append(ReadModel(projection.name, position, head - position, error))
    return Status(head, await projector_active(conn), models)


async def warn_without_projector(pool: asyncpg.Pool, interval: float = 10.0,
                                 repeat: float = 300.0) -> None:
    """A worker for ``serve``: every ``interval`` seconds, log a warning when no projector is
    active on this database (read models will not change), again every ``repeat`` seconds while
    that lasts, and a line when one is active again. Raises when the database is away (run it
    supervised)."""
    warned: float | None = None
    while True:
        await anyio.sleep(interval)  # first after a while: a projector in this process starts
        async with pool.acquire() as conn:
            active = await projector_active(conn)
        now = anyio.current_time()
        if active and warned is not None:
            log.info("a projector is active on this database again")
            warned = None
        elif not active and (warned is None or now - warned >= repeat):
            log.warning("no projector is active on this database: read models will not change "
                        "and consistentWith will time out; run `lifecycle project` (or set "
                        "LIFECYCLE_PROJECTOR=on)")
            warned = now
