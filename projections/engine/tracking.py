"""Each projection's position in the log, advanced in the same transaction as its rows, and
fenced: an update names the position it started from, so a projector that lost its lock without
noticing cannot apply a batch twice."""

from __future__ import annotations

import asyncpg

CHANNEL = "lifecycle_projections"


class Fenced(Exception):
    """Another projector moved this projection on; the batch was rolled back."""


async def ensure(conn: asyncpg.Connection, name: str) -> int:
    await conn.execute("INSERT INTO projection_positions (name, position) VALUES ($1, 0) "
                       "ON CONFLICT (name) DO NOTHING", name)
    return await position(conn, name)


async def position(conn: asyncpg.Connection, name: str) -> int:
    value = await conn.fetchval("SELECT position FROM projection_positions WHERE name = $1", name)
    return int(value or 0)


async def positions(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch("SELECT name, position FROM projection_positions")
    return {row["name"]: int(row["position"]) for row in rows}


async def advance(conn: asyncpg.Connection, name: str, start: int, end: int) -> None:
    """Move ``name`` from ``start`` to ``end`` inside the caller's transaction, and wake waiters
    when it commits. Taken first in the transaction, so the row lock orders concurrent writers
    (a projector and a rebuild's swap) before either touches a read-model table."""
    done = await conn.execute(
        "UPDATE projection_positions SET position = $3, updated_at = clock_timestamp(), "
        "error = NULL, error_position = NULL WHERE name = $1 AND position = $2",
        name, start, end)
    if done != "UPDATE 1":
        raise Fenced(f"projection {name} is no longer at {start}")
    await conn.execute(f"NOTIFY {CHANNEL}, '{name}:{end}'")


async def advance_all(conn: asyncpg.Connection, starts: dict[str, int], end: int) -> None:
    """``advance`` for several projections at once: one fenced statement, which also queues
    the NOTIFY (sent only if the transaction commits), so one round trip."""
    names = list(starts)
    moved = await conn.fetchval(
        "WITH moved AS (UPDATE projection_positions AS p SET position = $3, "
        "updated_at = clock_timestamp(), error = NULL, error_position = NULL "
        "FROM unnest($1::text[], $2::bigint[]) AS s(name, start) "
        "WHERE p.name = s.name AND p.position = s.start RETURNING 1) "
        "SELECT count(*) FROM moved, pg_notify($4, $5)",
        names, [starts[n] for n in names], end, CHANNEL, f"{','.join(names)}:{end}")
    if moved != len(names):
        raise Fenced(f"projections {', '.join(names)} are no longer where this batch began")


async def record_error(conn: asyncpg.Connection, name: str, at: int, error: str) -> None:
    await conn.execute("UPDATE projection_positions SET error = $2, error_position = $3 "
                       "WHERE name = $1", name, error[:2000], at)


async def restart(conn: asyncpg.Connection, name: str) -> None:
    """Put ``name`` back at the log's start (its tables were just made empty); a live
    projector's next fenced update finds it moved and re-reads it."""
    await conn.execute(
        "UPDATE projection_positions SET position = 0, updated_at = clock_timestamp(), "
        "error = NULL, error_position = NULL WHERE name = $1", name)


async def record_shape(conn: asyncpg.Connection, name: str, version: int, digest: str) -> None:
    """Record that ``name``'s tables now have the shape of its declaration ``version`` (whose
    text has ``digest``), in ``read_model_versions``."""
    await conn.execute(
        "INSERT INTO read_model_versions (name, version, digest) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET version = $2, digest = $3, "
        "recorded_at = clock_timestamp()", name, version, digest)
