"""GraphQL types of governance: the decision register and how proportionate it is."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome, Risk
from projections.governance import queries as d


@strawberry.type(description="One adoption decision in the register.")
class Decision:
    decision_id: strawberry.ID
    innovation_id: strawberry.ID
    outcome: DecisionOutcome
    authority: Authority
    required_authority: Authority
    escalated: bool
    decided_by: strawberry.ID
    decided_at: datetime
    rationale: str
    conditions: str | None
    evidence: list[strawberry.ID]
    estimated_cost: Decimal
    risk: Risk
    last_evaluated_on: date | None
    days_from_evaluation: int | None

    @classmethod
    def of(cls, row: d.DecisionRow) -> Decision:
        return cls(decision_id=strawberry.ID(str(row.decision_id)),
                   innovation_id=strawberry.ID(str(row.innovation_id)),
                   outcome=DecisionOutcome(row.outcome),
                   authority=Authority(row.authority),
                   required_authority=Authority(row.required_authority),
                   escalated=row.escalated, decided_by=strawberry.ID(row.decided_by),
                   decided_at=row.decided_at, rationale=row.rationale,
                   conditions=row.conditions,
                   evidence=[strawberry.ID(str(e)) for e in row.evidence],
                   estimated_cost=row.estimated_cost, risk=Risk(row.risk),
                   last_evaluated_on=row.last_evaluated_on,
                   days_from_evaluation=row.days_from_evaluation)


@strawberry.type(description="One governance level: is governance proportionate?")
class AuthorityStats:
    authority: Authority
    decided: int
    escalated: int
    required: int
    median_days_from_evaluation: float | None
    p90_days_from_evaluation: float | None

    @classmethod
    def of(cls, row: d.AuthorityStats) -> AuthorityStats:
        return cls(authority=row.authority, decided=row.decided, escalated=row.escalated,
                   required=row.required,
                   median_days_from_evaluation=row.median_days_from_evaluation,
                   p90_days_from_evaluation=row.p90_days_from_evaluation)
