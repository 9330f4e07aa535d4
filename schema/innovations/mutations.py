"""Mutations on innovations: each turns its input into a command and returns a payload union."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from lifecycle.errors import DomainError
from lifecycle.innovation import Innovation as InnovationAggregate
from schema import positions
from schema.context import Context
from schema.errors import from_domain
from schema.ids import uuid_or_none
from schema.innovations.types import (
    IdeaSubmitted,
    Innovation,
    InnovationClass,
    SubmitIdeaPayload,
)


@strawberry.input
class SubmitIdeaInput:
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: list[str] = strawberry.field(default_factory=list)
    site: str | None = None
    challenge_id: strawberry.ID | None = None
    staff_group: str | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="Send the same key again to repeat safely: the idea is "
                                  "stored once and the original result returned.")


@strawberry.type
class InnovationMutations:
    @strawberry.mutation(description="Submit an idea (optionally in answer to a challenge).")
    async def submit_idea(self, info: strawberry.Info[Context, None],
                          input: SubmitIdeaInput) -> SubmitIdeaPayload:
        ctx = info.context
        try:
            command = commands.SubmitIdea(
                title=input.title, problem=input.problem, proposal=input.proposal,
                innovation_class=input.innovation_class, tags=tuple(input.tags),
                site=input.site, challenge_id=uuid_or_none("challengeId", input.challenge_id),
                staff_group=input.staff_group)
            outcome = await ctx.service.execute(
                command, ctx.command(idempotency_key=input.idempotency_key))
            agg = await ctx.service.load(InnovationAggregate, outcome.aggregate_id)
        except DomainError as error:
            return from_domain(error)
        return IdeaSubmitted(innovation=Innovation.from_aggregate(agg),
                             position=positions.encode(ctx.service.epoch, outcome.position),
                             replayed=outcome.replayed)

