"""The commands that develop an innovation: prototypes, evaluations, funding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import Risk
from lifecycle.innovations.commands import InnovationCommand
from lifecycle.vocabulary import (
    Criterion,
    EvaluationMethod,
    FundingSource,
    PrototypeOutcome,
)


@dataclass(frozen=True)
class StartPrototype(InnovationCommand):
    title: str
    hypothesis: str
    plan: str
    started_on: date

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("hypothesis", v.LONG_TEXT_MAX)
        self._prose("plan", v.LONG_TEXT_MAX)
        self._day("started_on")


@dataclass(frozen=True)
class CompletePrototype(InnovationCommand):
    prototype_id: UUID
    outcome: PrototypeOutcome
    result: str
    learning: str
    completed_on: date

    def __post_init__(self) -> None:
        self._prose("result", v.LONG_TEXT_MAX)
        self._prose("learning", v.LONG_TEXT_MAX)
        self._day("completed_on")


@dataclass(frozen=True)
class RecordEvaluation(InnovationCommand):
    method: EvaluationMethod
    scores: tuple[tuple[Criterion, int], ...]
    evidence: str
    recommendation: str
    estimated_cost: Decimal
    risk: Risk
    evaluated_on: date

    def __post_init__(self) -> None:
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
        self._prose("evidence", v.LONG_TEXT_MAX)
        self._prose("recommendation", v.SHORT_TEXT_MAX)
        self._set("estimated_cost", v.money("estimated_cost", self.estimated_cost))
        self._day("evaluated_on")


@dataclass(frozen=True)
class RecordFunding(InnovationCommand):
    source: FundingSource
    funder: str
    amount: Decimal
    starts_on: date
    programme: str | None = None
    ends_on: date | None = None

    def __post_init__(self) -> None:
        self._text("funder", v.NAME_MAX)
        self._optional("programme", v.NAME_MAX)
        self._set("amount", v.money("amount", self.amount))
        if self.amount == 0:
            raise ValidationFailed("amount", "funding must be more than zero")
        self._day("starts_on")
        self._day("ends_on")
        v.date_order("starts_on", self.starts_on, "ends_on", self.ends_on)
