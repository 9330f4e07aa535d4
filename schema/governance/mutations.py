"""The adoption decision: a governance level decides on an innovation's evaluated evidence."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from lifecycle.actor import Authority as DomainAuthority
from lifecycle.governance.authority import DecisionOutcome as DomainDecisionOutcome
from schema.commands import CommandInput, command_input, mutation
from schema.governance.payloads import (
    AdoptionDecided,
)

DecisionOutcome = DomainDecisionOutcome
Authority = DomainAuthority


@command_input(commands.DecideAdoption)
class DecideAdoptionInput(CommandInput):
    outcome: DecisionOutcome
    authority: Authority = strawberry.field(
        description="The level deciding: at least the one the latest evaluation requires, and "
                    "no higher than your own.")
    rationale: str
    conditions: str | None = strawberry.field(default=None,
                                              description="Required for an ADAPT decision.")
    evidence: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Evaluation ids; omit for all of them.")


@strawberry.type
class GovernanceMutations:
    decide_adoption = mutation(
        DecideAdoptionInput, AdoptionDecided,
        "Decide on adoption at a governance level (governance roles of the owning "
        "organisation).")
