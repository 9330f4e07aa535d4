"""Dedicated connections of the read side's background work (projector, watcher, rebuild),
named for ``pg_stat_activity`` and closed even while being cancelled."""

from __future__ import annotations

import anyio
import asyncpg

KEEPALIVES = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5",
              "tcp_keepalives_count": "3"}


async def connect(dsn: str, purpose: str = "lifecycle") -> asyncpg.Connection:
    """A dedicated connection, named ``purpose`` in ``pg_stat_activity`` (application_name), so
    that an operator can tell the projector's lock, listener and work sessions apart."""
    conn: asyncpg.Connection = await asyncpg.connect(
        dsn, server_settings={**KEEPALIVES, "application_name": purpose})
    return conn


async def close(*conns: asyncpg.Connection) -> None:
    """Close connections even while being cancelled (a cancelled close would leak them)."""
    with anyio.CancelScope(shield=True):
        for conn in conns:
            try:
                with anyio.fail_after(5):
                    await conn.close()
            except (TimeoutError, OSError, asyncpg.InterfaceError):
                conn.terminate()
