"""The improvement read model: per measure and site, its observations classified by statistical
process control, its phases (each a judgement with who and why), its signals and its verdict.

Each signal is stored with the log position of the observation that completed it (the latest of
its points), so live updates can be replayed from a position; the position depends only on the
log, never on how it was batched, so a rebuild gives the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from lifecycle.measure import Measure
from projections import _bulk
from projections.improvement.statistics import MAKING_DATA_COUNT, Analysis, Point, analyse
from projections.log import Recorded
from projections.projection import Projection, Tables

MEASURE_COLUMNS = ("measure_id", "innovation_id", "organisation_id", "site", "name", "unit",
                   "better", "chart", "defined_by", "defined_at", "position")
OBSERVATION_COLUMNS = ("measure_id", "on", "value", "numerator", "denominator", "position")
PHASE_COLUMNS = ("measure_id", "starts_on", "description", "reason", "decided_by",
                 "decided_at", "position")
CHUNK = 400  # measures analysed per round trip
SIGNAL_COLUMNS = ("measure_id", "rule_set", "phase", "rule", "first_on", "last_on", "points",
                  "direction", "position")
POINT_COLUMNS = ("measure_id", "on", "value", "phase", "centre", "lower", "upper",
                 "classification", "rules")


class Improvement(Projection):
    """Observations are stored as they come; each touched measure is analysed once in
    ``settle`` (after every live batch, once per rebuild), from all its stored points."""

    name = "improvement"
    tables = ("rm_measures", "rm_observations", "rm_phases", "rm_points", "rm_signals")

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
            match e:
                case Measure.MeasureDefined():
                    measures.append((e.originator_id, e.innovation_id, e.organisation_id,
                                     e.site, e.name, e.unit, e.better, e.chart, e.actor,
                                     e.timestamp, r.position))
                case Measure.ObservationsRecorded():
                    observations.extend((e.originator_id, o["on"], o["value"],
                                         o["numerator"], o["denominator"], r.position)
                                        for o in e.observations)
                case Measure.PhaseStarted():
                    phases.append((e.originator_id, e.starts_on, e.description, e.reason,
                                   e.actor, e.timestamp, r.position))
                case _:
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
        touched, self._touched = sorted(self._touched), set()
        for start in range(0, len(touched), CHUNK):
            chunk = touched[start:start + CHUNK]
            await self._write(conn, t, chunk, judge(await self._read(conn, t, chunk)))

    async def _read(self, conn: asyncpg.Connection, t: Tables, ids: list[UUID]) -> list[Series]:
        definitions = {row["measure_id"]: row for row in await conn.fetch(
            f'SELECT measure_id, chart, better FROM "{t["rm_measures"]}" '
            "WHERE measure_id = ANY($1)", ids)}
        points: dict[UUID, list[tuple[Any, ...]]] = {i: [] for i in ids}
        for row in await conn.fetch(
                f'SELECT measure_id, "on", value, numerator, denominator, position '
                f'FROM "{t["rm_observations"]}" WHERE measure_id = ANY($1) '
                'ORDER BY measure_id, "on"', ids):
            points[row["measure_id"]].append(tuple(row.values())[1:])
        starts: dict[UUID, list[date]] = {i: [] for i in ids}
        for row in await conn.fetch(
                f'SELECT measure_id, starts_on FROM "{t["rm_phases"]}" '
                "WHERE measure_id = ANY($1) ORDER BY measure_id, starts_on", ids):
            starts[row["measure_id"]].append(row["starts_on"])
        return [(i, definitions[i]["chart"], definitions[i]["better"], points[i], starts[i])
                for i in ids]

    async def _write(self, conn: asyncpg.Connection, t: Tables, ids: list[UUID],
                     judged: Judged) -> None:
        summaries, classified, signals = judged
        await conn.executemany(
            f'UPDATE "{t["rm_measures"]}" SET verdict = $2, points = $3, latest_on = $4, '
            "phases = $5::jsonb, rule_set = $6 WHERE measure_id = $1", summaries)
        await conn.execute(f'DELETE FROM "{t["rm_points"]}" WHERE measure_id = ANY($1)', ids)
        await _bulk.insert(conn, t["rm_points"], POINT_COLUMNS, classified)
        await conn.execute(f'DELETE FROM "{t["rm_signals"]}" WHERE measure_id = ANY($1)', ids)
        await _bulk.insert(conn, t["rm_signals"], SIGNAL_COLUMNS, signals)


Series = tuple[UUID, str, str, list[tuple[Any, ...]], list[date]]
Judged = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def judge(series: list[Series]) -> Judged:
    """Analyse measures into the rows to store. Each row of a series' points is (on, value,
    numerator, denominator, position)."""
    summaries: list[tuple[Any, ...]] = []
    classified: list[tuple[Any, ...]] = []
    signals: list[tuple[Any, ...]] = []
    for ident, chart, better, rows, starts in series:
        analysis = analyse([Point(on, value, numerator, denominator)
                            for on, value, numerator, denominator, _ in rows],
                           chart, better, starts, MAKING_DATA_COUNT)
        position_on = {row[0]: row[4] for row in rows}
        summaries.append((ident, analysis.verdict.value, len(rows),
                          rows[-1][0] if rows else None, _phases_json(analysis),
                          analysis.rule_set.name))
        classified.extend((ident, p.on, p.value, p.phase, p.centre, p.lower, p.upper,
                           p.classification.value, [r.value for r in p.rules])
                          for p in analysis.points)
        signals.extend((ident, s.rule_set, s.phase, s.rule.value, s.points[0], s.points[-1],
                        list(s.points), s.direction.value,
                        max(position_on[d] for d in s.points))
                       for s in analysis.signals)
    return summaries, classified, signals


def _phases_json(analysis: Analysis) -> str:
    return orjson.dumps([{
        "index": p.index, "start": p.start.isoformat(), "points": p.n_points,
        "insufficientData": p.insufficient_data, "limitsFrom": p.limits_from,
        "centre": p.centre, "lower": p.lower, "upper": p.upper,
        "meanMovingRange": p.mean_moving_range,
    } for p in analysis.phases]).decode()
