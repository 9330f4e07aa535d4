"""The read side survives what its database does to it: sessions terminated by an administrator
(the projector's lock and listener, the watcher's listener, pooled connections), a batch the
database rolls back, and an event a newer writer stored that this version cannot decode."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from uuid import uuid4

import anyio
import asyncpg
import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.service import LifecycleService
from lifecycle.service.supervisor import supervise
from lifecycle.store.database import Database
from projections.engine import tracking
from projections.engine.catalogue import all_projections
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.runner import LISTEN_SESSION, LOCK_KEY, Projector
from projections.engine.status import projector_active, read_status, warn_without_projector
from projections.engine.watcher import Watcher
from projections.innovations.projection import Innovations
from schema.reads import PositionNotInLog, ReadModelStopped, Reads
from schema.server.tokens import mint
from tests.conftest import (
    drop_database,
    fresh_database,
    make_app,
    member,
    new_organisation,
    settings_for,
)
from tests.e2e.conftest import serving


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_survival")
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


async def eventually(check: Callable[[], Awaitable[Any]], within: float = 60) -> Any:
    """Bounded wait for ``check()`` to return something truthy (a liveness bound, not a time)."""
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, "it never happened"
        await asyncio.sleep(0.05)


async def lock_holder(conn: asyncpg.Connection) -> int | None:
    pid: int | None = await conn.fetchval(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $1 "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        LOCK_KEY)
    return pid


async def session_of(conn: asyncpg.Connection, name: str) -> int | None:
    """The backend of the session named ``name`` (its application_name)."""
    pid: int | None = await conn.fetchval(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = $1", name)
    return pid


async def terminate(conn: asyncpg.Connection, pid: int) -> None:
    assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)


async def test_in_process_projector_survives_its_lock_session_being_terminated(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection,
        tmp_path: Path) -> None:
    staff = member(new_organisation(fresh_app), Role.STAFF)
    settings = settings_for(fresh, tmp_path)
    token = mint(settings, subject=staff.subject, organisation=staff.organisation,
                 roles=sorted(staff.roles), staff_group=staff.staff_group)

    async def graphql(query: str, **variables: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.post(f"{url}/graphql",
                                       json={"query": query, "variables": variables},
                                       headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    assert fresh.embedded  # so serve runs the projector itself (LIFECYCLE_PROJECTOR=auto)
    with serving(settings, fresh) as url:
        first = await eventually(lambda: lock_holder(conn))
        await terminate(conn, first)

        async def locked_again() -> bool:  # by the projector, back on a new session
            return await lock_holder(conn) not in (None, first)

        await eventually(locked_again)
        written = (await graphql("""mutation { submitIdea(input: {title: "After the lock was lost",
            problem: "p", proposal: "q"}) { ... on IdeaSubmitted { innovation { id } position
            } } }"""))["data"]["submitIdea"]
        read = await graphql(
            "query($id: ID!, $at: String) { innovation(id: $id, consistentWith: $at) "
            "{ title } }", id=written["innovation"]["id"], at=written["position"])
        assert read == {"data": {"innovation": {"title": "After the lock was lost"}}}
        async with httpx.AsyncClient(timeout=60) as client:
            health = (await client.get(f"{url}/healthz")).json()
        assert health["status"] == "ok"
        assert health["workers"]["projector"] == "running"


async def insert_unknown_event(conn: asyncpg.Connection, topic: str) -> int:
    """Store an event the way a newer writer would: a type this version has never heard of."""
    position: int = await conn.fetchval(
        "INSERT INTO lifecycle_events (originator_id, originator_version, topic, state) "
        "VALUES ($1, 1, $2, $3) RETURNING notification_id", uuid4(), topic, b'{"x": 1}')
    return position


async def catch_up(db: Database, projections: Sequence[Projection],
                   projector: Projector | None = None) -> Projector:
    projector = projector or Projector(db.url, projections)
    connection = await asyncpg.connect(db.url)
    try:
        for p in projections:
            projector.positions[p.name] = await tracking.ensure(connection, p.name)
        await projector.catch_up(connection)
    finally:
        await connection.close()
    return projector


async def test_event_this_version_cannot_decode_stops_only_the_read_models_that_may_need_it(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    staff = member(new_organisation(fresh_app), Role.STAFF)
    idea = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                             CommandContext(staff))
    unknown = await insert_unknown_event(conn, "lifecycle/InnovationArchivedByANewerWriter")
    later = fresh_app.execute(c.CommentOnIdea(idea.aggregate_id, text="after it"),
                              CommandContext(staff))

    projector = await catch_up(fresh, all_projections())

    status = {m.name: m for m in (await read_status(conn)).read_models}
    for name in ("innovations", "directory", "spread", "funding", "decisions"):
        assert name in projector.failed
        assert status[name].position == idea.position  # stopped before it, not past it
        error = status[name].error
        assert error is not None
        assert error.startswith(f"stopped at {unknown}: cannot decode "
                                             "lifecycle/InnovationArchivedByANewerWriter")
    # The improvement read model lists the only events it folds: it knows this is not one.
    assert "improvement" not in projector.failed
    assert status["improvement"].position == later.position
    assert status["improvement"].error is None


async def test_consistent_with_a_stopped_read_model_or_a_position_past_the_log_is_refused_at_once(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    # Waiting for a read model that stopped at an event it cannot fold (or for a position no
    # write has reached) cannot succeed: the answer says so, not "retry" after the timeout.
    staff = member(new_organisation(fresh_app), Role.STAFF)
    idea = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                             CommandContext(staff))
    unknown = await insert_unknown_event(conn, "lifecycle/InnovationArchivedByANewerWriter")
    later = fresh_app.execute(c.CommentOnIdea(idea.aggregate_id, text="after it"),
                              CommandContext(staff))
    await catch_up(fresh, all_projections())
    watcher = Watcher(fresh.url)
    await watcher.start()
    # A wait that could only time out would take this long: none of the refusals waits.
    reads = Reads(await asyncpg.create_pool(fresh.url, min_size=1, max_size=2), watcher,
                  wait_seconds=600)
    try:
        for asked in (unknown, later.position):
            with pytest.raises(ReadModelStopped) as stopped:
                await reads.consistent_with("innovations", asked)
            assert stopped.value.extensions == {
                "code": "READ_MODEL_STOPPED", "retryable": False, "readModel": "innovations",
                "position": str(unknown)}
            assert "lifecycle status" in stopped.value.message
        await reads.consistent_with("innovations", idea.position)  # reached before the stop
        await reads.consistent_with("improvement", later.position)  # not stopped
        with pytest.raises(PositionNotInLog) as past:
            await reads.consistent_with("improvement", later.position + 1)
        assert past.value.extensions == {"code": "POSITION_NOT_IN_LOG", "retryable": False,
                                         "head": str(later.position)}
    finally:
        await reads.close()
        await watcher.close()


class RolledBackOnce(Projection):
    """A read model whose first batch the database rolls back (a serialization failure)."""

    name = "rolled_back_once"
    tables = ()

    def __init__(self) -> None:
        self.failures = 0

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        if self.failures == 0:
            self.failures += 1
            await conn.execute("SELECT 1")  # the transaction is under way
            raise asyncpg.SerializationError("could not serialize access")


async def test_a_batch_the_database_rolls_back_is_retried_not_recorded_as_a_fault(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    staff = member(new_organisation(fresh_app), Role.STAFF)
    idea = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                             CommandContext(staff))
    flaky = RolledBackOnce()
    projector = Projector(fresh.url, [Innovations(), flaky])
    with pytest.raises(asyncpg.SerializationError):
        await catch_up(fresh, [Innovations(), flaky], projector)
    assert projector.failed == {}
    assert await conn.fetchval("SELECT count(*) FROM projection_positions "
                               "WHERE error IS NOT NULL") == 0
    await catch_up(fresh, [Innovations(), flaky], projector)  # the supervisor's next attempt
    assert await tracking.positions(conn) == {"innovations": idea.position,
                                              "rolled_back_once": idea.position}


async def test_watcher_listens_again_after_its_backend_is_terminated(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    watcher = Watcher(fresh.url, check_interval=60)  # only a NOTIFY can wake a waiter in time
    await watcher.start()
    try:
        first = watcher.listener_pid
        assert first is not None
        await terminate(conn, first)

        async def listening_again() -> bool:
            return watcher.listener_pid not in (None, first)

        await eventually(listening_again)
        outcome = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                                    CommandContext(member(new_organisation(fresh_app),
                                                          Role.STAFF)))
        waiting = asyncio.create_task(watcher.wait("innovations", outcome.position, within=30))
        await catch_up(fresh, [Innovations()])
        assert await waiting
    finally:
        await watcher.close()


async def test_projector_listens_again_after_its_listener_backend_is_terminated(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    staff = member(new_organisation(fresh_app), Role.STAFF)
    projector = Projector(fresh.url, [Innovations()], poll_interval=60)  # NOTIFY, or nothing
    async with anyio.create_task_group() as group:
        group.start_soon(supervise, "projector", projector.run)
        first = await eventually(lambda: session_of(conn, LISTEN_SESSION))
        await terminate(conn, first)

        async def listening_again() -> int | None:
            pid = await session_of(conn, LISTEN_SESSION)
            return pid if pid not in (None, first) else None

        await eventually(listening_again)
        outcome = fresh_app.execute(c.SubmitIdea(title="t", problem="p", proposal="q"),
                                    CommandContext(staff))

        async def projected() -> bool:
            return await tracking.position(conn, "innovations") >= outcome.position

        await eventually(projected, within=30)
        group.cancel_scope.cancel()


async def test_commands_go_on_after_the_database_drops_every_pooled_connection(
        fresh: Database, fresh_app: LifecycleApplication, conn: asyncpg.Connection) -> None:
    staff = member(new_organisation(fresh_app), Role.STAFF)
    # Eight connections: met one by one, with the pool's backoff between them, dead ones used
    # to outlast a command's whole wait for a connection.
    service = await anyio.to_thread.run_sync(LifecycleService.connect, fresh, 8)
    try:
        command = c.SubmitIdea(title="t", problem="p", proposal="q")
        await service.execute(command, CommandContext(staff))

        async def warm() -> bool:
            return service.app.store.datastore.pool.get_stats()["pool_size"] == 8

        await eventually(warm)
        fresh_app.close()  # only the service's connections are left on this database
        dropped = await conn.fetch("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid()")
        assert dropped
        outcome = await service.execute(command, CommandContext(staff))
        assert outcome.position > 0
    finally:
        service.close()


async def test_serve_warns_while_no_projector_is_active_and_says_when_one_is(
        fresh: Database, conn: asyncpg.Connection, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="projections.engine.status")
    pool = await asyncpg.create_pool(fresh.url, min_size=1, max_size=2)
    projector = Projector(fresh.url, all_projections())
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(warn_without_projector, pool, 0.01)

            async def warned(text: str) -> bool:
                return text in caplog.text

            await eventually(lambda: warned("no projector is active on this database"))
            assert not await projector_active(conn)
            group.start_soon(projector.run)
            await eventually(lambda: warned("a projector is active on this database again"))
            assert await projector_active(conn)
            status = await read_status(conn)
            assert status.projector_active
            assert {m.name for m in status.read_models} == {p.name for p in all_projections()}
            group.cancel_scope.cancel()
    finally:
        await pool.close()
