"""Mutations on the innovation as a whole: park, reopen and close it."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from schema.commands import ReasonedInput, command_input, mutation
from schema.innovations.payloads import (
    InnovationClosed,
    InnovationParked,
    InnovationReopened,
)


@command_input(commands.ParkInnovation)
class ParkInnovationInput(ReasonedInput):
    pass


@command_input(commands.ReopenInnovation)
class ReopenInnovationInput(ReasonedInput):
    pass


@command_input(commands.CloseInnovation)
class CloseInnovationInput(ReasonedInput):
    learning: str = strawberry.field(description="What was learned, kept for others.")


@strawberry.type
class InnovationMutations:
    park_innovation = mutation(
        ParkInnovationInput, InnovationParked,
        "Park the innovation; reopening returns it to its stage.")
    reopen_innovation = mutation(ReopenInnovationInput,
                                 InnovationReopened, "Reopen a parked innovation.")
    close_innovation = mutation(CloseInnovationInput, InnovationClosed,
                                "Close the innovation, recording what was learned.")
