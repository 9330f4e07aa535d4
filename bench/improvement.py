"""Rebuilding the improvement read model: how long each measure's analysis takes.

A seeded data set (``seed(app, seed=7, innovations=60)``: measures of 52 weekly points recorded a
quarter at a time, then the change's phase) is rebuilt with the improvement projection alone;
the figure is the rebuild's wall time over the number of measures (a fixed cost, the rebuild's
second process and its read of the log, included), beside the time of analysing each measure
once as it stands, and the analyses a rebuild makes (``judgement.needed``) of the measures'
events.

Run: ``python -m bench.improvement`` (an embedded PostgreSQL under ``.data``).
"""

from __future__ import annotations

import time
from pathlib import Path
from uuid import UUID

import anyio
import asyncpg

from bench.command_line import numbers
from bench.projections import create, drop
from bench.results import publish
from lifecycle.application import LifecycleApplication
from lifecycle.seed import seed
from lifecycle.service.settings import Settings
from lifecycle.store import database
from projections.engine.rebuild import rebuild
from projections.improvement.judgement import needed
from projections.improvement.projection import Improvement, analysis_of
from projections.improvement.series import read_series


async def rebuild_seconds(url: str) -> float:
    started = time.perf_counter()
    await rebuild(url, [Improvement()])
    return time.perf_counter() - started


async def once_seconds(url: str) -> tuple[int, float, int, int]:
    """Each measure read and analysed once as it stands: (measures, seconds analysing, the
    measures' events, the analyses a rebuild makes of them)."""
    conn = await asyncpg.connect(url)
    try:
        ids = [r[0] for r in await conn.fetch("SELECT measure_id FROM rm_measures")]
        tables = {t: t for t in Improvement.tables}
        series = await read_series(conn, tables, ids)
        events: dict[UUID, list[int]] = {}
        for measure, position in await conn.fetch(EVENTS):
            events.setdefault(measure, []).append(position)
    finally:
        await conn.close()
    started = time.perf_counter()
    for s in series:
        analysis_of(s)
    elapsed = time.perf_counter() - started
    analyses = sum(len(needed(s, events.get(s.measure_id, []))) for s in series)
    return len(series), elapsed, sum(map(len, events.values())), analyses


# Each measure's events' positions (a target set leaves a row in rm_targets), in log order.
EVENTS = ("SELECT measure_id, position FROM rm_measures UNION ALL SELECT measure_id, position "
          "FROM rm_observations UNION ALL SELECT measure_id, position FROM rm_phases "
          "UNION ALL SELECT measure_id, position FROM rm_targets ORDER BY 2")


def main() -> None:
    args = numbers(__doc__, innovations=60, rounds=3)
    server = database.resolve(Settings(data_dir=Path(".data")))
    db = create(server, "improvement")
    try:
        app = LifecycleApplication(env=db.eventsourcing_env(4))
        try:
            seed(app, seed=7, innovations=args.innovations)
        finally:
            app.close()
        rebuilt = min(anyio.run(rebuild_seconds, db.url) for _ in range(args.rounds))
        measures, once, events, analyses = min(
            (anyio.run(once_seconds, db.url) for _ in range(args.rounds)), key=lambda r: r[1])
    finally:
        drop(server, db)
    results = {"measures": measures,
               "rebuild_ms_per_measure": round(rebuilt * 1000 / measures, 2),
               "analysed_once_ms_per_measure": round(once * 1000 / measures, 2),
               "events_per_measure": round(events / measures, 2),
               "analyses_per_measure": round(analyses / measures, 2)}
    publish("improvement", results)


if __name__ == "__main__":
    main()
