"""GraphQL types of development read back: the funding secured, and an innovation's
development, each built from its read model's row (``projections/development``, and
``projections/governance`` for evaluations): one constructor a type."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
import strawberry

from lifecycle.governance.authority import Risk
from lifecycle.vocabulary import Criterion as DomainCriterion
from lifecycle.vocabulary import EvaluationMethod as DomainEvaluationMethod
from lifecycle.vocabulary import FundingSource as DomainFundingSource
from lifecycle.vocabulary import PrototypeOutcome as DomainPrototypeOutcome
from projections.development import queries as f

PrototypeOutcome = DomainPrototypeOutcome
EvaluationMethod = DomainEvaluationMethod
Criterion = DomainCriterion
FundingSource = DomainFundingSource


@strawberry.type(description="A prototype, one PDSA cycle: the plan as started (hypothesis, "
                             "plan) and, once completed, what was studied and learned. A failed "
                             "prototype's learning is kept like any other.")
class Prototype:
    prototype_id: strawberry.ID
    innovation_id: strawberry.ID
    title: str
    hypothesis: str
    plan: str
    started_on: date
    started_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    outcome: PrototypeOutcome | None = strawberry.field(description="Null until completed.")
    result: str | None
    learning: str | None
    completed_on: date | None
    completed_by: strawberry.ID | None

    @classmethod
    def from_row(cls, row: Any) -> Prototype:
        return cls(
            prototype_id=strawberry.ID(str(row["prototype_id"])),
            innovation_id=strawberry.ID(str(row["innovation_id"])), title=row["title"],
            hypothesis=row["hypothesis"], plan=row["plan"], started_on=row["started_on"],
            started_by=strawberry.ID(row["started_by"]),
            outcome=DomainPrototypeOutcome(row["outcome"]) if row["outcome"] else None,
            result=row["result"], learning=row["learning"], completed_on=row["completed_on"],
            completed_by=strawberry.ID(row["completed_by"]) if row["completed_by"] else None)


@strawberry.type(description="One criterion's score, 0 to 5.")
class Score:
    criterion: Criterion
    score: int


@strawberry.type(description="An evaluation of the innovation: how, the scores, the evidence and "
                             "the recommendation, and the cost and risk that decide the "
                             "authority an adoption decision needs.")
class Evaluation:
    evaluation_id: strawberry.ID
    method: EvaluationMethod
    scores: list[Score]
    evidence: str
    recommendation: str
    estimated_cost: Decimal = strawberry.field(description="In pounds.")
    risk: Risk
    evaluated_on: date
    evaluated_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Evaluation:
        scores: dict[str, int] = orjson.loads(row["scores"])
        return cls(
            evaluation_id=strawberry.ID(str(row["evaluation_id"])),
            method=DomainEvaluationMethod(row["method"]),
            scores=[Score(criterion=DomainCriterion(c), score=s) for c, s in scores.items()],
            evidence=row["evidence"], recommendation=row["recommendation"],
            estimated_cost=row["estimated_cost"], risk=Risk(row["risk"]),
            evaluated_on=row["evaluated_on"], evaluated_by=strawberry.ID(row["evaluated_by"]),
            recorded_at=row["recorded_at"])


@strawberry.type(description="A grant or award for the innovation.")
class FundingAward:
    funding_id: strawberry.ID
    source: FundingSource
    funder: str
    programme: str | None
    amount: Decimal = strawberry.field(description="In pounds.")
    starts_on: date
    ends_on: date | None
    recorded_by: strawberry.ID = strawberry.field(description="An opaque person id.")

    @classmethod
    def from_row(cls, row: Any) -> FundingAward:
        return cls(funding_id=strawberry.ID(str(row["funding_id"])),
                   source=DomainFundingSource(row["source"]), funder=row["funder"],
                   programme=row["programme"], amount=row["amount"],
                   starts_on=row["starts_on"], ends_on=row["ends_on"],
                   recorded_by=strawberry.ID(row["recorded_by"]))


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
