"""Dedicated database sessions for the workers (the projector, the watcher, webhook delivery, the
chaining worker) and the commands that read with asyncpg: each named in ``pg_stat_activity``,
with TCP keepalives so that a silently dropped peer is noticed, and closed even while the
caller is being cancelled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import asyncpg

# A peer that vanished without closing (a network failure) is found within about 25 seconds.
KEEPALIVES = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5",
              "tcp_keepalives_count": "3"}


class LostConnection(RuntimeError):
    """A dedicated connection (a listener's) died: reconnect before going on."""


async def connect(dsn: str, purpose: str = "lifecycle") -> asyncpg.Connection:
    """A dedicated connection, named ``purpose`` in ``pg_stat_activity`` (application_name), so
    that an operator can tell a worker's lock, listener and work sessions apart."""
    conn: asyncpg.Connection = await asyncpg.connect(
        dsn, server_settings={**KEEPALIVES, "application_name": purpose})
    return conn


async def close(*conns: asyncpg.Connection) -> None:
    """Close connections even while being cancelled (a cancelled close would leak them); one
    that does not close within 5 seconds is terminated."""
    with anyio.CancelScope(shield=True):
        for conn in conns:
            try:
                with anyio.fail_after(5):
                    await conn.close()
            except (TimeoutError, OSError, asyncpg.InterfaceError):
                conn.terminate()


@asynccontextmanager
async def session(dsn: str, purpose: str = "lifecycle") -> AsyncIterator[asyncpg.Connection]:
    """``connect``, closed (by ``close``) when the block ends."""
    conn = await connect(dsn, purpose)
    try:
        yield conn
    finally:
        await close(conn)
