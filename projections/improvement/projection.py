"""The improvement read model: per measure and site, its observations classified by statistical
process control, its phases (each a judgement with who and why), its signals and its verdict.

Each signal is stored with the log position of the observation that completed it (the latest of
its points), so live updates can be replayed from a position; the position depends only on the
log, never on how it was batched, so a rebuild gives the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
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
SIGNAL_COLUMNS = ("measure_id", "rule_set", "phase", "rule", "first_on", "last_on", "points",
                  "direction", "position")
CLASSIFIED_COLUMNS = ("measure_id", "on", "phase", "centre", "lower", "upper",
                      "classification", "rules")


class Improvement(Projection):
    name = "improvement"
    tables = ("rm_measures", "rm_observations", "rm_phases", "rm_signals")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        measures: list[tuple[Any, ...]] = []
        observations: list[tuple[Any, ...]] = []
        phases: list[tuple[Any, ...]] = []
        touched: set[UUID] = set()
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
        if not touched:
            return
        await _bulk.insert(conn, t["rm_measures"], MEASURE_COLUMNS, measures)
        await _bulk.insert(conn, t["rm_observations"], OBSERVATION_COLUMNS, observations)
        await _bulk.insert(conn, t["rm_phases"], PHASE_COLUMNS, phases)
        await self._analyse(conn, t, sorted(touched))

    async def _analyse(self, conn: asyncpg.Connection, t: Tables, ids: list[UUID]) -> None:
        definitions = {row["measure_id"]: row for row in await conn.fetch(
            f'SELECT measure_id, chart, better FROM "{t["rm_measures"]}" '
            "WHERE measure_id = ANY($1)", ids)}
        series: dict[UUID, list[Any]] = {i: [] for i in ids}
        for row in await conn.fetch(
                f'SELECT measure_id, "on", value, numerator, denominator, position '
                f'FROM "{t["rm_observations"]}" WHERE measure_id = ANY($1) '
                'ORDER BY measure_id, "on"', ids):
            series[row["measure_id"]].append(row)
        starts: dict[UUID, list[Any]] = {i: [] for i in ids}
        for row in await conn.fetch(
                f'SELECT measure_id, starts_on FROM "{t["rm_phases"]}" '
                "WHERE measure_id = ANY($1) ORDER BY measure_id, starts_on", ids):
            starts[row["measure_id"]].append(row["starts_on"])

        summaries: list[tuple[Any, ...]] = []
        classified: list[tuple[Any, ...]] = []
        signals: list[tuple[Any, ...]] = []
        for ident in ids:
            definition = definitions[ident]
            rows = series[ident]
            analysis = analyse([Point(r["on"], r["value"], r["numerator"], r["denominator"])
                                for r in rows], definition["chart"], definition["better"],
                               starts[ident], MAKING_DATA_COUNT)
            position_on = {r["on"]: r["position"] for r in rows}
            summaries.append((ident, analysis.verdict.value, len(rows),
                              rows[-1]["on"] if rows else None, _phases_json(analysis),
                              analysis.rule_set.name))
            classified.extend((ident, p.on, p.phase, p.centre, p.lower, p.upper,
                               p.classification.value, [r.value for r in p.rules])
                              for p in analysis.points)
            signals.extend((ident, s.rule_set, s.phase, s.rule.value, s.points[0],
                            s.points[-1], list(s.points), s.direction.value,
                            max(position_on[d] for d in s.points))
                           for s in analysis.signals)
        await conn.executemany(
            f'UPDATE "{t["rm_measures"]}" SET verdict = $2, points = $3, latest_on = $4, '
            "phases = $5::jsonb, rule_set = $6 WHERE measure_id = $1", summaries)
        await _bulk.update(conn, t["rm_observations"], CLASSIFIED_COLUMNS,
                           ("measure_id", "on"), classified)
        await conn.execute(f'DELETE FROM "{t["rm_signals"]}" WHERE measure_id = ANY($1)', ids)
        await _bulk.insert(conn, t["rm_signals"], SIGNAL_COLUMNS, signals)


def _phases_json(analysis: Analysis) -> str:
    return orjson.dumps([{
        "index": p.index, "start": p.start.isoformat(), "points": p.n_points,
        "insufficientData": p.insufficient_data, "limitsFrom": p.limits_from,
        "centre": p.centre, "lower": p.lower, "upper": p.upper,
        "meanMovingRange": p.mean_moving_range,
    } for p in analysis.phases]).decode()
