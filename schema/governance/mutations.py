"""The adoption decision: a governance level decides on an innovation's evaluated evidence."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from lifecycle.actor import Authority as DomainAuthority
from lifecycle.governance.authority import DecisionOutcome as DomainDecisionOutcome
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.governance.payloads import (
    AdoptionDecided,
    DecideAdoptionPayload,
)
from schema.ids import required_id
from schema.innovations.payloads import target

DecisionOutcome = DomainDecisionOutcome
Authority = DomainAuthority
Info = strawberry.Info[Context, None]


@strawberry.input
class DecideAdoptionInput:
    innovation_id: strawberry.ID
    outcome: DecisionOutcome
    authority: Authority = strawberry.field(
        description="The level deciding: at least the one the latest evaluation requires, and "
                    "no higher than your own.")
    rationale: str
    conditions: str | None = strawberry.field(default=None,
                                              description="Required for an ADAPT decision.")
    evidence: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Evaluation ids; omit for all of them.")
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class GovernanceMutations:
    @strawberry.mutation(description="Decide on adoption at a governance level (governance roles "
                                     "of the owning organisation).")
    async def decide_adoption(self, info: Info,
                              input: DecideAdoptionInput) -> DecideAdoptionPayload:
        return await carry_out(info.context, input, lambda: commands.DecideAdoption(
            target(input), outcome=input.outcome, authority=input.authority,
            rationale=input.rationale, conditions=input.conditions,
            evidence=tuple(required_id("evidence", e) for e in input.evidence)),
            AdoptionDecided.of)
