"""GraphQL types of the board's dashboards, built from the read side's query results."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from lifecycle.actor import Authority
from lifecycle.innovations.stage import Stage
from projections.board import culture as c
from projections.board import pipeline as p
from projections.development import queries as f
from projections.governance import queries as d


@strawberry.type
class StageStats:
    stage: Stage
    count: int = strawberry.field(description="Innovations in the stage now.")
    stays: int = strawberry.field(description="Entries into the stage (a stage can be "
                                  "entered more than once).")
    median_days: float | None
    p90_days: float | None


@strawberry.type
class Conversion:
    from_stage: Stage
    to_stage: Stage
    reached: int
    converted: int = strawberry.field(description="Of those that reached fromStage, how many "
                                      "reached toStage itself.")
    progressed: int = strawberry.field(description="... how many reached toStage or beyond.")
    share: float | None
    progressed_share: float | None


@strawberry.type
class Pipeline:
    stages: list[StageStats]
    conversions: list[Conversion]

    @classmethod
    def of(cls, value: p.Pipeline) -> Pipeline:
        return cls(
            stages=[StageStats(stage=s.stage, count=s.count, stays=s.stays,
                               median_days=s.median_days, p90_days=s.p90_days)
                    for s in value.stages],
            conversions=[Conversion(from_stage=v.from_stage, to_stage=v.to_stage,
                                    reached=v.reached, converted=v.converted,
                                    progressed=v.progressed, share=v.share,
                                    progressed_share=v.progressed_share)
                         for v in value.conversions])


@strawberry.type
class StaffGroupIdeas:
    staff_group: str | None
    ideas: int


@strawberry.type
class Culture:
    by_staff_group: list[StaffGroupIdeas]
    frontline_share: float | None
    triaged: int
    median_days_to_triage: float | None
    p90_days_to_triage: float | None
    awaiting_triage: int

    @classmethod
    def of(cls, value: c.Culture) -> Culture:
        return cls(by_staff_group=[StaffGroupIdeas(staff_group=g.staff_group, ideas=g.ideas)
                                   for g in value.by_staff_group],
                   frontline_share=value.frontline_share, triaged=value.triaged,
                   median_days_to_triage=value.median_days_to_triage,
                   p90_days_to_triage=value.p90_days_to_triage,
                   awaiting_triage=value.awaiting_triage)


@strawberry.type
class FundingTotal:
    key: str
    label: str | None
    amount: Decimal
    awards: int


@strawberry.type
class FundingSummary:
    amount: Decimal
    awards: int
    by_source: list[FundingTotal]

    @classmethod
    def of(cls, value: f.FundingSummary) -> FundingSummary:
        return cls(amount=value.amount, awards=value.awards,
                   by_source=[FundingTotal(key=str(t.key), label=t.label, amount=t.amount,
                                           awards=t.awards) for t in value.by_source])


@strawberry.type(description="One adoption decision in the register.")
class Decision:
    decision_id: strawberry.ID
    innovation_id: strawberry.ID
    outcome: str
    authority: Authority
    required_authority: Authority
    escalated: bool
    decided_by: strawberry.ID
    decided_at: datetime
    rationale: str
    conditions: str | None
    evidence: list[strawberry.ID]
    estimated_cost: Decimal
    risk: str
    last_evaluated_on: date | None
    days_from_evaluation: int | None

    @classmethod
    def of(cls, row: d.DecisionRow) -> Decision:
        return cls(decision_id=strawberry.ID(str(row.decision_id)),
                   innovation_id=strawberry.ID(str(row.innovation_id)), outcome=row.outcome,
                   authority=Authority(row.authority),
                   required_authority=Authority(row.required_authority),
                   escalated=row.escalated, decided_by=strawberry.ID(row.decided_by),
                   decided_at=row.decided_at, rationale=row.rationale,
                   conditions=row.conditions,
                   evidence=[strawberry.ID(str(e)) for e in row.evidence],
                   estimated_cost=row.estimated_cost, risk=row.risk,
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
