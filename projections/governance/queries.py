"""The decisions register, read from ``rm_decisions``: every adoption decision, newest first, a
page at a time, and how each governance level is used and how long it takes to decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg

from lifecycle.actor import Authority
from projections import visibility
from projections.visibility import Viewer, argument

# The evaluations table, as the workspace reads it (``projections/innovations/records``).
EVALUATIONS = "rm_evaluations"

_COLUMNS = ("decision_id", "innovation_id", "organisation_id", "outcome", "authority",
            "required_authority", "escalated", "decided_by", "decided_role", "decided_at",
            "rationale", "conditions", "evidence", "estimated_cost", "risk",
            "last_evaluated_on", "days_from_evaluation", "position")

# $1..$3: the viewer's organisation (a register is its organisation's own: shared work is
# never in it) and the decision dates (whole UTC days, both ends included).
_PERIOD = f"""
    {visibility.platform_or("$1", visibility.owned("d.organisation_id", "$1"))}
    AND ($2::date IS NULL OR d.decided_at >= $2::date::timestamp AT TIME ZONE 'UTC')
    AND ($3::date IS NULL OR d.decided_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC')
"""

_DECISIONS = f"""
SELECT {", ".join(f"d.{c}" for c in _COLUMNS)} FROM rm_decisions d
WHERE {_PERIOD}
  AND ($4::uuid IS NULL OR d.innovation_id = $4)
  AND ($5::text IS NULL OR d.outcome = $5)
  AND ($6::boolean IS NULL OR d.escalated = $6)
  AND ($7::timestamptz IS NULL OR d.decided_at < $7
       OR (d.decided_at = $7 AND d.decision_id > $8))
  AND ($10::bigint IS NULL OR d.position <= $10)
ORDER BY d.decided_at DESC, d.decision_id
LIMIT $9
"""

_GOVERNANCE = f"""
SELECT a.authority,
       count(*) FILTER (WHERE d.authority = a.authority) AS decided,
       count(*) FILTER (WHERE d.authority = a.authority AND d.escalated) AS escalated,
       count(*) FILTER (WHERE d.required_authority = a.authority) AS required,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d.days_from_evaluation)
           FILTER (WHERE d.authority = a.authority) AS days
FROM unnest($4::text[]) AS a(authority)
LEFT JOIN rm_decisions d
       ON (d.authority = a.authority OR d.required_authority = a.authority) AND {_PERIOD}
GROUP BY a.authority
"""


@dataclass(frozen=True)
class DecisionRow:
    """One adoption decision: what, at which authority (and which it required), by whom, why,
    on what evidence (the evaluations cited), and how long after the latest evaluation."""

    decision_id: UUID
    innovation_id: UUID
    organisation_id: UUID
    outcome: str
    authority: str
    required_authority: str
    escalated: bool
    decided_by: str
    decided_role: str
    decided_at: datetime
    rationale: str
    conditions: str | None
    evidence: tuple[UUID, ...]
    estimated_cost: Decimal
    risk: str
    last_evaluated_on: date | None
    days_from_evaluation: int | None
    position: int

    @property
    def cursor(self) -> tuple[datetime, UUID]:
        """The keyset to pass as ``after`` for the page following this decision."""
        return self.decided_at, self.decision_id


@dataclass(frozen=True)
class AuthorityStats:
    """One governance level: decisions taken at it, how many of those were escalated (taken
    above the level they required), how many required it, and the days from the latest
    evaluation to the decision (decisions with no prior evaluation are left out)."""

    authority: Authority
    decided: int
    escalated: int
    required: int
    median_days_from_evaluation: float | None
    p90_days_from_evaluation: float | None


async def decisions(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                    innovation_id: UUID | None = None, outcome: str | None = None,
                    escalated: bool | None = None, decided_from: date | None = None,
                    decided_to: date | None = None,
                    after: tuple[datetime, UUID] | None = None,
                    first: int = 50, at_most: int | None = None) -> list[DecisionRow]:
    """Up to ``first`` decisions, newest first (ties by id), after the ``after`` cursor (a
    decision's ``cursor``). Dates are whole UTC days, both ends included. ``at_most``: only
    decisions recorded at or before that log position (the register as it then was: a
    decision, once recorded, never changes)."""
    if first < 0:
        raise ValueError("first must not be negative")
    after_at, after_id = after if after is not None else (None, None)
    rows = await conn.fetch(_DECISIONS, argument(organisation_id), decided_from, decided_to,
                            innovation_id, outcome, escalated, after_at, after_id, first, at_most)
    return [DecisionRow(**{**dict(r), "evidence": tuple(r["evidence"])}) for r in rows]


async def governance_summary(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                             decided_from: date | None = None,
                             decided_to: date | None = None) -> list[AuthorityStats]:
    """Every governance level, lowest first (zeros included), for the decisions in scope:
    whether governance is proportionate, and how long each level takes. Percentiles are
    continuous, in whole days as ``rm_decisions.days_from_evaluation`` records them."""
    levels = list(Authority)
    rows = await conn.fetch(_GOVERNANCE, argument(organisation_id), decided_from, decided_to,
                            [a.value for a in levels])
    by_level = {r["authority"]: r for r in rows}
    stats = []
    for level in levels:
        r = by_level[level.value]
        median, p90 = r["days"] or (None, None)
        stats.append(AuthorityStats(level, r["decided"], r["escalated"], r["required"],
                                    median, p90))
    return stats
