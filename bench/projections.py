"""Read-side speed, each figure beside a ceiling measured in the same run.

1. Rebuild rate: every projection rebuilt from zero over a log of at least a million events,
   against the ceiling of one read pass of the same log through the same decoder with no folding.
   The log is a seeded data set (``lifecycle seed``: every kind of event) cloned with fresh ids
   until it is large enough, copied straight into ``lifecycle_events``.
2. Freshness: from a command's return to its effect being visible in the innovations read model
   (the projector, a separate ``lifecycle project`` process, NOTIFYs each committed batch),
   against a bare PostgreSQL INSERT -> NOTIFY -> listener round trip.

The ceiling is measured twice: under the rebuild's garbage-collection policy (the ratio's
ceiling, since the policy makes decoding itself cheaper) and with the collector's defaults.

Run: ``python -m bench.projections --events 1000000 --commands 1000``.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import anyio
import asyncpg
import psycopg

from bench.command_line import numbers
from bench.commands import percentiles
from bench.results import publish
from lifecycle import commands as c
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.seed import seed
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.database import Database
from lifecycle.vocabulary import OrganisationKind
from projections.engine.catalogue import all_projections
from projections.engine.log import Log, collected_every
from projections.engine.rebuild import COLLECT_EVERY, rebuild
from projections.engine.upgrade import migrate_everything
from projections.engine.watcher import Watcher

HEX = re.compile(rb'"([0-9a-f]{32})"')


def create(server: Database, label: str) -> Database:
    db = database.create_database(server, f"lifecycle_bench_{label}_{uuid.uuid4().hex[:6]}")
    migrate_everything(db)
    return db


drop = database.drop_database


class Clone:
    """One copy of the seeded world: every id consistently replaced by a new one."""

    def __init__(self, salt: uuid.UUID) -> None:
        self.salt = salt
        self.ids: dict[bytes, bytes] = {}

    def new_id(self, old: bytes) -> bytes:
        new = self.ids.get(old)
        if new is None:
            new = self.ids[old] = uuid.uuid5(self.salt, old.decode()).hex.encode()
        return new

    def rename(self, match: re.Match[bytes]) -> bytes:
        return b'"' + self.new_id(match.group(1)) + b'"'


Row = tuple[uuid.UUID, int, str, bytes]  # a stored event: originator, version, topic, state


def seeded(db: Database) -> list[Row]:
    """Seed ``db`` once (300 innovations); its log's rows, in order."""
    app = LifecycleApplication(env=db.eventsourcing_env(4))
    seed(app, seed=1, innovations=300)
    app.close()
    with psycopg.connect(db.dsn) as conn:
        return conn.execute("SELECT originator_id, originator_version, topic, state "
                            "FROM lifecycle_events ORDER BY notification_id").fetchall()


def append_clones(conn: psycopg.Connection[Any], rows: list[Row], copies: int,
                  kept: frozenset[bytes] = frozenset()) -> None:
    """Append ``copies`` copies of ``rows`` to the log, each with fresh ids but for those in
    ``kept`` (hex ids that every copy shares), and commit."""
    with conn.cursor() as cur, cur.copy(
            "COPY lifecycle_events (originator_id, originator_version, topic, state) "
            "FROM STDIN") as copy:
        for k in range(copies):
            clone = Clone(uuid.UUID(int=k + 1))
            clone.ids.update({ident: ident for ident in kept})
            for originator_id, version, topic, state in rows:
                copy.write_row((uuid.UUID(clone.new_id(originator_id.hex.encode()).decode()),
                                version, topic, HEX.sub(clone.rename, bytes(state))))
    conn.commit()


def build_log(db: Database, events: int) -> int:
    """Seed once, then clone the seeded log with fresh ids until it holds ``events`` events."""
    template = seeded(db)
    with psycopg.connect(db.dsn) as conn:
        append_clones(conn, template, max(0, -(-events // len(template)) - 1))
        total = conn.execute("SELECT count(*) FROM lifecycle_events").fetchone()
    return int(total[0]) if total else 0


async def read_and_decode(url: str, batch: int, policy: bool = True) -> float:
    """The ceiling: every event read once, in batches, and decoded; nothing folded. With
    ``policy``, under the rebuild's garbage-collection policy (the ratio's ceiling: the policy
    makes decoding itself cheaper, so it must not count as the rebuild's gain); without, with
    the collector's defaults (the figure earlier runs reported)."""
    log = Log()
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        position = 0
        paused: AbstractContextManager[Callable[[], None]] = (
            collected_every(COLLECT_EVERY) if policy else nullcontext(lambda: None))
        with paused as collect:
            while rows := await log.rows_after(conn, position, batch):
                collect()
                decoded = await anyio.to_thread.run_sync(log.decode, rows)
                position = decoded[-1].position
        return time.perf_counter() - started
    finally:
        await conn.close()


async def rebuild_all(url: str, batch: int) -> float:
    started = time.perf_counter()
    await rebuild(url, all_projections(), batch_size=batch)
    return time.perf_counter() - started


async def bare_round_trips(url: str, n: int) -> list[float]:
    """The ceiling: INSERT and NOTIFY in one transaction, until a listener hears it."""
    writer = await asyncpg.connect(url)
    listener = await asyncpg.connect(url)
    await writer.execute("CREATE TEMP TABLE ping (n int)")
    heard: asyncio.Queue[float] = asyncio.Queue()
    await listener.add_listener("bench_ping", lambda *_: heard.put_nowait(time.perf_counter()))
    samples = []
    try:
        for i in range(n):
            # Timed from before the insert: on one event loop the listener may be handed the
            # NOTIFY before the writer's COMMIT returns, so timing from the commit reads ~0.
            started = time.perf_counter()
            async with writer.transaction():
                await writer.execute("INSERT INTO ping VALUES ($1)", i)
                await writer.execute("NOTIFY bench_ping")
            samples.append(await heard.get() - started)
    finally:
        await writer.close()
        await listener.close()
    return samples


async def freshness(db: Database, n: int) -> list[float]:
    app = LifecycleApplication(env=db.eventsourcing_env(4))
    admin = Actor("bench-admin", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
    org = app.execute(c.RegisterOrganisation(name="Bench", kind=OrganisationKind.TRUST),
                      CommandContext(admin)).aggregate_id
    staff = Actor("bench-staff", org, frozenset({Role.STAFF}))
    worker = await anyio.open_process([sys.executable, "-m", "lifecycle", "project"],
                                      env={**os.environ, "DATABASE_URL": db.url,
                                           "LIFECYCLE_LOG_LEVEL": "WARNING"},
                                      stdout=None, stderr=None)
    watcher = Watcher(db.url)
    await watcher.start()
    samples = []
    try:
        await watcher.wait("innovations", app.store.head(), within=60)
        for i in range(n):
            outcome = await anyio.to_thread.run_sync(
                app.execute, c.SubmitIdea(title=f"Idea {i}", problem="p", proposal="q"),
                CommandContext(staff))
            returned = time.perf_counter()
            if not await watcher.wait("innovations", outcome.position, within=10):
                raise RuntimeError("the projector did not catch up")
            samples.append(time.perf_counter() - returned)
    finally:
        await watcher.close()
        worker.terminate()
        await worker.wait()
        app.close()
    return samples


def main() -> None:
    args = numbers(__doc__, events=1_000_000, commands=1000, batch=5000)
    server = database.resolve(Settings(data_dir=Path(".data")))
    results: dict[str, Any] = {}

    big = create(server, "rebuild")
    try:
        started = time.perf_counter()
        results["events"] = build_log(big, args.events)
        results["log_built_seconds"] = round(time.perf_counter() - started, 1)
        default_gc = anyio.run(read_and_decode, big.url, args.batch, False)
        ceiling = anyio.run(read_and_decode, big.url, args.batch)
        elapsed = anyio.run(rebuild_all, big.url, args.batch)
        results["ceiling_read_decode_events_per_second"] = round(results["events"] / ceiling)
        results["ceiling_default_gc_events_per_second"] = round(results["events"] / default_gc)
        results["rebuild_all_events_per_second"] = round(results["events"] / elapsed)
        results["rebuild_ratio"] = round(ceiling / elapsed, 3)
        results["rebuild_ratio_to_default_gc_ceiling"] = round(default_gc / elapsed, 3)
    finally:
        drop(server, big)

    small = create(server, "fresh")
    try:
        bare = anyio.run(bare_round_trips, small.url, args.commands)
        fresh = anyio.run(freshness, small, args.commands)
        results["bare_insert_notify_listen"] = percentiles(bare)
        results["command_to_read_model"] = percentiles(fresh)
        results["freshness_p50_multiple"] = round(
            results["command_to_read_model"]["p50_ms"] / results["bare_insert_notify_listen"]
            ["p50_ms"], 2)
        results["freshness_p99_multiple"] = round(
            results["command_to_read_model"]["p99_ms"] / results["bare_insert_notify_listen"]
            ["p99_ms"], 2)
    finally:
        drop(server, small)

    publish("projections", results)


if __name__ == "__main__":
    main()
