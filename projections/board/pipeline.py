"""The pipeline a board asks about: how many innovations are in each stage, how long they stay
there, and how many move on, cut by organisation, site, challenge, staff group and class.

Read from ``rm_innovations`` (the current stage and the dimensions) and ``rm_stage_transitions``
(every change of stage). Filters apply to each innovation's dimensions as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from uuid import UUID

import asyncpg

from lifecycle.innovations.stage import PROGRESSION, Stage
from projections import visibility
from projections.visibility import Viewer, argument

# The innovations in scope; $1..$7 are the filters in the order of ``pipeline``'s arguments,
# $1 the viewer's organisation (a pipeline counts its own innovations, never shared ones).
# Dates are whole UTC days, both ends included.
_SCOPE = f"""
    SELECT i.* FROM rm_innovations i
    WHERE {visibility.platform_or("$1", visibility.owned("i.organisation_id", "$1"))}
      AND ($2::text IS NULL OR i.site = $2)
      AND ($3::uuid IS NULL OR i.challenge_id = $3)
      AND ($4::text IS NULL OR i.staff_group = $4)
      AND ($5::text IS NULL OR i.innovation_class = $5)
      AND ($6::date IS NULL OR i.submitted_at >= $6::date::timestamp AT TIME ZONE 'UTC')
      AND ($7::date IS NULL OR i.submitted_at < ($7::date + 1)::timestamp AT TIME ZONE 'UTC')
"""

_PIPELINE = f"""
WITH scope AS ({_SCOPE}),
moves AS (
    SELECT t.innovation_id, t.to_stage, t.at,
           lead(t.at) OVER (PARTITION BY t.innovation_id ORDER BY t.position) AS left_at
    FROM rm_stage_transitions t JOIN scope s ON s.id = t.innovation_id),
stays AS (
    SELECT to_stage AS stage,
           extract(epoch FROM coalesce(left_at, coalesce($8::timestamptz, now())) - at)
               / 86400 AS days
    FROM moves WHERE to_stage IS NOT NULL AND to_stage <> 'CLOSED'),
reached AS (SELECT DISTINCT innovation_id, to_stage AS stage FROM moves)
SELECT s.stage,
       (SELECT count(*) FROM scope WHERE scope.stage = s.stage) AS now,
       (SELECT count(*) FROM stays WHERE stays.stage = s.stage) AS stays,
       (SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY days)
        FROM stays WHERE stays.stage = s.stage) AS days,
       (SELECT count(*) FROM reached r WHERE r.stage = s.stage) AS reached,
       (SELECT count(*) FROM reached r JOIN reached n USING (innovation_id)
        WHERE r.stage = s.stage AND n.stage = s.next) AS converted,
       (SELECT count(DISTINCT innovation_id) FROM reached r JOIN reached n USING (innovation_id)
        WHERE r.stage = s.stage
          AND array_position($11::text[], n.stage) > array_position($11::text[], s.stage))
           AS progressed
FROM unnest($9::text[], $10::text[]) AS s(stage, next)
"""


@dataclass(frozen=True)
class StageStats:
    """One stage: innovations in it now, and the days its stays have lasted.

    ``stays`` counts every entry into the stage (an innovation parked and reopened, or sent
    back to prototyping, stays more than once); a stay still open counts its days so far.
    """

    stage: Stage
    count: int
    stays: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Conversion:
    """Of the innovations that ever reached ``from_stage``, how many ever reached ``to_stage``
    (``converted``), and how many ever reached it or any later stage of the progression
    (``progressed``: an innovation embedded straight from ADOPTED progressed from ADOPTED
    without converting to SPREADING)."""

    from_stage: Stage
    to_stage: Stage
    reached: int
    converted: int
    progressed: int

    @property
    def share(self) -> float | None:
        return self.converted / self.reached if self.reached else None

    @property
    def progressed_share(self) -> float | None:
        return self.progressed / self.reached if self.reached else None


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[StageStats, ...]  # all nine, in the order of ``Stage``
    conversions: tuple[Conversion, ...]  # SUBMITTED→CONCEPT … SPREADING→EMBEDDED

    def counts(self) -> dict[Stage, int]:
        return {s.stage: s.count for s in self.stages}

    def stage(self, stage: Stage) -> StageStats:
        return next(s for s in self.stages if s.stage is stage)



async def pipeline(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                   site: str | None = None, challenge_id: UUID | None = None,
                   staff_group: str | None = None, innovation_class: str | None = None,
                   submitted_from: date | None = None, submitted_to: date | None = None,
                   now: datetime | None = None) -> Pipeline:
    """Counts per stage, days per stage and conversion between stages, in one query.

    Days in a stage are measured per stay, from entering the stage to leaving it; a stay not
    yet left is counted "so far", up to ``now`` (default: the database's clock), so a stage
    where work is stuck shows it rather than hiding it until the work moves. CLOSED is
    terminal, so its stays are not measured (its median and p90 are None). Percentiles are
    continuous (interpolated, as ``percentile_cont``), in fractional days.

    Conversion counts an innovation as converted only if it ever reached exactly the next
    stage: one embedded straight from ADOPTED (never SPREADING) does not convert ADOPTED to
    SPREADING, and is not among those that reached SPREADING; ``Conversion.progressed``
    counts it as moving on.
    """
    following = dict(pairwise(PROGRESSION))
    rows = await conn.fetch(
        _PIPELINE, argument(organisation_id), site, challenge_id, staff_group, innovation_class,
        submitted_from, submitted_to, now, [s.value for s in Stage],
        [following[s].value if s in following else None for s in Stage],
        [s.value for s in PROGRESSION])
    by_stage = {Stage(r["stage"]): r for r in rows}
    stats = []
    for s in Stage:
        r = by_stage[s]
        median, p90 = r["days"] or (None, None)
        stats.append(StageStats(s, r["now"], r["stays"], median, p90))
    conversions = tuple(Conversion(a, b, by_stage[a]["reached"], by_stage[a]["converted"],
                                   by_stage[a]["progressed"]) for a, b in following.items())
    return Pipeline(tuple(stats), conversions)

