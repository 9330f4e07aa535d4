"""The adoption decision: a governance level decides on an innovation's evaluated evidence."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome
from schema.commands import CommandInput, command_input, mutations
from schema.innovations.payloads import InnovationChange


@command_input(commands.DecideAdoption,
               InnovationChange.fact("AdoptionDecided",
                                     "An adoption decision was taken at sufficient authority.",
                                     created="decision_id"),
               "Decide on adoption at a governance level (governance roles of the owning "
               "organisation).")
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


@mutations(DecideAdoptionInput)
class GovernanceMutations:
    """The mutations declared with the inputs above, in the order listed."""
