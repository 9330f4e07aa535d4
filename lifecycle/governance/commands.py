"""The adoption decision."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from lifecycle.actor import Authority
from lifecycle.checks import LongProse, OptionalLongProse
from lifecycle.governance.authority import DecisionOutcome
from lifecycle.innovations.commands import InnovationCommand


@dataclass(frozen=True)
class DecideAdoption(InnovationCommand):
    outcome: DecisionOutcome
    authority: Authority
    rationale: LongProse
    conditions: OptionalLongProse = None
    evidence: tuple[UUID, ...] = ()
