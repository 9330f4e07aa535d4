"""The improvement read model: per measure and site, its rule set and target (with each later
setting of it, who and why), its observations
(with their corrections and withdrawals, each with who and why), its phases (each a judgement
with who and why), and by statistical process control its current variation, the effect of every
change, the assurance of its target, and every signal it ever reported.

Each signal is stored with the log position of the observation that completed it (the latest
recording of its points), so live updates can be replayed from a position; what is reported
depends only on the log, never on how it was batched (``judgement``), so a rebuild gives the
same rows.

How each point is classified is not stored: it is a pure function of the measure's observations
and phases, so the query side (``points_of``) computes it from the same rows with the same
analysis, and a measure's analysis writes a summary row and its few signals, not every point.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import anyio.to_thread
import asyncpg
import orjson

from lifecycle.improvement.measure import Measure
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared
from projections.improvement.judgement import Judged, judge, reported_of
from projections.improvement.series import Series, read_series
from projections.improvement.statistics import Analysis, analyse

MEASURE_COLUMNS = ("measure_id", "innovation_id", "organisation_id", "site", "name", "unit",
                   "better", "chart", "defined_by", "defined_at", "position", "rules", "target")
OBSERVATION_COLUMNS = ("measure_id", "position", "ons", "vals", "numerators", "denominators")
PHASE_COLUMNS = ("measure_id", "starts_on", "description", "reason", "decided_by",
                 "decided_at", "position")
CORRECTION_COLUMNS = ("measure_id", "on", "kind", "value", "numerator", "denominator",
                      "was_value", "was_numerator", "was_denominator", "reason", "decided_by",
                      "decided_at", "position")
TARGET_COLUMNS = ("measure_id", "position", "target", "reason", "decided_by", "decided_at")
# Each table a batch appends to, and its columns, in the order it inserts them.
APPENDED = {"rm_measures": MEASURE_COLUMNS, "rm_observations": OBSERVATION_COLUMNS,
            "rm_phases": PHASE_COLUMNS, "rm_corrections": CORRECTION_COLUMNS,
            "rm_targets": TARGET_COLUMNS}
CHUNK = 400  # measures analysed per round trip
SIGNAL_COLUMNS = ("measure_id", "rule_set", "phase", "rule", "first_on", "last_on", "points",
                  "direction", "position", "evidence", "sign", "limits_from", "rules",
                  "current")


class Improvement(Projection):
    """Observations are stored as they come; each touched measure is analysed in ``settle``
    (after every live batch, once per rebuild), as it stood after each of its new events that
    can add a signal to its history (``judgement.needed``)."""

    name = "improvement"
    tables = ("rm_measures", "rm_observations", "rm_phases", "rm_signals", "rm_corrections",
              "rm_targets")
    ddl = declared(__package__)
    version = 2  # 2: rm_targets
    # The only events it folds, and no other projection does: a rebuild reads just these for
    # it, in a process of its own (see projections.engine.rebuild).
    events = (Measure.MeasureDefined, Measure.ObservationsRecorded, Measure.PhaseStarted,
              Measure.ObservationCorrected, Measure.ObservationWithdrawn, Measure.TargetSet)

    def __init__(self) -> None:
        self._touched: dict[UUID, list[int]] = {}  # each measure's new events' positions

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        rows = _bulk.Appends(APPENDED)
        targets: dict[UUID, float | None] = {}
        touched: dict[UUID, list[int]] = {}
        versions: dict[UUID, int] = {}
        for r in batch:
            e = r.event
            kind = type(e)  # by exact type: most events of a batch are none of these
            if kind is Measure.ObservationsRecorded:
                points = e.observations
                rows.add("rm_observations", (
                    e.originator_id, r.position, [o["on"] for o in points],
                    [o["value"] for o in points], [o["numerator"] for o in points],
                    [o["denominator"] for o in points]))
            elif kind is Measure.MeasureDefined:
                rows.add("rm_measures", (
                    e.originator_id, e.innovation_id, e.organisation_id, e.site, e.name,
                    e.unit, e.better, e.chart, e.actor, e.timestamp, r.position,
                    orjson.dumps(e.rule_set).decode(), e.target))
            elif kind is Measure.PhaseStarted:
                rows.add("rm_phases", (e.originator_id, e.starts_on, e.description, e.reason,
                                       e.actor, e.timestamp, r.position))
            elif kind is Measure.ObservationCorrected or kind is Measure.ObservationWithdrawn:
                now = e.observation if kind is Measure.ObservationCorrected else {
                    "on": e.on, "value": None, "numerator": None, "denominator": None}
                rows.add("rm_observations", (e.originator_id, r.position, [now["on"]],
                                             [now["value"]], [now["numerator"]],
                                             [now["denominator"]]))
                was = e.was
                rows.add("rm_corrections", (
                    e.originator_id, now["on"],
                    "CORRECTED" if kind is Measure.ObservationCorrected else "WITHDRAWN",
                    now["value"], now["numerator"], now["denominator"], was["value"],
                    was["numerator"], was["denominator"], e.reason, e.actor, e.timestamp,
                    r.position))
            elif kind is Measure.TargetSet:
                targets[e.originator_id] = e.target
                rows.add("rm_targets", (e.originator_id, r.position, e.target, e.reason,
                                        e.actor, e.timestamp))
            else:
                continue
            touched.setdefault(e.originator_id, []).append(r.position)
            versions[e.originator_id] = e.originator_version
        if not touched:
            return
        await rows.insert(conn, t)
        if targets:
            await conn.execute(f'UPDATE "{t["rm_measures"]}" AS m SET target = v.target '
                               "FROM unnest($1::uuid[], $2::float8[]) AS v(measure_id, target) "
                               "WHERE m.measure_id = v.measure_id",
                               list(targets), list(targets.values()))
        await conn.execute(f'UPDATE "{t["rm_measures"]}" AS m SET version = v.version '
                           "FROM unnest($1::uuid[], $2::int[]) AS v(measure_id, version) "
                           "WHERE m.measure_id = v.measure_id",
                           list(versions), list(versions.values()))
        for measure, positions in touched.items():
            self._touched.setdefault(measure, []).extend(positions)

    async def settle(self, conn: asyncpg.Connection, t: Tables) -> None:
        analysed_at, self._touched = self._touched, {}
        touched = list(analysed_at)
        if len(touched) > CHUNK:  # a rebuild's: in log order, so each chunk reads one stretch
            touched = [row[0] for row in await conn.fetch(
                f'SELECT measure_id FROM "{t["rm_measures"]}" WHERE measure_id = ANY($1) '
                "ORDER BY position", touched)]
        chunks = [touched[start:start + CHUNK] for start in range(0, len(touched), CHUNK)]
        if not chunks:
            return
        read = await _read(conn, t, chunks[0])
        for k, chunk in enumerate(chunks):
            if k + 1 == len(chunks):
                judged = judge(read[0], analysed_at, read[1])
            else:  # judged in a worker thread while the database reads the next chunk
                judged, read = await asyncio.gather(
                    anyio.to_thread.run_sync(judge, read[0], analysed_at, read[1]),
                    _read(conn, t, chunks[k + 1]))
            await self._write(conn, t, chunk, judged)

    async def _write(self, conn: asyncpg.Connection, t: Tables, ids: list[UUID],
                     judged: Judged) -> None:
        summaries, signals = judged
        if summaries:
            await conn.execute(
                f'UPDATE "{t["rm_measures"]}" AS m SET verdict = s.verdict, points = s.points, '
                "latest_on = s.latest_on, phases = s.phases::jsonb, rule_set = s.rule_set, "
                "effects = s.effects::jsonb, assurance = s.assurance::jsonb "
                "FROM unnest($1::uuid[], $2::text[], $3::int[], $4::date[], $5::text[], "
                "$6::text[], $7::text[], $8::text[]) "
                "AS s(measure_id, verdict, points, latest_on, phases, rule_set, effects, "
                "assurance) WHERE m.measure_id = s.measure_id",
                *map(list, zip(*summaries, strict=True)))
        await conn.execute(f'DELETE FROM "{t["rm_signals"]}" WHERE measure_id = ANY($1)', ids)
        await _bulk.insert(conn, t["rm_signals"], SIGNAL_COLUMNS, signals)


async def _read(conn: asyncpg.Connection, t: Tables, ids: list[UUID],
                ) -> tuple[list[Series], dict[UUID, Any]]:
    """The measures' series, and the signals each reported before."""
    series = await read_series(conn, t, ids)
    rows = await conn.fetch(f'SELECT * FROM "{t["rm_signals"]}" WHERE measure_id = ANY($1) '
                            "ORDER BY measure_id", ids)
    by_measure: dict[UUID, list[Any]] = {}
    for row in rows:
        by_measure.setdefault(row["measure_id"], []).append(row)
    return series, {m: reported_of(found) for m, found in by_measure.items()}


def analysis_of(series: Series) -> Analysis:
    """The measure as it stands, judged by its rule set against its target."""
    state = series.as_of()
    return analyse(state.points, series.chart, series.better, state.starts, series.rules,
                   series.target)
