"""The innovation's governance part: the authority an adoption decision needs, and the decision."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from lifecycle.actor import Authority, CommandContext
from lifecycle.aggregate import topic
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Thresholds, check_authority
from lifecycle.governance.authority import required_authority as minimum_authority
from lifecycle.innovations import stage as stages
from lifecycle.innovations.part import InnovationEvent, InnovationState


class GovernancePart(InnovationState):
    class AdoptionDecided(InnovationEvent):
        TOPIC = topic("AdoptionDecided")
        decision_id: UUID
        outcome: str
        authority: str
        required_authority: str
        escalated: bool
        rationale: str
        conditions: str | None
        evidence: list[UUID]
        estimated_cost: Decimal
        risk: str

        def fold(self, agg: InnovationState) -> None:
            agg.decisions.append(self.decision_id)

    def required_authority(self, thresholds: Thresholds) -> Authority:
        """The least authority an adoption decision needs, from the latest evaluation."""
        if self.latest_evaluation is None:
            raise InvalidState("an adoption decision needs an evaluation")
        cost, risk, _ = self.latest_evaluation
        return minimum_authority(cost, risk, thresholds)

    def decide_adoption(self, ctx: CommandContext, *, decision_id: UUID,
                        outcome: DecisionOutcome, authority: Authority, rationale: str,
                        conditions: str | None, evidence: tuple[UUID, ...],
                        thresholds: Thresholds) -> None:
        stages.require("decide adoption", self.stage)
        required = self.required_authority(thresholds)
        escalated = check_authority(authority, required)
        unknown = [e for e in evidence if e not in self.evaluations]
        if unknown:
            raise NotFound("evaluation", unknown[0])
        if outcome is DecisionOutcome.ADAPT and not conditions:
            raise ValidationFailed("conditions", "an ADAPT decision must state its adaptations")
        assert self.latest_evaluation is not None
        cost, risk, _ = self.latest_evaluation
        self._record(self.AdoptionDecided, ctx, decision_id=decision_id, outcome=outcome.value,
                     authority=authority.value, required_authority=required.value,
                     escalated=escalated, rationale=rationale, conditions=conditions,
                     evidence=list(evidence or self.evaluations), estimated_cost=cost,
                     risk=risk.value)
