"""Rebuilding with a second process: the projections rebuilt apart and the others."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence

import asyncpg
import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.seed import seed
from lifecycle.store.database import Database
from projections.engine.catalogue import all_projections
from projections.engine.log import Log, Recorded
from projections.engine.projection import Tables
from projections.engine.rebuild import Selective, rebuild
from projections.improvement.projection import Improvement
from tests.conftest import drop_database, fresh_database, make_app
from tests.integration.test_projector import catch_up, snapshot


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_rebuild")
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


class Refusing(Improvement):
    """Improvement that cannot fold anything (rebuilt apart, in the second process)."""

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        raise ValueError("refused on purpose")


async def test_no_projection_rebuilt_together_folds_the_events_of_one_rebuilt_apart(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    # The pass of the others skips those events, which is right only if they ignore them.
    seed(fresh_app, seed=3, innovations=12)
    await catch_up(fresh, all_projections())
    apart = tuple(e for p in all_projections() if isinstance(p, Selective) for e in p.events)
    log = Log()
    batch = [r for r in log.decode(await log.rows_after(conn, 0, 100_000))
             if type(r.event) in apart]
    assert batch
    before = await snapshot(conn)
    others = [p for p in all_projections() if not isinstance(p, Selective)]
    for projection in others:
        tx = conn.transaction()
        await tx.start()
        try:
            await projection.apply(conn, batch, Tables(projection.tables))
            await projection.settle(conn, Tables(projection.tables))
            assert await snapshot(conn) == before, projection.name
        finally:
            await tx.rollback()


async def test_a_failure_in_the_second_process_fails_the_rebuild_and_keeps_the_live_tables(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    seed(fresh_app, seed=3, innovations=12)
    await catch_up(fresh, all_projections())
    live = await snapshot(conn)
    projections = [p for p in all_projections() if not isinstance(p, Improvement)]
    with pytest.raises(RuntimeError, match="refused on purpose"):
        await rebuild(fresh.url, [*projections, Refusing()])
    assert await snapshot(conn) == live
    await rebuild(fresh.url, all_projections())  # and a rebuild after it succeeds
    assert await snapshot(conn) == live


async def test_a_projection_rebuilt_alone_reads_only_its_events_and_equals_live(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    seed(fresh_app, seed=3, innovations=12)
    await catch_up(fresh, all_projections())
    live = await snapshot(conn)
    await rebuild(fresh.url, [Improvement()], batch_size=7)
    assert await snapshot(conn) == live
