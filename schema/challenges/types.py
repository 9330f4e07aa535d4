"""GraphQL types of challenges, built from the aggregate, and what their mutations return."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Self

import strawberry

from lifecycle.application import Outcome
from lifecycle.directory.challenge import Challenge as ChallengeAggregate
from schema.commands import Change, now_description
from schema.context import Context
from schema.errors import CommandError
from schema.node import Node


@strawberry.type(description="An organisation's call for ideas on a problem, open for a while.")
class Challenge(Node):
    id: strawberry.ID
    version: int
    organisation_id: strawberry.ID
    title: str
    problem: str
    opens_on: date
    closes_on: date
    closed: bool = strawberry.field(description="Closed early, before its closing date.")

    @classmethod
    def from_aggregate(cls, agg: ChallengeAggregate) -> Challenge:
        return cls(id=strawberry.ID(str(agg.id)), version=agg.version,
                   organisation_id=strawberry.ID(str(agg.organisation_id)), title=agg.title,
                   problem=agg.problem, opens_on=agg.opens_on, closes_on=agg.closes_on,
                   closed=agg.closed)


def challenge_from_row(row: Any) -> Challenge:
    """From the directory read model."""
    return Challenge(id=strawberry.ID(str(row["id"])), version=row["version"],
                     organisation_id=strawberry.ID(str(row["organisation_id"])),
                     title=row["title"], problem=row["problem"], opens_on=row["opens_on"],
                     closes_on=row["closes_on"], closed=row["closed"])


@strawberry.interface(description="A command changed a challenge.")
class ChallengeChange(Change):
    challenge: Challenge = strawberry.field(description=now_description("challenge"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        agg = await ctx.service.load(ChallengeAggregate, outcome.aggregate_id)
        return cls(challenge=Challenge.from_aggregate(agg),
                   **Change.receipt(ctx, outcome))


@strawberry.type(description="The challenge was opened for ideas.")
class ChallengeOpened(ChallengeChange):
    pass


@strawberry.type(description="The challenge was closed.")
class ChallengeClosed(ChallengeChange):
    pass


OpenChallengePayload = Annotated[ChallengeOpened | CommandError,
                                 strawberry.union("OpenChallengePayload")]
CloseChallengePayload = Annotated[ChallengeClosed | CommandError,
                                  strawberry.union("CloseChallengePayload")]
