"""Projector workers as real processes: kill -9 at any moment loses nothing and doubles nothing;
a standby takes over when the active worker dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import asyncpg
import pytest

from lifecycle.actor import CommandContext, Role
from lifecycle.commands import CommentOnIdea, EndorseIdea, SubmitIdea
from lifecycle.seed import seed
from lifecycle.store.database import Database
from projections.engine.catalogue import all_projections
from projections.engine.rebuild import rebuild
from tests.conftest import drop_database, fresh_database, make_app, member, new_organisation
from tests.integration.test_projector import snapshot


@pytest.fixture
def fresh(server: Database) -> Iterator[Database]:
    db = fresh_database(server, "lifecycle_workers")
    yield db
    drop_database(server, db)


def worker(db: Database, log_file: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": db.url, "LIFECYCLE_LOG_LEVEL": "INFO"}
    with log_file.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "lifecycle", "project"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


async def head_and_positions(db: Database) -> tuple[int, dict[str, int]]:
    conn = await asyncpg.connect(db.url)
    try:
        head = int(await conn.fetchval("SELECT coalesce(max(notification_id), 0) "
                                       "FROM lifecycle_events"))
        rows = await conn.fetch("SELECT name, position FROM projection_positions")
        return head, {r["name"]: int(r["position"]) for r in rows}
    finally:
        await conn.close()


async def wait_until_caught_up(db: Database, within: float = 120) -> None:
    """Bounded wait for every projection to reach the head (a liveness check, not a timing)."""
    deadline = time.monotonic() + within
    names = {p.name for p in all_projections()}
    while time.monotonic() < deadline:
        head, positions = await head_and_positions(db)
        if names <= positions.keys() and all(positions[n] == head for n in names):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"projections did not catch up: head {head}, {positions}")


async def wait_for_progress(db: Database, since: dict[str, int], within: float = 120) -> None:
    """Bounded wait until some projection has moved past ``since`` (a worker has shown that it
    is working: its imports, connections and lock are behind it)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        _, positions = await head_and_positions(db)
        if any(position > since.get(name, 0) for name, position in positions.items()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no worker made progress within {within} s from {since}")


async def test_projector_killed_repeatedly_while_writing_equals_a_clean_rebuild(
        fresh: Database, tmp_path: Path) -> None:
    app = make_app(fresh)
    enough = threading.Event()

    def write() -> None:  # until the killing is done, so that every worker has work to show
        rounds = 0
        while not enough.is_set() or rounds == 0:
            seed(app, seed=3 + rounds, innovations=15)
            rounds += 1

    writing = threading.Thread(target=write)
    writing.start()
    log_file = tmp_path / "worker.log"
    try:
        # Each worker is killed only once it has moved a position, then at a varied moment
        # after that: mid-batch, between batches, while waiting for events.
        for after_progress in (0.0, 0.02, 0.1, 0.3, 0.05):
            _, before = await head_and_positions(fresh)
            process = worker(fresh, log_file)
            try:
                await wait_for_progress(fresh, before)
                await asyncio.sleep(after_progress)
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
    finally:
        enough.set()
        writing.join()
        app.close()

    final = worker(fresh, log_file)
    try:
        await wait_until_caught_up(fresh)
    finally:
        final.send_signal(signal.SIGTERM)
        final.wait(timeout=30)

    conn = await asyncpg.connect(fresh.url)
    try:
        live = await snapshot(conn)
        await rebuild(fresh.url, all_projections())
        assert await snapshot(conn) == live
    finally:
        await conn.close()


async def wait_for_line(log_file: Path, line: str, within: float = 60) -> None:
    """Bounded wait until a worker's log holds ``line``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        path = anyio.Path(log_file)
        if await path.exists() and line in await path.read_text():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{log_file.name} never said {line!r}")


async def test_standby_takes_over_when_the_active_worker_dies(fresh: Database,
                                                              tmp_path: Path) -> None:
    app = make_app(fresh)
    try:
        org = new_organisation(app)
        staff = member(org, Role.STAFF)
        idea = app.execute(SubmitIdea(title="t", problem="p", proposal="q"),
                           CommandContext(staff)).aggregate_id
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        first = worker(fresh, logs[0])
        await wait_until_caught_up(fresh)
        second = worker(fresh, logs[1])
        await wait_for_line(logs[1], "projector standing by")
        assert "projector active" in logs[0].read_text()
        assert "projector active" not in logs[1].read_text()

        first.send_signal(signal.SIGKILL)
        first.wait()
        app.execute(EndorseIdea(idea), CommandContext(member(org, Role.STAFF)))
        app.execute(CommentOnIdea(idea, text="after the failover"), CommandContext(staff))
        try:
            await wait_until_caught_up(fresh, within=60)
            assert "projector active" in logs[1].read_text()
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        app.close()
