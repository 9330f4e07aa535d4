"""The improvement read model: per measure and site, its observations, its phases (each a
judgement with who and why), its signals and its verdict, by statistical process control.

Each signal is stored with the log position of the observation that completed it (the latest of
its points), so live updates can be replayed from a position; the position depends only on the
log, never on how it was batched, so a rebuild gives the same rows.

How each point is classified is not stored: it is a pure function of the measure's observations
and phases, so the query side (``points_of``) computes it from the same rows with the same
analysis, and a measure's analysis writes a summary row and its few signals, not every point.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple
from uuid import UUID

import anyio.to_thread
import asyncpg
import orjson

from lifecycle.improvement.measure import Measure
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared
from projections.improvement.statistics import (
    MAKING_DATA_COUNT,
    Analysis,
    Phase,
    Point,
    Summary,
    analyse,
    summarise,
)

MEASURE_COLUMNS = ("measure_id", "innovation_id", "organisation_id", "site", "name", "unit",
                   "better", "chart", "defined_by", "defined_at", "position")
OBSERVATION_COLUMNS = ("measure_id", "position", "ons", "vals", "numerators", "denominators")
PHASE_COLUMNS = ("measure_id", "starts_on", "description", "reason", "decided_by",
                 "decided_at", "position")
CHUNK = 400  # measures analysed per round trip
SIGNAL_COLUMNS = ("measure_id", "rule_set", "phase", "rule", "first_on", "last_on", "points",
                  "direction", "position")
RULES = MAKING_DATA_COUNT  # the rule set every measure is judged by, when stored and when read
# Each measure's definition, its phase starts, and its recordings (each a row of parallel arrays
# in date order), a row per recording; measures in log order (so that a rebuild's reads, which
# cover every measure, each touch one stretch of the tables).
SERIES = (
    "SELECT m.measure_id, m.chart, m.better, s.starts, x.position, x.ons, x.vals, "
    'x.numerators, x.denominators FROM "{measures}" m '
    "CROSS JOIN LATERAL (SELECT array_agg(p.starts_on ORDER BY p.starts_on) AS starts "
    'FROM "{phases}" p WHERE p.measure_id = m.measure_id) s '
    'LEFT JOIN "{observations}" x ON x.measure_id = m.measure_id '
    "WHERE m.measure_id = ANY($1) ORDER BY m.position, x.position"
)


class Improvement(Projection):
    """Observations are stored as they come; each touched measure is analysed once in
    ``settle`` (after every live batch, once per rebuild), from all its stored points."""

    name = "improvement"
    tables = ("rm_measures", "rm_observations", "rm_phases", "rm_signals")
    ddl = declared(__package__)
    version = 1
    # The only events it folds, and no other projection does: a rebuild reads just these for
    # it, in a process of its own (see projections.engine.rebuild).
    events = (Measure.MeasureDefined, Measure.ObservationsRecorded, Measure.PhaseStarted)

    def __init__(self) -> None:
        self._touched: set[UUID] = set()

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        measures: list[tuple[Any, ...]] = []
        observations: list[tuple[Any, ...]] = []
        phases: list[tuple[Any, ...]] = []
        touched: set[UUID] = set()
        versions: dict[UUID, int] = {}
        for r in batch:
            e = r.event
            kind = type(e)  # by exact type: most events of a batch are none of these
            if kind is Measure.ObservationsRecorded:
                points = e.observations
                observations.append((e.originator_id, r.position, [o["on"] for o in points],
                                     [o["value"] for o in points],
                                     [o["numerator"] for o in points],
                                     [o["denominator"] for o in points]))
            elif kind is Measure.MeasureDefined:
                measures.append((e.originator_id, e.innovation_id, e.organisation_id, e.site,
                                 e.name, e.unit, e.better, e.chart, e.actor, e.timestamp,
                                 r.position))
            elif kind is Measure.PhaseStarted:
                phases.append((e.originator_id, e.starts_on, e.description, e.reason,
                               e.actor, e.timestamp, r.position))
            else:
                continue
            touched.add(e.originator_id)
            versions[e.originator_id] = e.originator_version
        if not touched:
            return
        await _bulk.insert(conn, t["rm_measures"], MEASURE_COLUMNS, measures)
        await _bulk.insert(conn, t["rm_observations"], OBSERVATION_COLUMNS, observations)
        await _bulk.insert(conn, t["rm_phases"], PHASE_COLUMNS, phases)
        await conn.execute(f'UPDATE "{t["rm_measures"]}" AS m SET version = v.version '
                           "FROM unnest($1::uuid[], $2::int[]) AS v(measure_id, version) "
                           "WHERE m.measure_id = v.measure_id",
                           list(versions), list(versions.values()))
        self._touched |= touched

    async def settle(self, conn: asyncpg.Connection, t: Tables) -> None:
        touched, self._touched = list(self._touched), set()
        if len(touched) > CHUNK:  # a rebuild's: in log order, so each chunk reads one stretch
            touched = [row[0] for row in await conn.fetch(
                f'SELECT measure_id FROM "{t["rm_measures"]}" WHERE measure_id = ANY($1) '
                "ORDER BY position", touched)]
        chunks = [touched[start:start + CHUNK] for start in range(0, len(touched), CHUNK)]
        if not chunks:
            return
        series = await read_series(conn, t, chunks[0])
        for k, chunk in enumerate(chunks):
            if k + 1 == len(chunks):
                judged = judge(series)
            else:  # judged in a worker thread while the database reads the next chunk
                judged, series = await asyncio.gather(
                    anyio.to_thread.run_sync(judge, series),
                    read_series(conn, t, chunks[k + 1]))
            await self._write(conn, t, chunk, judged)

    async def _write(self, conn: asyncpg.Connection, t: Tables, ids: list[UUID],
                     judged: Judged) -> None:
        summaries, signals = judged
        if summaries:
            await conn.execute(
                f'UPDATE "{t["rm_measures"]}" AS m SET verdict = s.verdict, points = s.points, '
                "latest_on = s.latest_on, phases = s.phases::jsonb, rule_set = s.rule_set "
                "FROM unnest($1::uuid[], $2::text[], $3::int[], $4::date[], $5::text[], "
                "$6::text[]) AS s(measure_id, verdict, points, latest_on, phases, rule_set) "
                "WHERE m.measure_id = s.measure_id", *map(list, zip(*summaries, strict=True)))
        await conn.execute(f'DELETE FROM "{t["rm_signals"]}" WHERE measure_id = ANY($1)', ids)
        await _bulk.insert(conn, t["rm_signals"], SIGNAL_COLUMNS, signals)


class Series(NamedTuple):
    """A measure as its analysis needs it: observations in date order, each with the log
    position that recorded it, and the dates its phases start."""

    measure_id: UUID
    chart: str
    better: str
    points: list[Point]
    positions: list[int]
    starts: list[date]


async def read_series(conn: asyncpg.Connection, t: Mapping[str, str],
                      ids: list[UUID]) -> list[Series]:
    """The series of the measures ``ids`` (those that exist), in one query."""
    rows = await conn.fetch(SERIES.format(measures=t["rm_measures"], phases=t["rm_phases"],
                                          observations=t["rm_observations"]), ids)
    return [_series(list(recordings)) for _, recordings in groupby(rows, itemgetter(0))]


def _series(rows: list[asyncpg.Record]) -> Series:
    """A measure's recordings (its rows, in log order) joined into one series in date order."""
    ons: list[date] = []
    values: list[float] = []
    numerators: list[float | None] = []
    denominators: list[float | None] = []
    positions: list[int] = []
    for row in rows:
        if row[4] is None:  # a measure with no recording
            continue
        ons.extend(row[5])
        values.extend(row[6])
        numerators.extend(row[7])
        denominators.extend(row[8])
        positions.extend([row[4]] * len(row[5]))
    points = list(map(Point, ons, values, numerators, denominators))
    if ons != sorted(ons):  # recordings usually follow each other in time; when not, merge
        order = sorted(range(len(points)), key=ons.__getitem__)
        points = [points[i] for i in order]
        positions = [positions[i] for i in order]
    first = rows[0]
    return Series(first[0], first[1], first[2], points, positions, first[3] or [])


def analysis_of(series: Series) -> Analysis:
    return analyse(series.points, series.chart, series.better, series.starts, RULES)


def summary_of(series: Series) -> Summary:
    """What ``analysis_of`` finds but each point's class (what the stored rows need)."""
    return summarise(series.points, series.chart, series.better, series.starts, RULES)


Judged = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def judge(series: list[Series]) -> Judged:
    """Analyse measures into the rows to store: a summary per measure, and its signals."""
    summaries: list[tuple[Any, ...]] = []
    signals: list[tuple[Any, ...]] = []
    for s in series:
        analysis = summary_of(s)
        summaries.append((s.measure_id, analysis.verdict.value, len(s.points),
                          s.points[-1].on if s.points else None, _phases_json(analysis.phases),
                          analysis.rule_set.name))
        if analysis.signals:
            position_on = dict(zip((p.on for p in s.points), s.positions, strict=True))
            signals.extend((s.measure_id, g.rule_set.name, g.phase, g.rule.value, g.points[0],
                            g.points[-1], list(g.points), g.direction.value,
                            max(position_on[d] for d in g.points))
                           for g in analysis.signals)
    return summaries, signals


def _phases_json(phases: Sequence[Phase]) -> str:
    return orjson.dumps([{
        "index": p.index, "start": p.start.isoformat(), "points": p.n_points,
        "insufficientData": p.insufficient_data, "limitsFrom": p.limits_from,
        "centre": p.centre, "lower": p.lower, "upper": p.upper,
        "meanMovingRange": p.mean_moving_range,
    } for p in phases]).decode()
