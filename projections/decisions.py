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

from lifecycle.innovation import Innovation as I
from projections import _bulk
from projections.log import Recorded
from projections.projection import Projection, Tables

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

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        evaluations: list[tuple[Any, ...]] = []
        latest: dict[Any, Any] = {}  # innovation -> latest evaluated_on seen in this batch
        decisions = [r for r in batch if isinstance(r.event, I.AdoptionDecided)]
        for r in batch:
            e = r.event
            if isinstance(e, I.EvaluationRecorded):
                evaluations.append((
                    e.evaluation_id, e.originator_id, e.actor_organisation, e.method,
                    orjson.dumps(e.scores).decode(), e.evidence, e.recommendation,
                    e.estimated_cost, e.risk, e.evaluated_on, e.actor, e.timestamp,
                    r.position))
                latest[e.originator_id] = max(latest.get(e.originator_id, e.evaluated_on),
                                              e.evaluated_on)
        await _bulk.insert(conn, t["rm_evaluations"], EVALUATION_COLUMNS, evaluations)
        if not decisions:
            return
        stored = await conn.fetch(
            f'SELECT innovation_id, max(evaluated_on) AS last FROM "{t["rm_evaluations"]}" '
            "WHERE innovation_id = ANY($1) GROUP BY innovation_id",
            list({r.originator_id for r in decisions}))
        last_by_innovation = {row["innovation_id"]: row["last"] for row in stored}
        rows = []
        for r in decisions:
            e = r.event
            last = last_by_innovation.get(e.originator_id)
            days = (e.timestamp.date() - last).days if last else None
            rows.append((e.decision_id, e.originator_id, e.actor_organisation, e.outcome,
                         e.authority, e.required_authority, e.escalated, e.actor, e.actor_role,
                         e.timestamp, e.rationale, e.conditions, list(e.evidence),
                         e.estimated_cost, e.risk, last, days, r.position))
        await _bulk.insert(conn, t["rm_decisions"], DECISION_COLUMNS, rows)
