"""A measure's series as its analysis needs it, read from the improvement read model: its rule
set and target, every recording, correction and withdrawal of its observations in log order, and
its phase starts, each with the log position that made it, so that the series can be taken as it
stood at any position (``Series.as_of``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple
from uuid import UUID

import asyncpg
import orjson

from projections.improvement.statistics import MAKING_DATA_COUNT, Point, RuleSet

# Each measure's definition, its phase starts (with their positions), and its recordings (each a
# row of parallel arrays, a NULL value withdrawing its date), a row per recording in log order;
# measures in log order (so that a rebuild's reads, which cover every measure, each touch one
# stretch of the tables).
SERIES = (
    "SELECT m.measure_id, m.chart, m.better, m.rules, m.target, s.starts, s.positions, "
    "x.position, x.ons, x.vals, x.numerators, x.denominators "
    'FROM "{measures}" m CROSS JOIN LATERAL (SELECT '
    "array_agg(p.starts_on ORDER BY p.starts_on) AS starts, "
    "array_agg(p.position ORDER BY p.starts_on) AS positions "
    'FROM "{phases}" p WHERE p.measure_id = m.measure_id) s '
    'LEFT JOIN "{observations}" x ON x.measure_id = m.measure_id '
    "WHERE m.measure_id = ANY($1) ORDER BY m.position, x.position"
)


class Recording(NamedTuple):
    """One row of ``rm_observations``: the points an event recorded, corrected (one point) or
    withdrew (one point with a None value)."""

    position: int
    ons: list[date]
    values: list[float | None]
    numerators: list[float | None]
    denominators: list[float | None]


class AsOf(NamedTuple):
    """A series as it stood at a position: its points in date order, the position that last
    recorded each, and its phase starts."""

    points: list[Point]
    positions: list[int]
    starts: list[date]


class Series(NamedTuple):
    measure_id: UUID
    chart: str
    better: str
    rules: RuleSet
    target: float | None
    recordings: list[Recording]
    phases: list[tuple[date, int]]  # (starts on, position), by start

    def as_of(self, position: int | None = None) -> AsOf:
        """The series as the events up to ``position`` (None: all of them) left it: for each
        date, the latest recording or correction, unless a withdrawal came after it."""
        latest: dict[date, tuple[Point, int]] = {}
        for r in self.recordings:
            if position is not None and r.position > position:
                break  # recordings are in log order
            for on, value, numerator, denominator in zip(r.ons, r.values, r.numerators,
                                                         r.denominators, strict=True):
                if value is None:
                    latest.pop(on, None)
                else:
                    latest[on] = (Point(on, value, numerator, denominator), r.position)
        ordered = sorted(latest.items())
        return AsOf([p for _, (p, _) in ordered], [at for _, (_, at) in ordered],
                    [on for on, at in self.phases if position is None or at <= position])


async def read_series(conn: asyncpg.Connection, t: Mapping[str, str],
                      ids: list[UUID]) -> list[Series]:
    """The series of the measures ``ids`` (those that exist), in one query."""
    rows = await conn.fetch(SERIES.format(measures=t["rm_measures"], phases=t["rm_phases"],
                                          observations=t["rm_observations"]), ids)
    return [_series(list(recordings)) for _, recordings in groupby(rows, itemgetter(0))]


def _series(rows: list[asyncpg.Record]) -> Series:
    first = rows[0]
    recordings = [Recording(r[7], r[8], r[9], r[10], r[11]) for r in rows if r[7] is not None]
    rules = RuleSet.from_description(orjson.loads(first[3])) if first[3] else MAKING_DATA_COUNT
    return Series(first[0], first[1], first[2], rules, first[4], recordings,
                  list(zip(first[5] or [], first[6] or [], strict=True)))
