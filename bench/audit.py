"""The audit's speed, each figure a ratio to its baseline measured in the same run (these
machines are shared and noisy):

- as of: an innovation with 1,000 events folded as of the time of its 500th, p50, against
  loading its current state from the event store (``repository.get``), p50;
- tree appends: the chaining worker catching up on the whole log, leaves per second, against
  ``bench.commands``' concurrent write rate (``SubmitIdea`` through the async service);
- verification: ``lifecycle audit verify`` over the whole log, events per second, against one
  raw read pass of the same rows through the same driver;
- inclusion proof for a random event against the latest checkpoint: p50 and size (hashes);
- pymerkle 7.0.0 holding the same leaves in memory: append rate and proof p50, to say whether
  it could be the stored tree.

The log is filled with ``--events`` synthetic events inserted in SQL (a million by default:
commands at the write rate would take too long), plus the commands' own.

Run: ``python -m bench.audit --events 1000000``.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import anyio
import asyncpg

from bench.command_line import numbers
from bench.commands import concurrent_service, percentiles
from bench.results import publish
from lifecycle import commands as c
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.audit import store, tree
from lifecycle.audit.as_of import recall
from lifecycle.audit.chain import Chainer
from lifecycle.audit.checkpoint import SigningKey
from lifecycle.audit.verify import BATCH, EVENTS_IN_ORDER, verify
from lifecycle.innovations.innovation import Innovation
from lifecycle.service.service import LifecycleService
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.sessions import close, connect
from lifecycle.vocabulary import OrganisationKind
from projections.engine.upgrade import migrate_everything

KEY = SigningKey.generate("bench")
SYNTHETIC = """
INSERT INTO lifecycle_events (originator_id, originator_version, topic, state)
SELECT gen_random_uuid(), 1, 'lifecycle/BenchEvent',
       convert_to('{"n":' || n || ',"text":"' || repeat('x', 300) || '"}', 'UTF8')
FROM generate_series(1, $1) AS n
"""


def timed(samples: int, work: Any) -> list[float]:
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        work()
        out.append(time.perf_counter() - started)
    return out


def long_innovation(app: LifecycleApplication, staff: Actor, events: int) -> Any:
    """An innovation with ``events`` events (a submission and comments), saved in batches."""
    ctx = CommandContext(staff)
    ident = app.execute(c.SubmitIdea(title="Long", problem="p", proposal="q"), ctx).aggregate_id
    agg: Innovation = app.repository.get(ident)
    while agg.version < events:
        for _ in range(min(100, events - agg.version)):
            agg.comment(ctx, comment_id=uuid4(), text="a comment")
        app.save(agg)
    return ident


async def raw_read(dsn: str) -> float:
    conn = await connect(dsn)
    try:
        started = time.perf_counter()
        rows = 0
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            cursor = await conn.cursor(EVENTS_IN_ORDER)
            while batch := await cursor.fetch(BATCH):
                rows += len(batch)
        return rows / (time.perf_counter() - started)
    finally:
        await close(conn)


async def chained(dsn: str, head: int) -> float:
    """Leaves per second while the worker chains the whole log from nothing."""
    worker = Chainer(dsn, KEY, "bench/audit", every_events=min(10_000, head), every_minutes=60,
                     poll_interval=0.2)
    stop = anyio.Event()
    conn = await connect(dsn)
    try:
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            group.start_soon(worker.run, stop)
            while (await store.size(conn))[1] < head:  # noqa: ASYNC110 (polls the database)
                await asyncio.sleep(0.2)
            elapsed = time.perf_counter() - started
            stop.set()
        return (await store.size(conn))[0] / elapsed
    finally:
        await close(conn)


async def proofs(dsn: str, samples: int) -> dict[str, Any]:
    conn = await connect(dsn)
    try:
        _size, _ = await store.size(conn)
        latest = await store.checkpoint(conn)
        assert latest is not None
        positions = [r[0] for r in await conn.fetch(
            "SELECT position FROM audit_leaves WHERE leaf_index = ANY($1)",
            random.sample(range(latest.tree_size), samples))]
        latencies, hashes = [], []
        for position in positions:
            started = time.perf_counter()
            proof = await store.inclusion(conn, position)
            latencies.append(time.perf_counter() - started)
            hashes.append(len(proof.inclusion_path))
        return {"tree_size": latest.tree_size, **percentiles(latencies),
                "path_hashes_median": sorted(hashes)[len(hashes) // 2],
                "path_bytes_median": 32 * sorted(hashes)[len(hashes) // 2]}
    finally:
        await close(conn)


async def verification(dsn: str) -> dict[str, Any]:
    conn = await connect(dsn)
    try:
        started = time.perf_counter()
        report = await verify(conn, KEY.verifier(), dsn=dsn)
        elapsed = time.perf_counter() - started
        return {"intact": report.intact, "events": report.events,
                "per_second": round(report.events / elapsed, 1)}
    finally:
        await close(conn)


def pymerkle_tree(leaves: int) -> dict[str, Any]:
    from pymerkle import InmemoryTree

    other = InmemoryTree(algorithm="sha256")
    started = time.perf_counter()
    for n in range(leaves):
        other.append_entry(n.to_bytes(8, "big") * 10)
    appends = leaves / (time.perf_counter() - started)
    latencies = timed(50, lambda: other.prove_inclusion(random.randrange(1, leaves + 1)))
    return {"leaves": leaves, "appends_per_second": round(appends, 1), **percentiles(latencies)}


def run(events: int, commands: int, workers: int) -> dict[str, Any]:
    settings = Settings(data_dir=Path(".data"))
    server = database.resolve(settings)
    db = database.create_database(server, f"lifecycle_bench_audit_{uuid4().hex[:8]}")
    results: dict[str, Any] = {"synthetic_events": events}
    try:
        migrate_everything(db)
        app = LifecycleApplication(env=db.eventsourcing_env(workers))
        admin = Actor("bench-admin", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
        org = app.execute(c.RegisterOrganisation(name="Bench Trust", kind=OrganisationKind.TRUST),
                          CommandContext(admin)).aggregate_id
        staff = Actor("bench-staff", org, frozenset({Role.STAFF}))
        # The write rate, as bench.commands measures it (concurrent, through the service).
        results["writes"] = anyio.run(concurrent_service, LifecycleService(app, workers), staff,
                                      commands, workers)
        # As of, against loading the current state, on an innovation of 1,000 events.
        ident = long_innovation(app, staff, 1000)
        with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT recorded_at FROM lifecycle_events WHERE originator_id = %s "
                         "AND originator_version = 500", (ident,))
            row = curs.fetchone()
            assert row is not None
            moment = row["recorded_at"] + timedelta(microseconds=0)
        current = timed(30, lambda: app.repository.get(ident))
        past = timed(30, lambda: recall(app, ident, moment))
        assert isinstance(recall(app, ident, moment).aggregate, Innovation)
        results["as_of_500_of_1000_events"] = percentiles(past)
        results["current_state_1000_events"] = percentiles(current)
        results["ratio_as_of_to_current_p50"] = round(
            results["as_of_500_of_1000_events"]["p50_ms"]
            / results["current_state_1000_events"]["p50_ms"], 3)
        app.close()

        async def fill() -> int:
            conn = await asyncpg.connect(db.url)
            try:
                await conn.execute(SYNTHETIC, events)
                await conn.execute("ANALYZE lifecycle_events")
                head: int = await conn.fetchval("SELECT max(notification_id) FROM "
                                                "lifecycle_events")
                return head
            finally:
                await conn.close()

        started = time.perf_counter()
        head = anyio.run(fill)
        results["fill_seconds"] = round(time.perf_counter() - started, 1)
        results["tree_appends_per_second"] = round(anyio.run(chained, db.url, head), 1)
        results["ratio_tree_appends_to_writes"] = round(
            results["tree_appends_per_second"] / results["writes"]["per_second"], 2)
        results["raw_read_per_second"] = round(anyio.run(raw_read, db.url), 1)
        results["verify"] = anyio.run(verification, db.url)
        results["ratio_verify_to_raw_read"] = round(
            results["verify"]["per_second"] / results["raw_read_per_second"], 3)
        results["inclusion_proof"] = anyio.run(proofs, db.url, 200)
        results["pymerkle_in_memory"] = pymerkle_tree(min(events, 1_000_000))
        results["log2_tree_size"] = round(
            results["inclusion_proof"]["tree_size"].bit_length() - 1 + 0.0, 1)
        assert tree.HASH_SIZE == 32
        return results
    finally:
        database.drop_database(server, db)


def main() -> None:
    args = numbers(__doc__, events=1_000_000, commands=2000, workers=8)
    results = run(args.events, args.commands, args.workers)
    publish("audit", results)


if __name__ == "__main__":
    main()
