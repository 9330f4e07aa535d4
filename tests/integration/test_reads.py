"""Read-your-writes waits for every read model a query reads, not only the first (a real read
pool: before waiting, ``Reads.consistent_with`` asks PostgreSQL for the log's head and each read
model's state; the watcher's positions are set by hand, no projector runs)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from projections.engine.watcher import Watcher
from schema.reads import NotYetConsistent, Reads
from tests.conftest import new_organisation


@pytest.fixture
async def reads(db: Database, app: LifecycleApplication) -> AsyncIterator[Reads]:
    new_organisation(app)  # the log holds an event, so the position read below is in it
    opened = await Reads.open(db.url, Watcher(db.url), 2)
    yield opened
    await opened.close()


async def head(reads: Reads) -> int:
    async with reads.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT max(notification_id) FROM lifecycle_events"))


async def test_a_read_of_several_read_models_waits_until_the_last_has_the_position(
        reads: Reads) -> None:
    reads.wait_seconds = 60
    position = await head(reads)
    reads.watcher._advance("innovations", position)
    waiting = asyncio.ensure_future(reads.consistent_with(("innovations", "directory"),
                                                          position))

    async def directory_waited_for() -> None:
        while True:  # until the read has got as far as waiting for the directory
            if reads.watcher._waiters["directory"] or waiting.done():
                return
            await asyncio.sleep(0.01)

    await asyncio.wait_for(directory_waited_for(), 60)
    assert not waiting.done()  # the directory is still behind

    reads.watcher._advance("directory", position + 2)

    await asyncio.wait_for(waiting, 60)


async def test_a_read_model_behind_is_named_when_it_does_not_get_there(reads: Reads) -> None:
    reads.wait_seconds = 0
    position = await head(reads)
    reads.watcher._advance("innovations", position)
    with pytest.raises(NotYetConsistent, match="the directory read model"):
        await reads.consistent_with(("innovations", "directory"), position)


async def test_no_position_waits_for_nothing(reads: Reads) -> None:
    reads.wait_seconds = 0
    await reads.consistent_with(("innovations", "directory"), None)
