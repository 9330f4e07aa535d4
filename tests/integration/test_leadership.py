"""One active worker of a kind per database (``lifecycle.store.leadership``), on a real
PostgreSQL: the projector, webhook delivery and the chaining worker all stand by, take over and
give up their locks through it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import asyncpg
import pytest

from lifecycle.service.supervisor import Backoff, supervise
from lifecycle.store.database import Database
from lifecycle.store.leadership import EVENTS_CHANNEL, Held, Leadership, LostLock, rounds
from lifecycle.store.sessions import LostConnection
from tests.integration.test_survival import eventually, session_of, terminate

KEY = 7_399_999  # the tests' own key: no worker of the product takes it
QUICK = Backoff(initial=0.01, maximum=0.05, jitter=0.01, settled=60)


@pytest.fixture
async def conn(db: Database) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(db.url)
    yield connection
    await connection.close()


async def holder(conn: asyncpg.Connection) -> int | None:
    """The backend holding ``KEY`` in this database, if any."""
    pid: int | None = await conn.fetchval(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $1 "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", KEY)
    return pid


@dataclass
class Worker:
    """A worker that, once active, confirms its lock until asked to stop; what its one attempt
    ended with is kept."""

    leadership: Leadership
    stop: anyio.Event = field(default_factory=anyio.Event)
    worked: int = 0
    ended: BaseException | None = None
    returned: anyio.Event = field(default_factory=anyio.Event)

    @property
    def session(self) -> str:
        return self.leadership.session

    async def work(self, held: Held) -> None:
        self.worked += 1
        while not self.stop.is_set():
            await held.confirm()
            with anyio.move_on_after(0.05):
                await self.stop.wait()

    async def attempt(self) -> None:
        try:
            await self.leadership.run(self.stop, self.work)
        except Exception as exc:
            self.ended = exc
        finally:
            self.returned.set()


def worker(db: Database, name: str, poll_interval: float = 1.0) -> Worker:
    # Not shorter: a lock's round trip is bounded by five polls, and on a loaded machine a live
    # session must not look lost.
    return Worker(Leadership(db.url, KEY, name, session=f"lifecycle test {name}",
                             poll_interval=poll_interval))


async def true(check: Callable[[], bool]) -> None:
    async def asked() -> bool:
        return check()
    await eventually(asked)


async def test_one_is_active_the_other_stands_by_and_takes_over_once_the_lock_is_given_up(
        db: Database, conn: asyncpg.Connection, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lifecycle.store.leadership")
    first, second = worker(db, "first"), worker(db, "second")
    async with anyio.create_task_group() as group:
        group.start_soon(first.attempt)
        await true(lambda: first.leadership.active)
        group.start_soon(second.attempt)
        await true(lambda: "second standing by: another one is active" in caplog.text)
        assert await holder(conn) == await session_of(conn, first.session)
        assert not second.leadership.active
        assert second.worked == 0

        first.stop.set()  # it returns, and its session gives the lock up
        await first.returned.wait()
        assert first.ended is None
        assert not first.leadership.active
        await true(lambda: second.leadership.active)
        assert await holder(conn) == await session_of(conn, second.session)
        second.stop.set()
    assert (first.worked, second.worked) == (1, 1)
    assert await holder(conn) is None


async def test_a_standby_takes_over_when_the_active_ones_session_is_terminated(
        db: Database, conn: asyncpg.Connection) -> None:
    first, second = worker(db, "first"), worker(db, "second")
    async with anyio.create_task_group() as group:
        group.start_soon(first.attempt)
        await true(lambda: first.leadership.active)
        group.start_soon(second.attempt)
        pid = await session_of(conn, first.session)
        assert pid is not None
        await terminate(conn, pid)
        await first.returned.wait()
        assert isinstance(first.ended, LostLock)  # it stops working: it holds nothing now
        await true(lambda: second.leadership.active)
        second.stop.set()
    assert second.ended is None


async def test_a_terminated_lock_session_is_replaced_under_supervision(
        db: Database, conn: asyncpg.Connection) -> None:
    only = worker(db, "only")
    async with anyio.create_task_group() as group:
        group.start_soon(supervise, "only", lambda: only.leadership.run(only.stop, only.work),
                         QUICK, None, only.stop)
        first = await eventually(lambda: holder(conn))
        await terminate(conn, first)

        async def held_again() -> bool:
            return await holder(conn) not in (None, first)

        await eventually(held_again)
        await true(lambda: only.worked == 2)
        only.stop.set()


async def rounds_until(db: Database, on_step: Callable[[], Awaitable[None]],
                       stop: anyio.Event) -> BaseException | None:
    """Follow the log with rounds as an active worker does (one poll an hour: only a NOTIFY or
    a lost session can wake it) until ``stop``; what the attempt ended with."""
    leadership = Leadership(db.url, KEY, "follower", session="lifecycle test follower",
                            poll_interval=3600)

    async def work(held: Held) -> None:
        async with rounds(held, db.url, "lifecycle test listener", stop) as steps:
            async for _ in steps:
                await on_step()

    try:
        await leadership.run(stop, work)
    except Exception as exc:
        return exc
    return None


async def test_rounds_come_at_once_then_on_each_append_notice(
        db: Database, conn: asyncpg.Connection) -> None:
    stop, steps = anyio.Event(), 0
    ended: list[BaseException | None] = []

    async def step() -> None:
        nonlocal steps
        steps += 1

    async def follow() -> None:
        ended.append(await rounds_until(db, step, stop))

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        await true(lambda: steps == 1)
        await eventually(lambda: session_of(conn, "lifecycle test listener"))
        await conn.execute(f"NOTIFY {EVENTS_CHANNEL}")
        await true(lambda: steps == 2)
        stop.set()
        await conn.execute(f"NOTIFY {EVENTS_CHANNEL}")  # the round in progress ends the rounds
    assert ended == [None]


@pytest.mark.parametrize(("lost", "raised"), [("lifecycle test follower", LostLock),
                                               ("lifecycle test listener", LostConnection)])
async def test_rounds_end_at_once_when_the_lock_or_the_listener_session_is_lost(
        db: Database, conn: asyncpg.Connection, lost: str, raised: type[Exception]) -> None:
    stop, stepped = anyio.Event(), anyio.Event()
    ended: list[BaseException | None] = []

    async def step() -> None:
        stepped.set()

    async def follow() -> None:
        ended.append(await rounds_until(db, step, stop))

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        await stepped.wait()  # active, and listening: both sessions are in use
        await terminate(conn, await eventually(lambda: session_of(conn, lost)))
        await true(lambda: bool(ended))
    assert isinstance(ended[0], raised)
