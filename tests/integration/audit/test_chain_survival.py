"""The chaining worker survives the database dropping its connections (issue 13: "a lost
connection is retried"): under its supervisor, every session it holds (the lock, the listener,
the work) is terminated by PostgreSQL while it runs and events keep being written; it comes back
by itself, chains everything written before and after, keeps signing checkpoints, and the tree
still verifies."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import anyio
import anyio.to_thread

from lifecycle import commands as c
from lifecycle.actor import CommandContext, Role
from lifecycle.audit import chain, store
from lifecycle.audit.chain import Chainer
from lifecycle.audit.verify import verify
from lifecycle.service.supervisor import Backoff, Supervised, supervise
from lifecycle.store.database import Database
from tests.conftest import member
from tests.integration.audit_world import EVERY, KEY, ORIGIN, chained_log

SESSIONS = (chain.LOCK_SESSION, chain.LISTEN_SESSION, chain.WORK_SESSION)


async def eventually(check: Callable[[], Awaitable[Any]], within: float = 120) -> Any:
    """Bounded wait for ``check()`` to return something truthy (a liveness bound, not a time)."""
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, "it never happened"
        await anyio.sleep(0.05)


async def test_the_chaining_worker_comes_back_after_each_of_its_connections_is_terminated(
        server: Database) -> None:
    async with chained_log(server) as log:
        staff = member(log.world.lead, Role.STAFF)

        async def write(title: str) -> int:
            outcome = await anyio.to_thread.run_sync(
                log.app.execute, c.SubmitIdea(title=title, problem="p", proposal="q"),
                CommandContext(staff))
            return outcome.position

        async def sessions() -> dict[str, int]:
            rows = await log.conn.fetch(
                "SELECT application_name, pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = ANY($1::text[])",
                list(SESSIONS))
            return {r["application_name"]: r["pid"] for r in rows}

        async def chained_to(position: int) -> bool:
            signed = await store.checkpoint(log.conn)
            size, last = await store.size(log.conn)
            return last >= position and signed is not None and signed.tree_size == size

        worker = Chainer(log.db.url, KEY, ORIGIN, every_events=EVERY, every_minutes=0.001,
                         poll_interval=0.05)
        health = Supervised("chain")
        stop = anyio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(partial(supervise, "chain", partial(worker.run, stop),
                                     Backoff(initial=0.01, maximum=0.2), health, stop))
            for session in SESSIONS:
                await eventually(lambda: _all_of(sessions))
                held = (await sessions())[session]
                position = await write(f"before losing the {session}")
                await log.conn.fetchval("SELECT pg_terminate_backend($1)", held)
                written = max(position, await write(f"after losing the {session}"))
                await eventually(partial(_replaced, sessions, session, held))
                await eventually(partial(chained_to, written))
            stop.set()

        assert health.alive
        assert health.state == "stopped"
        assert health.last_error is not None  # it did fail, and came back each time
        report = await verify(log.conn, KEY.verifier())
        assert report.intact, report.findings
        assert report.events == report.chained == log.app.store.head()
        signed = await store.checkpoint(log.conn)
        assert signed is not None
        assert signed.tree_size == report.chained


async def _all_of(sessions: Callable[[], Awaitable[dict[str, int]]]) -> bool:
    return set(await sessions()) == set(SESSIONS)


async def _replaced(sessions: Callable[[], Awaitable[dict[str, int]]], session: str,
                    held: int) -> bool:
    """The worker holds ``session`` again, on another backend than the terminated ``held``."""
    return (await sessions()).get(session) not in (None, held)
