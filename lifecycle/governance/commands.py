"""The adoption decision."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from lifecycle import validation as v
from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome
from lifecycle.innovations.commands import InnovationCommand


@dataclass(frozen=True)
class DecideAdoption(InnovationCommand):
    outcome: DecisionOutcome
    authority: Authority
    rationale: str
    conditions: str | None = None
    evidence: tuple[UUID, ...] = ()

    def __post_init__(self) -> None:
        self._prose("rationale", v.LONG_TEXT_MAX)
        self._optional("conditions", v.LONG_TEXT_MAX, multiline=True)
