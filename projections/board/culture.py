"""Culture: who contributes ideas, and how fast ideas get an answer.

Read from ``rm_innovations``: each idea's submitter's staff group, when it was submitted and when
it was first triaged (accepted, asked for more information, merged or declined).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from lifecycle.vocabulary import FRONTLINE_STAFF_GROUPS
from projections import visibility
from projections.visibility import Viewer, argument

# $1: the viewer's organisation (its own ideas, never shared ones); $2, $3: the period.
_CULTURE = f"""
WITH scope AS (
    SELECT * FROM rm_innovations i
    WHERE {visibility.platform_or("$1", visibility.owned("i.organisation_id", "$1"))}
      AND ($2::date IS NULL OR i.submitted_at >= $2::date::timestamp AT TIME ZONE 'UTC')
      AND ($3::date IS NULL OR i.submitted_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC')),
groups AS (SELECT staff_group, count(*) AS n FROM scope GROUP BY staff_group)
SELECT (SELECT array_agg(staff_group ORDER BY n DESC, staff_group NULLS LAST) FROM groups)
           AS groups,
       (SELECT array_agg(n ORDER BY n DESC, staff_group NULLS LAST) FROM groups) AS counts,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
           ORDER BY extract(epoch FROM first_triaged_at - submitted_at) / 86400)
           FILTER (WHERE first_triaged_at IS NOT NULL) AS triage_days,
       count(*) FILTER (WHERE first_triaged_at IS NOT NULL) AS triaged,
       count(*) FILTER (WHERE first_triaged_at IS NULL AND stage = 'SUBMITTED') AS awaiting
FROM scope
"""


@dataclass(frozen=True)
class StaffGroupIdeas:
    staff_group: str | None  # None: the submitter's staff group is not recorded
    ideas: int

    @property
    def frontline(self) -> bool:
        return self.staff_group in FRONTLINE_STAFF_GROUPS


@dataclass(frozen=True)
class Culture:
    """Ideas by staff group, the frontline share, and the days ideas wait for first triage.

    An idea whose submitter's staff group is unknown counts as not frontline: the share is a
    floor, never inflated by guesses. ``frontline_share`` is None when there are no ideas.
    """

    by_staff_group: tuple[StaffGroupIdeas, ...]  # most ideas first
    triaged: int
    median_days_to_triage: float | None
    p90_days_to_triage: float | None
    awaiting_triage: int

    @property
    def ideas(self) -> int:
        return sum(g.ideas for g in self.by_staff_group)

    @property
    def frontline_ideas(self) -> int:
        return sum(g.ideas for g in self.by_staff_group if g.frontline)

    @property
    def frontline_share(self) -> float | None:
        return self.frontline_ideas / self.ideas if self.ideas else None


async def culture(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                  submitted_from: date | None = None,
                  submitted_to: date | None = None) -> Culture:
    """Who contributes ideas and how fast they get an answer, for the ideas submitted in the
    period (whole UTC days, both ends included), in one query.

    Days to triage are from submission to the first triage decision, over the ideas triaged
    (continuous percentiles, in fractional days). ``awaiting_triage`` counts ideas never
    triaged and still SUBMITTED; an idea withdrawn or parked before triage is not waiting.
    """
    row = await conn.fetchrow(_CULTURE, argument(organisation_id), submitted_from, submitted_to)
    groups = tuple(StaffGroupIdeas(g, n)
                   for g, n in zip(row["groups"] or (), row["counts"] or (), strict=True))
    median, p90 = row["triage_days"] or (None, None)
    return Culture(groups, row["triaged"], median, p90, row["awaiting"])
