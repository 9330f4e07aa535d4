"""Mutations on innovations: each turns its input into a command and returns a payload union.

Submitting is here; the rest are grouped by what they do to an innovation (triage, development,
spread) and composed into ``InnovationMutations``.
"""

from __future__ import annotations

import strawberry

from lifecycle import commands
from lifecycle.application import Outcome
from schema.commands import Change, carry_out, key_field
from schema.context import Context
from schema.ids import uuid_or_none
from schema.innovations.mutations_development import DevelopmentMutations
from schema.innovations.mutations_spread import SpreadMutations
from schema.innovations.mutations_triage import TriageMutations
from schema.innovations.payloads import changed
from schema.innovations.types import (
    IdeaSubmitted,
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
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.SubmitIdea:
        return commands.SubmitIdea(
            title=self.title, problem=self.problem, proposal=self.proposal,
            innovation_class=self.innovation_class, tags=tuple(self.tags), site=self.site,
            challenge_id=uuid_or_none("challengeId", self.challenge_id),
            staff_group=self.staff_group)


async def _submitted(ctx: Context, outcome: Outcome) -> IdeaSubmitted:
    return IdeaSubmitted(innovation=await changed(ctx, outcome), **Change.receipt(ctx, outcome))


@strawberry.type
class InnovationMutations(TriageMutations, DevelopmentMutations, SpreadMutations):
    @strawberry.mutation(description="Submit an idea (optionally in answer to a challenge).")
    async def submit_idea(self, info: strawberry.Info[Context, None],
                          input: SubmitIdeaInput) -> SubmitIdeaPayload:
        return await carry_out(info.context, input, input.to_command, _submitted)
