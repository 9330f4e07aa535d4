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
from schema.commands import CommandInput, command_input, mutation
from schema.development.payloads import (
    EvaluationRecorded,
    FundingRecorded,
    PrototypeCompleted,
    PrototypeStarted,
)
from schema.directory.types import Risk

PrototypeOutcome = DomainPrototypeOutcome
EvaluationMethod = DomainEvaluationMethod
Criterion = DomainCriterion
FundingSource = DomainFundingSource


@command_input(commands.StartPrototype)
class StartPrototypeInput(CommandInput):
    title: str
    hypothesis: str
    plan: str
    started_on: date


@command_input(commands.CompletePrototype)
class CompletePrototypeInput(CommandInput):
    prototype_id: strawberry.ID
    outcome: PrototypeOutcome
    result: str
    learning: str
    completed_on: date


@strawberry.input(description="One criterion's score, 0 to 5.")
class ScoreInput:
    criterion: Criterion
    score: int

    def to_domain(self) -> tuple[DomainCriterion, int]:
        return self.criterion, self.score


@command_input(commands.RecordEvaluation)
class RecordEvaluationInput(CommandInput):
    method: EvaluationMethod
    scores: list[ScoreInput] = strawberry.field(description="At least one criterion, each once.")
    evidence: str
    recommendation: str
    estimated_cost: Decimal = strawberry.field(
        description="In pounds, at most two decimal places; with the risk it decides the "
                    "authority an adoption decision needs.")
    risk: Risk
    evaluated_on: date


@command_input(commands.RecordFunding)
class RecordFundingInput(CommandInput):
    source: FundingSource
    funder: str
    amount: Decimal = strawberry.field(description="In pounds, at most two decimal places.")
    starts_on: date
    programme: str | None = None
    ends_on: date | None = None


@strawberry.type
class DevelopmentMutations:
    start_prototype = mutation(
        StartPrototypeInput, PrototypeStarted,
        "Start a prototype to test a hypothesis (innovation leads).")
    complete_prototype = mutation(
        CompletePrototypeInput, PrototypeCompleted,
        "Complete a prototype with its result and learning.")
    record_evaluation = mutation(
        RecordEvaluationInput, EvaluationRecorded,
        "Record an evaluation, after a completed prototype.")
    record_funding = mutation(RecordFundingInput, FundingRecorded,
                              "Record funding for the innovation.")
