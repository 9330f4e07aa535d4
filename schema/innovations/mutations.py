"""Mutations on the innovation as a whole: park, reopen and close it."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from schema.commands import ReasonedInput, carry_out
from schema.context import Context
from schema.innovations.payloads import (
    CloseInnovationPayload,
    InnovationClosed,
    InnovationParked,
    InnovationReopened,
    ParkInnovationPayload,
    ReopenInnovationPayload,
    target,
)

Info = strawberry.Info[Context, None]


@strawberry.input
class ParkInnovationInput(ReasonedInput):
    pass


@strawberry.input
class ReopenInnovationInput(ReasonedInput):
    pass


@strawberry.input
class CloseInnovationInput(ReasonedInput):
    learning: str = strawberry.field(description="What was learned, kept for others.")


@strawberry.type
class InnovationMutations:
    @strawberry.mutation(description="Park the innovation; reopening returns it to its stage.")
    async def park_innovation(self, info: Info,
                              input: ParkInnovationInput) -> ParkInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.ParkInnovation(
            target(input), reason=input.reason), InnovationParked.of)

    @strawberry.mutation(description="Reopen a parked innovation.")
    async def reopen_innovation(self, info: Info,
                                input: ReopenInnovationInput) -> ReopenInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.ReopenInnovation(
            target(input), reason=input.reason), InnovationReopened.of)

    @strawberry.mutation(description="Close the innovation, recording what was learned.")
    async def close_innovation(self, info: Info,
                               input: CloseInnovationInput) -> CloseInnovationPayload:
        return await carry_out(info.context, input, lambda: commands.CloseInnovation(
            target(input), reason=input.reason, learning=input.learning), InnovationClosed.of)
