"""The decisions register, with the evaluations that are its evidence.

Every adoption decision: outcome, the authority it was taken at and the authority it required,
whether it was escalated, who decided, the rationale and conditions, the evaluations cited, and
the days from the latest evaluation to the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson

from lifecycle.innovations.innovation import Innovation as I
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.shape import declared

EVALUATION_COLUMNS = ("evaluation_id", "innovation_id", "organisation_id", "method", "scores",
                      "evidence", "recommendation", "estimated_cost", "risk", "evaluated_on",
                      "evaluated_by", "recorded_at", "position")
DECISION_COLUMNS = ("decision_id", "innovation_id", "organisation_id", "outcome", "authority",
                    "required_authority", "escalated", "decided_by", "decided_role",
                    "decided_at", "rationale", "conditions", "evidence", "estimated_cost",
                    "risk", "last_evaluated_on", "days_from_evaluation", "position")


class Decisions(Projection):
    name = "decisions"
    tables = ("rm_evaluations", "rm_decisions")
    ddl = declared(__package__)
    version = 1

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        evaluations: list[tuple[Any, ...]] = []
        decisions = [r for r in batch if isinstance(r.event, I.AdoptionDecided)]
        for r in batch:
            e = r.event
            if isinstance(e, I.EvaluationRecorded):
                evaluations.append((
                    e.evaluation_id, e.originator_id, e.actor_organisation, e.method,
                    orjson.dumps(e.scores).decode(), e.evidence, e.recommendation,
                    e.estimated_cost, e.risk, e.evaluated_on, e.actor, e.timestamp,
                    r.position))
        await _bulk.insert(conn, t["rm_evaluations"], EVALUATION_COLUMNS, evaluations)
        if not decisions:
            return
        # The latest evaluation *before* each decision in the log: never one recorded after it,
        # even when both are in this batch, so the answer does not depend on batch boundaries.
        stored = await conn.fetch(
            "SELECT d.position, max(e.evaluated_on) AS last "
            "FROM unnest($1::uuid[], $2::bigint[]) AS d(innovation_id, position) "
            f'LEFT JOIN "{t["rm_evaluations"]}" e ON e.innovation_id = d.innovation_id '
            "AND e.position < d.position GROUP BY d.position",
            [r.originator_id for r in decisions], [r.position for r in decisions])
        last_before = {row["position"]: row["last"] for row in stored}
        rows = []
        for r in decisions:
            e = r.event
            last = last_before.get(r.position)
            days = (e.timestamp.date() - last).days if last else None
            rows.append((e.decision_id, e.originator_id, e.actor_organisation, e.outcome,
                         e.authority, e.required_authority, e.escalated, e.actor, e.actor_role,
                         e.timestamp, e.rationale, e.conditions, list(e.evidence),
                         e.estimated_cost, e.risk, last, days, r.position))
        await _bulk.insert(conn, t["rm_decisions"], DECISION_COLUMNS, rows)
