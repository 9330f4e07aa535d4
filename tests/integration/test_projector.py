"""The projector against real PostgreSQL: exactly once, faults, rebuild, read-your-writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import asyncpg
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.innovations.innovation import Innovation
from lifecycle.seed import seed
from lifecycle.store.database import Database
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.rebuild import rebuild
from projections.engine.runner import Projector
from projections.engine.watcher import Watcher
from projections.innovations.projection import Innovations
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_projector")
    yield db
    drop_database(server, db)


@pytest.fixture
def fresh_app(fresh: Database) -> Iterator[LifecycleApplication]:
    app = make_app(fresh)
    yield app
    app.close()


@pytest.fixture
async def conn(fresh: Database) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(fresh.url)
    yield connection
    await connection.close()


async def catch_up(db: Database, projections: Sequence[Projection]) -> Projector:
    projector = Projector(db.url, projections)
    connection = await asyncpg.connect(db.url)
    try:
        for p in projections:
            projector.positions[p.name] = await tracking.ensure(connection, p.name)
        await projector.catch_up(connection)
    finally:
        await connection.close()
    return projector


async def snapshot(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, in a stable order (the columns as values, sorted)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for projection in all_projections():
        for table in projection.tables:
            rows = await conn.fetch(f'SELECT * FROM "{table}"')
            tables[table] = sorted(tuple(map(str, row.values())) for row in rows)
    return tables


async def test_rebuild_equals_live_for_every_read_model_on_seeded_data(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    seed(fresh_app, seed=7, innovations=45)
    live_projector = await catch_up(fresh, all_projections())
    head = await conn.fetchval("SELECT max(notification_id) FROM lifecycle_events")
    assert all(p == head for p in live_projector.positions.values())
    live = await snapshot(conn)
    assert all(live[t] for t in ("rm_innovations", "rm_stage_transitions",
                                 "rm_innovation_shares", "rm_adoptions",
                                 "rm_decisions", "rm_evaluations", "rm_funding",
                                 "rm_organisations", "rm_challenges", "rm_measures",
                                 "rm_observations", "rm_phases", "rm_signals",
                                 "rm_comments", "rm_endorsements", "rm_involvement",
                                 "rm_owner_history", "rm_judgements", "rm_prototypes",
                                 "rm_revisions"))
    indexes = await conn.fetch("SELECT indexname, indexdef FROM pg_indexes "
                               "WHERE tablename LIKE 'rm_%' ORDER BY indexname")
    await rebuild(fresh.url, all_projections(), batch_size=97)
    assert await snapshot(conn) == live
    await rebuild(fresh.url, all_projections())  # a second rebuild finds the names it needs
    assert await snapshot(conn) == live
    assert await conn.fetch("SELECT indexname, indexdef FROM pg_indexes "
                            "WHERE tablename LIKE 'rm_%' ORDER BY indexname") == indexes
    positions = await tracking.positions(conn)
    assert all(positions[p.name] == head for p in all_projections())


async def test_projection_counts_match_the_aggregates(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    summary = seed(fresh_app, seed=11, innovations=36)
    await catch_up(fresh, all_projections())
    by_stage = {row["stage"]: row["n"] for row in await conn.fetch(
        "SELECT stage, count(*) AS n FROM rm_innovations GROUP BY stage")}
    assert by_stage == summary.by_stage
    escalated = await conn.fetchval(
        "SELECT count(*) FROM rm_decisions WHERE escalated AND authority <> required_authority")
    assert escalated == await conn.fetchval("SELECT count(*) FROM rm_decisions WHERE escalated")


class Poisoned(Projection):
    """A read model with a bug: it cannot fold a comment that says 'poison'."""

    name = "poisoned"
    tables = ()
    fixed = False

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        for r in batch:
            if isinstance(r.event, Innovation.CommentAdded) and r.event.text == "poison" \
                    and not self.fixed:
                raise ValueError("cannot fold this comment")


async def test_event_that_cannot_be_folded_stops_only_that_projection_at_its_position(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection,
        caplog: pytest.LogCaptureFixture) -> None:
    org = new_organisation(fresh_app)
    staff = member(org, Role.STAFF)
    idea = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                             CommandContext(staff)).aggregate_id
    before = fresh_app.execute(c.CommentOnIdea(idea, text="fine"), CommandContext(staff))
    bad = fresh_app.execute(c.CommentOnIdea(idea, text="poison"), CommandContext(staff))
    after = fresh_app.execute(c.CommentOnIdea(idea, text="also fine"), CommandContext(staff))

    poisoned = Poisoned()
    projector = await catch_up(fresh, [Innovations(), poisoned])

    assert projector.positions["innovations"] == after.position
    assert projector.positions["poisoned"] == before.position  # stopped before, not past it
    assert "poisoned" in projector.failed
    assert f"projection poisoned stopped at position {bad.position}" in caplog.text
    assert "cannot fold this comment" in caplog.text
    row = await conn.fetchrow("SELECT position, error, error_position FROM "
                              "projection_positions WHERE name = 'poisoned'")
    assert row is not None
    assert (row["position"], row["error_position"]) == (before.position, bad.position)
    assert "cannot fold this comment" in row["error"]
    assert await conn.fetchval("SELECT comments FROM rm_innovations WHERE id = $1", idea) == 3

    poisoned.fixed = True  # the fix is deployed: a restarted projector resumes there
    resumed = await catch_up(fresh, [Innovations(), poisoned])
    assert resumed.positions["poisoned"] == after.position
    assert await conn.fetchval("SELECT error FROM projection_positions "
                               "WHERE name = 'poisoned'") is None


async def test_fenced_batch_is_not_applied_twice(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    org = new_organisation(fresh_app)
    fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                      CommandContext(member(org, Role.STAFF)))
    first = await catch_up(fresh, [Innovations()])
    stale = Projector(fresh.url, [Innovations()])
    stale.positions["innovations"] = 0  # believes it is still at the start (lost its lock)
    await stale.catch_up(conn)
    assert await conn.fetchval("SELECT count(*) FROM rm_stage_transitions") == 1
    assert await tracking.position(conn, "innovations") == first.positions["innovations"]


async def test_waiter_is_woken_when_the_projection_reaches_the_position(
        fresh: Database, fresh_app: LifecycleApplication) -> None:
    org = new_organisation(fresh_app)
    outcome = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                                CommandContext(member(org, Role.STAFF)))
    watcher = Watcher(fresh.url, check_interval=60)  # only a NOTIFY can wake it in time
    await watcher.start()
    try:
        waiting = asyncio.create_task(watcher.wait("innovations", outcome.position, within=30))
        await asyncio.sleep(0)
        assert not waiting.done()
        await catch_up(fresh, [Innovations()])
        assert await waiting
    finally:
        await watcher.close()


async def test_waiter_gives_up_after_its_time_when_nothing_arrives(fresh: Database) -> None:
    watcher = Watcher(fresh.url)
    await watcher.start()
    try:
        assert await watcher.wait("innovations", 10**9, within=0.05) is False
    finally:
        await watcher.close()


async def test_lost_wake_up_is_covered_by_the_periodic_check(
        fresh: Database, conn: asyncpg.Connection) -> None:
    watcher = Watcher(fresh.url, check_interval=0.05)
    await watcher.start()
    try:
        await tracking.ensure(conn, "innovations")
        # Moved without a NOTIFY, as if the listener had been disconnected when it was sent.
        await conn.execute("UPDATE projection_positions SET position = 42 "
                           "WHERE name = 'innovations'")
        assert await watcher.wait("innovations", 42, within=30)
    finally:
        await watcher.close()
