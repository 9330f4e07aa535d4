"""The innovation's development part: prototypes (PDSA cycles), evaluations and funding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import topic
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.governance.authority import Risk
from lifecycle.innovations import stage as stages
from lifecycle.innovations.part import InnovationEvent, InnovationState


class DevelopmentPart(InnovationState):
    class PrototypeStarted(InnovationEvent):
        TOPIC = topic("PrototypeStarted")
        prototype_id: UUID
        title: str
        hypothesis: str
        plan: str
        started_on: date

        def fold(self, agg: InnovationState) -> None:
            agg.prototypes[self.prototype_id] = {"started_on": self.started_on, "done": False}

    class PrototypeCompleted(InnovationEvent):
        TOPIC = topic("PrototypeCompleted")
        prototype_id: UUID
        outcome: str
        result: str
        learning: str
        completed_on: date

        def fold(self, agg: InnovationState) -> None:
            agg.prototypes[self.prototype_id]["done"] = True

    class EvaluationRecorded(InnovationEvent):
        TOPIC = topic("EvaluationRecorded")
        evaluation_id: UUID
        method: str
        scores: dict[str, int]
        evidence: str
        recommendation: str
        estimated_cost: Decimal
        risk: str
        evaluated_on: date

        def fold(self, agg: InnovationState) -> None:
            agg.evaluations[self.evaluation_id] = self.evaluated_on
            agg.latest_evaluation = (self.estimated_cost, Risk(self.risk), self.evaluated_on)

    class FundingRecorded(InnovationEvent):
        TOPIC = topic("FundingRecorded")
        funding_id: UUID
        source: str
        funder: str
        programme: str | None
        amount: Decimal
        starts_on: date
        ends_on: date | None

        def fold(self, agg: InnovationState) -> None:
            agg.funding[self.funding_id] = self.amount

    def start_prototype(self, ctx: CommandContext, *, prototype_id: UUID, title: str,
                        hypothesis: str, plan: str, started_on: date) -> None:
        stages.require("start a prototype", self.stage)
        self._record(self.PrototypeStarted, ctx, prototype_id=prototype_id, title=title,
                     hypothesis=hypothesis, plan=plan, started_on=started_on)

    def complete_prototype(self, ctx: CommandContext, *, prototype_id: UUID, outcome: str,
                           result: str, learning: str, completed_on: date) -> None:
        stages.require("complete a prototype", self.stage)
        prototype = self.prototypes.get(prototype_id)
        if prototype is None:
            raise NotFound("prototype", prototype_id)
        if prototype["done"]:
            raise InvalidState(f"prototype {prototype_id} is already completed")
        if completed_on < prototype["started_on"]:
            raise ValidationFailed("completed_on", "must not be before the prototype started")
        self._record(self.PrototypeCompleted, ctx, prototype_id=prototype_id, outcome=outcome,
                     result=result, learning=learning, completed_on=completed_on)

    def record_evaluation(self, ctx: CommandContext, *, evaluation_id: UUID, method: str,
                          scores: dict[str, int], evidence: str, recommendation: str,
                          estimated_cost: Decimal, risk: Risk, evaluated_on: date) -> None:
        stages.require("record an evaluation", self.stage)
        if not any(p["done"] for p in self.prototypes.values()):
            raise InvalidState("an evaluation needs at least one completed prototype")
        self._record(self.EvaluationRecorded, ctx, evaluation_id=evaluation_id, method=method,
                     scores=dict(scores), evidence=evidence, recommendation=recommendation,
                     estimated_cost=estimated_cost, risk=risk.value, evaluated_on=evaluated_on)

    def record_funding(self, ctx: CommandContext, *, funding_id: UUID, source: str, funder: str,
                       programme: str | None, amount: Decimal, starts_on: date,
                       ends_on: date | None) -> None:
        stages.require("record funding", self.stage)
        self._record(self.FundingRecorded, ctx, funding_id=funding_id, source=source,
                     funder=funder, programme=programme, amount=amount, starts_on=starts_on,
                     ends_on=ends_on)
