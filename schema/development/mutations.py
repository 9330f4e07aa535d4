"""Mutations that develop an innovation: prototypes, evaluation and funding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import Criterion, EvaluationMethod, FundingSource, PrototypeOutcome
from schema.commands import CommandInput, command_input, mutations
from schema.directory.types import Risk
from schema.innovations.payloads import InnovationChange


@command_input(commands.StartPrototype,
               InnovationChange.fact("PrototypeStarted",
                                     "A prototype was started (the innovation is PROTOTYPING).",
                                     created="prototype_id"),
               "Start a prototype to test a hypothesis (innovation leads).")
class StartPrototypeInput(CommandInput):
    title: str
    hypothesis: str
    plan: str
    started_on: date


@command_input(commands.CompletePrototype,
               InnovationChange.fact("PrototypeCompleted",
                                     "A prototype was completed with its result and learning.",
                                     created="prototype_id"),
               "Complete a prototype with its result and learning.")
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

    def to_domain(self) -> tuple[Criterion, int]:
        return self.criterion, self.score


@command_input(commands.RecordEvaluation,
               InnovationChange.fact("EvaluationRecorded",
                                     "An evaluation was recorded (the innovation is EVALUATING).",
                                     created="evaluation_id"),
               "Record an evaluation, after a completed prototype.")
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


@command_input(commands.RecordFunding,
               InnovationChange.fact("FundingRecorded", "Funding was recorded.",
                                     created="funding_id"),
               "Record funding for the innovation.")
class RecordFundingInput(CommandInput):
    source: FundingSource
    funder: str
    amount: Decimal = strawberry.field(description="In pounds, at most two decimal places.")
    starts_on: date
    programme: str | None = None
    ends_on: date | None = None


@mutations(StartPrototypeInput, CompletePrototypeInput, RecordEvaluationInput, RecordFundingInput)
class DevelopmentMutations:
    """The mutations declared with the inputs above, in the order listed."""
