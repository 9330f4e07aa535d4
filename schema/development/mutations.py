"""Mutations that develop an innovation: prototypes, evaluation and funding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import Criterion as DomainCriterion
from lifecycle.vocabulary import EvaluationMethod as DomainEvaluationMethod
from lifecycle.vocabulary import FundingSource as DomainFundingSource
from lifecycle.vocabulary import PrototypeOutcome as DomainPrototypeOutcome
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.development.payloads import (
    CompletePrototypePayload,
    EvaluationRecorded,
    FundingRecorded,
    PrototypeCompleted,
    PrototypeStarted,
    RecordEvaluationPayload,
    RecordFundingPayload,
    StartPrototypePayload,
)
from schema.directory.types import Risk
from schema.ids import required_id
from schema.innovations.payloads import target

PrototypeOutcome = DomainPrototypeOutcome
EvaluationMethod = DomainEvaluationMethod
Criterion = DomainCriterion
FundingSource = DomainFundingSource
Info = strawberry.Info[Context, None]


@strawberry.input
class StartPrototypeInput:
    innovation_id: strawberry.ID
    title: str
    hypothesis: str
    plan: str
    started_on: date
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class CompletePrototypeInput:
    innovation_id: strawberry.ID
    prototype_id: strawberry.ID
    outcome: PrototypeOutcome
    result: str
    learning: str
    completed_on: date
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input(description="One criterion's score, 0 to 5.")
class ScoreInput:
    criterion: Criterion
    score: int


@strawberry.input
class RecordEvaluationInput:
    innovation_id: strawberry.ID
    method: EvaluationMethod
    scores: list[ScoreInput] = strawberry.field(description="At least one criterion, each once.")
    evidence: str
    recommendation: str
    estimated_cost: Decimal = strawberry.field(
        description="In pounds, at most two decimal places; with the risk it decides the "
                    "authority an adoption decision needs.")
    risk: Risk
    evaluated_on: date
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class RecordFundingInput:
    innovation_id: strawberry.ID
    source: FundingSource
    funder: str
    amount: Decimal = strawberry.field(description="In pounds, at most two decimal places.")
    starts_on: date
    programme: str | None = None
    ends_on: date | None = None
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class DevelopmentMutations:
    @strawberry.mutation(description="Start a prototype to test a hypothesis (innovation leads).")
    async def start_prototype(self, info: Info,
                              input: StartPrototypeInput) -> StartPrototypePayload:
        return await carry_out(info.context, input, lambda: commands.StartPrototype(
            target(input), title=input.title, hypothesis=input.hypothesis, plan=input.plan,
            started_on=input.started_on), PrototypeStarted.of)

    @strawberry.mutation(description="Complete a prototype with its result and learning.")
    async def complete_prototype(self, info: Info, input: CompletePrototypeInput
                                 ) -> CompletePrototypePayload:
        return await carry_out(info.context, input, lambda: commands.CompletePrototype(
            target(input), prototype_id=required_id("prototypeId", input.prototype_id),
            outcome=input.outcome, result=input.result, learning=input.learning,
            completed_on=input.completed_on), PrototypeCompleted.of)

    @strawberry.mutation(description="Record an evaluation, after a completed prototype.")
    async def record_evaluation(self, info: Info, input: RecordEvaluationInput
                                ) -> RecordEvaluationPayload:
        return await carry_out(info.context, input, lambda: commands.RecordEvaluation(
            target(input), method=input.method,
            scores=tuple((s.criterion, s.score) for s in input.scores), evidence=input.evidence,
            recommendation=input.recommendation, estimated_cost=input.estimated_cost,
            risk=input.risk, evaluated_on=input.evaluated_on), EvaluationRecorded.of)

    @strawberry.mutation(description="Record funding for the innovation.")
    async def record_funding(self, info: Info, input: RecordFundingInput) -> RecordFundingPayload:
        return await carry_out(info.context, input, lambda: commands.RecordFunding(
            target(input), source=input.source, funder=input.funder, amount=input.amount,
            starts_on=input.starts_on, programme=input.programme, ends_on=input.ends_on),
            FundingRecorded.of)
