"""Webhook endpoints and their delivery log, in the delivery worker's own tables
(``lifecycle/store/migrations/0003_webhooks.sql``): not derived from the event log, which never
holds a secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

ACTIVE = "ACTIVE"
PAUSED = "PAUSED"
COLUMNS = ("id, organisation_id, url, event_types, secret, cursor, state, paused_reason, "
           "created_at, secret_rotated_at")


@dataclass(frozen=True)
class Endpoint:
    id: UUID
    organisation_id: UUID
    url: str
    event_types: tuple[str, ...]
    secret: bytes  # sealed (projections/partners/keys.py)
    cursor: int
    state: str
    paused_reason: str | None
    created_at: datetime
    secret_rotated_at: datetime | None

    def wants(self, name: str) -> bool:
        return not self.event_types or name in self.event_types

    @classmethod
    def of(cls, row: asyncpg.Record) -> Endpoint:
        return cls(row["id"], row["organisation_id"], row["url"], tuple(row["event_types"]),
                   bytes(row["secret"]), row["cursor"], row["state"], row["paused_reason"],
                   row["created_at"], row["secret_rotated_at"])


@dataclass(frozen=True)
class Delivery:
    position: int
    attempt: int
    attempted_at: datetime
    event_type: str
    status: int | None
    error: str | None
    succeeded: bool


async def register(conn: asyncpg.Connection, organisation: UUID, url: str,
                   event_types: list[str], sealed: bytes, created_by: str) -> Endpoint:
    """A new endpoint, delivering what is recorded from now on (the log's head)."""
    row = await conn.fetchrow(
        f"INSERT INTO webhook_endpoints (id, organisation_id, url, event_types, secret, cursor, "
        f"created_by) SELECT $1, $2, $3, $4, $5, coalesce(max(notification_id), 0), $6 "
        f"FROM lifecycle_events RETURNING {COLUMNS}",
        uuid4(), organisation, url, event_types, sealed, created_by)
    return Endpoint.of(row)


async def of_organisation(conn: asyncpg.Connection, organisation: UUID) -> list[Endpoint]:
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM webhook_endpoints "
                            f"WHERE organisation_id = $1 ORDER BY created_at, id", organisation)
    return [Endpoint.of(row) for row in rows]


async def one(conn: asyncpg.Connection, ident: UUID, organisation: UUID) -> Endpoint | None:
    """The endpoint, if it is ``organisation``'s (another's answers as one never made)."""
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM webhook_endpoints "
                              f"WHERE id = $1 AND organisation_id = $2", ident, organisation)
    return Endpoint.of(row) if row else None


async def active(conn: asyncpg.Connection) -> list[Endpoint]:
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM webhook_endpoints WHERE state = $1",
                            ACTIVE)
    return [Endpoint.of(row) for row in rows]


async def sealed_secret(conn: asyncpg.Connection, ident: UUID) -> bytes | None:
    value = await conn.fetchval("SELECT secret FROM webhook_endpoints WHERE id = $1", ident)
    return None if value is None else bytes(value)


async def rotate(conn: asyncpg.Connection, ident: UUID, organisation: UUID,
                 sealed: bytes) -> Endpoint | None:
    row = await conn.fetchrow(
        f"UPDATE webhook_endpoints SET secret = $3, secret_rotated_at = clock_timestamp() "
        f"WHERE id = $1 AND organisation_id = $2 RETURNING {COLUMNS}",
        ident, organisation, sealed)
    return Endpoint.of(row) if row else None


async def resume(conn: asyncpg.Connection, ident: UUID, organisation: UUID) -> Endpoint | None:
    row = await conn.fetchrow(
        f"UPDATE webhook_endpoints SET state = $3, paused_reason = NULL "
        f"WHERE id = $1 AND organisation_id = $2 RETURNING {COLUMNS}",
        ident, organisation, ACTIVE)
    return Endpoint.of(row) if row else None


async def pause(conn: asyncpg.Connection, ident: UUID, reason: str) -> None:
    await conn.execute("UPDATE webhook_endpoints SET state = $2, paused_reason = $3 "
                       "WHERE id = $1", ident, PAUSED, reason[:500])


async def advance(conn: asyncpg.Connection, ident: UUID, position: int) -> None:
    await conn.execute("UPDATE webhook_endpoints SET cursor = $2 "
                       "WHERE id = $1 AND cursor < $2", ident, position)


async def record(conn: asyncpg.Connection, ident: UUID, position: int, event_type: str,
                 status: int | None, error: str | None, succeeded: bool) -> int:
    """Log one attempt (numbered after the earlier attempts of that delivery); its number."""
    attempt: int = await conn.fetchval(
        "INSERT INTO webhook_deliveries (endpoint_id, position, attempt, event_type, status, "
        "error, succeeded) SELECT $1, $2, coalesce(max(attempt), 0) + 1, $3, $4, $5, $6 "
        "FROM webhook_deliveries WHERE endpoint_id = $1 AND position = $2 RETURNING attempt",
        ident, position, event_type, status, error, succeeded)
    return attempt


async def deliveries(conn: asyncpg.Connection, ident: UUID, first: int) -> list[Delivery]:
    """The endpoint's latest ``first`` attempts, newest first."""
    rows = await conn.fetch(
        "SELECT position, attempt, attempted_at, event_type, status, error, succeeded "
        "FROM webhook_deliveries WHERE endpoint_id = $1 "
        "ORDER BY attempted_at DESC, position DESC, attempt DESC LIMIT $2", ident, first)
    return [Delivery(*row) for row in rows]
