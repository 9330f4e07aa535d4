"""The commands that develop an innovation: prototypes, evaluations, funding."""

from __future__ import annotations

from uuid import UUID

from lifecycle import validation as v
from lifecycle.checks import (
    Day,
    LongProse,
    Money,
    Name,
    OptionalDay,
    OptionalName,
    ShortProse,
    Title,
)
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import Risk
from lifecycle.innovations.commands import InnovationCommand
from lifecycle.vocabulary import (
    Criterion,
    EvaluationMethod,
    FundingSource,
    PrototypeOutcome,
)


class StartPrototype(InnovationCommand):
    title: Title
    hypothesis: LongProse
    plan: LongProse
    started_on: Day


class CompletePrototype(InnovationCommand):
    prototype_id: UUID
    outcome: PrototypeOutcome
    result: LongProse
    learning: LongProse
    completed_on: Day


class RecordEvaluation(InnovationCommand):
    method: EvaluationMethod
    scores: tuple[tuple[Criterion, int], ...]
    evidence: LongProse
    recommendation: ShortProse
    estimated_cost: Money
    risk: Risk
    evaluated_on: Day

    def __post_init__(self) -> None:
        super().__post_init__()
        seen: set[Criterion] = set()
        for criterion, score in self.scores:
            if criterion in seen:
                raise ValidationFailed("scores", f"{criterion.value} is scored twice")
            seen.add(criterion)
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
                raise ValidationFailed("scores", f"{criterion.value} must be scored 0 to 5, "
                                                 f"not {score!r}")
        if not self.scores:
            raise ValidationFailed("scores", "score at least one criterion")
        self._set("scores", tuple(sorted(self.scores, key=lambda s: s[0].value)))


class RecordFunding(InnovationCommand):
    source: FundingSource
    funder: Name
    amount: Money
    starts_on: Day
    programme: OptionalName = None
    ends_on: OptionalDay = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.amount == 0:
            raise ValidationFailed("amount", "funding must be more than zero")
        v.date_order("starts_on", self.starts_on, "ends_on", self.ends_on)
