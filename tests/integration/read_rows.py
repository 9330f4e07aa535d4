"""What the read-side queries' integration tests share: a connection to the seeded database with
every read model caught up, an empty database for rows the tests write, and writers of those rows
(each fixture function is registered by the modules that use it, under its fixture's name)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

import asyncpg

from lifecycle.seed import SeedSummary
from lifecycle.store.database import Database
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.runner import Projector
from tests.conftest import drop_database, fresh_database

T = TypeVar("T")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DIMENSIONS: dict[str, str] = {
    "organisation": "organisation_id", "site": "site", "challenge": "challenge_id",
    "staff_group": "staff_group", "innovation_class": "innovation_class"}
positions = itertools.count(1)


async def seeded_connection(seeded_db: tuple[Database, SeedSummary]
                            ) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the seeded database, every read model caught up."""
    db = seeded_db[0]
    connection = await asyncpg.connect(db.url)
    projector = Projector(db.url, all_projections())
    for p in projector.projections:
        projector.positions[p.name] = await tracking.ensure(connection, p.name)
    await projector.catch_up(connection)
    yield connection
    await connection.close()


async def blank_database(server: Database) -> AsyncIterator[asyncpg.Connection]:
    """An empty database for rows the tests write; each test uses organisations of its own."""
    db = fresh_database(server, "lifecycle_reads_blank")
    connection = await asyncpg.connect(db.url)
    yield connection
    await connection.close()
    drop_database(server, db)


async def rows(conn: asyncpg.Connection, table: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(f"SELECT * FROM {table}")]


async def every_page(fetch: Callable[[Any], Awaitable[Sequence[T]]],
                     cursor: Callable[[T], Any]) -> list[list[T]]:
    """Follow the cursors to the empty page (a cursor that fails to advance fails the test)."""
    pages: list[list[T]] = []
    after = None
    for _ in range(200):
        page = list(await fetch(after))
        pages.append(page)
        if not page:
            return pages
        after = cursor(page[-1])
    raise AssertionError("the pages never ended")


async def add_innovation(conn: asyncpg.Connection, org: UUID, *, stage: str = "SUBMITTED",
                         submitted_at: datetime = T0, staff_group: str | None = None,
                         first_triaged_at: datetime | None = None) -> UUID:
    ident = uuid4()
    await conn.execute(
        "INSERT INTO rm_innovations (id, version, position, organisation_id, title, problem, "
        "proposal, innovation_class, stage, stage_entered_at, submitted_at, submitter, "
        "staff_group, first_triaged_at, updated_at) "
        "VALUES ($1, 0, $2, $3, 't', 'p', 'q', 'INNOVATION', $4, $5, $5, 's', $6, $7, $5)",
        ident, next(positions), org, stage, submitted_at, staff_group, first_triaged_at)
    return ident


async def add_moves(conn: asyncpg.Connection, org: UUID, innovation: UUID,
                    moves: Sequence[tuple[float, str]]) -> None:
    """Stage transitions of ``innovation``: (days after T0, the stage entered)."""
    before = None
    for days, stage in moves:
        await conn.execute(
            "INSERT INTO rm_stage_transitions (innovation_id, position, at, from_stage, "
            "to_stage, actor, organisation_id, innovation_class) "
            "VALUES ($1, $2, $3, $4, $5, 'a', $6, 'INNOVATION')",
            innovation, next(positions), T0 + timedelta(days=days), before, stage, org)
        before = stage


async def insert_decision(conn: asyncpg.Connection, org: UUID, *,
                          decision_id: UUID | None = None, authority: str = "team",
                          required: str = "team", days: int | None = None) -> None:
    await conn.execute(
        "INSERT INTO rm_decisions (decision_id, innovation_id, organisation_id, outcome, "
        "authority, required_authority, escalated, decided_by, decided_role, decided_at, "
        "rationale, evidence, estimated_cost, risk, days_from_evaluation, position) "
        "VALUES ($1, $2, $3, 'ADOPT', $4, $5, $4 <> $5, 'x', 'governance', $6, 'r', '{}', "
        "0, 'LOW', $7, $8)",
        decision_id or uuid4(), uuid4(), org, authority, required, T0, days, next(positions))
