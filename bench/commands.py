"""Command latency and throughput through the application, beside eventsourcing's own save rate.

Both run in the same process, against the same PostgreSQL, in the same run, so the ratio between
them is what to read (these machines are shared and noisy):

- ceiling: a bare eventsourcing aggregate created and saved with ``Application.save`` (the
  library's recorder, its table lock and its transcoder, nothing of ours);
- lifecycle: ``SubmitIdea`` through ``LifecycleApplication.execute`` (validation, policy, loading
  the organisation, the aggregate, the idempotency record), sequentially and then from concurrent
  async tasks through ``LifecycleService`` (worker threads, capacity limiter).

Run: ``make bench`` (or ``python -m bench.commands --commands 2000``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import uuid4

import anyio
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from bench.command_line import numbers
from bench.results import publish
from lifecycle import commands as c
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.service.service import LifecycleService
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.vocabulary import OrganisationKind
from projections.engine.upgrade import migrate_everything


class Bare(Aggregate):
    """The smallest aggregate the library can store: the ceiling's unit of work."""

    def __init__(self, title: str) -> None:
        self.title = title


class BareApplication(Application[Any]):
    name = "lifecycle"  # the same table, lock and pool as the real application
    env = {"CREATE_TABLE": "no"}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(1000 * ordered[len(ordered) // 2], 3),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
        "mean_ms": round(1000 * statistics.fmean(ordered), 3),
    }


def sequential(n: int, step: Callable[[int], None]) -> dict[str, float]:
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        step(i)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    return {"per_second": round(n / elapsed, 1), **percentiles(latencies)}


def threaded(n: int, workers: int, step: Callable[[int], None]) -> dict[str, float]:
    latencies: list[float] = []

    def timed(i: int) -> None:
        t = time.perf_counter()
        step(i)
        latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(timed, range(n)))
    elapsed = time.perf_counter() - started
    return {"per_second": round(n / elapsed, 1), **percentiles(latencies)}


async def concurrent_service(service: LifecycleService, actor: Actor, n: int,
                             tasks: int) -> dict[str, float]:
    latencies: list[float] = []

    async def worker(offset: int) -> None:
        for i in range(offset, n, tasks):
            t = time.perf_counter()
            await service.execute(c.SubmitIdea(title=f"Idea {i}", problem="p", proposal="q"),
                                  CommandContext(actor))
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        for offset in range(tasks):
            group.start_soon(worker, offset)
    elapsed = time.perf_counter() - started
    return {"per_second": round(n / elapsed, 1), **percentiles(latencies)}


def run(n: int, workers: int) -> dict[str, Any]:
    settings = Settings(data_dir=Path(".data"))
    server = database.resolve(settings)
    db = database.create_database(server, f"lifecycle_bench_{uuid4().hex[:8]}")
    try:
        migrate_everything(db)
        env = db.eventsourcing_env(workers)
        bare = BareApplication(env=env)
        app = LifecycleApplication(env=env)
        admin = Actor("bench-admin", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
        org = app.execute(c.RegisterOrganisation(name="Bench Trust", kind=OrganisationKind.TRUST),
                          CommandContext(admin)).aggregate_id
        staff = Actor("bench-staff", org, frozenset({Role.STAFF}))

        def bare_save(i: int) -> None:
            bare.save(Bare(title=f"Idea {i}"))

        def submit(i: int) -> None:
            app.execute(c.SubmitIdea(title=f"Idea {i}", problem="p", proposal="q"),
                        CommandContext(staff))

        # Warm both paths (connections, prepared statements) before measuring.
        for i in range(50):
            bare_save(i)
            submit(i)
        results: dict[str, Any] = {"commands": n, "workers": workers}
        results["ceiling_sequential"] = sequential(n, bare_save)
        results["lifecycle_sequential"] = sequential(n, submit)
        results["ceiling_threaded"] = threaded(n, workers, bare_save)
        service = LifecycleService(app, workers)
        results["lifecycle_async_service"] = anyio.run(concurrent_service, service, staff, n,
                                                       workers)
        results["ratio_sequential_throughput"] = round(
            results["lifecycle_sequential"]["per_second"]
            / results["ceiling_sequential"]["per_second"], 3)
        results["ratio_concurrent_throughput"] = round(
            results["lifecycle_async_service"]["per_second"]
            / results["ceiling_threaded"]["per_second"], 3)
        bare.close()
        app.close()
        return results
    finally:
        database.drop_database(server, db)


def main() -> None:
    args = numbers(__doc__, commands=2000, workers=8)
    results = run(args.commands, args.workers)
    publish("commands", results)


if __name__ == "__main__":
    main()
