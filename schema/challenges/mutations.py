"""Mutations on challenges (innovation leads): open one for ideas, close it."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from schema.challenges.types import (
    ChallengeClosed,
    ChallengeOpened,
    CloseChallengePayload,
    OpenChallengePayload,
)
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.ids import required_id

Info = strawberry.Info[Context, None]


@strawberry.input
class OpenChallengeInput:
    title: str
    problem: str
    opens_on: date
    closes_on: date
    idempotency_key: str | None = key_field()


@strawberry.input
class CloseChallengeInput:
    challenge_id: strawberry.ID
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class ChallengeMutations:
    @strawberry.mutation(description="Open a challenge in your organisation (innovation leads).")
    async def open_challenge(self, info: Info, input: OpenChallengeInput) -> OpenChallengePayload:
        return await carry_out(info.context, input, lambda: commands.OpenChallenge(
            title=input.title, problem=input.problem, opens_on=input.opens_on,
            closes_on=input.closes_on), ChallengeOpened.of)

    @strawberry.mutation(description="Close a challenge before its closing date; say why.")
    async def close_challenge(self, info: Info,
                              input: CloseChallengeInput) -> CloseChallengePayload:
        return await carry_out(info.context, input, lambda: commands.CloseChallenge(
            required_id("challengeId", input.challenge_id), reason=input.reason),
            ChallengeClosed.of)
