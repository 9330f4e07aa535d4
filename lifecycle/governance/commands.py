"""The adoption decision."""

from __future__ import annotations

from uuid import UUID

from lifecycle.actor import Authority
from lifecycle.checks import LongProse, OptionalLongProse
from lifecycle.governance.authority import DecisionOutcome
from lifecycle.innovations.commands import InnovationCommand


class DecideAdoption(InnovationCommand):
    outcome: DecisionOutcome
    authority: Authority
    rationale: LongProse
    conditions: OptionalLongProse = None
    evidence: tuple[UUID, ...] = ()
