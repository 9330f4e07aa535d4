"""Mutations on the innovation as a whole: park, reopen and close it."""

from __future__ import annotations

import strawberry

from lifecycle import commands
from schema.commands import ReasonedInput, command_input, mutations
from schema.innovations.payloads import InnovationChange


@command_input(commands.ParkInnovation,
               InnovationChange.fact("InnovationParked",
                                     "The innovation was parked; reopening returns it to its "
                                     "stage."),
               "Park the innovation; reopening returns it to its stage.")
class ParkInnovationInput(ReasonedInput):
    pass


@command_input(commands.ReopenInnovation,
               InnovationChange.fact("InnovationReopened", "The parked innovation was reopened."),
               "Reopen a parked innovation.")
class ReopenInnovationInput(ReasonedInput):
    pass


@command_input(commands.CloseInnovation,
               InnovationChange.fact("InnovationClosed",
                                     "The innovation was closed, with its learning."),
               "Close the innovation, recording what was learned.")
class CloseInnovationInput(ReasonedInput):
    learning: str = strawberry.field(description="What was learned, kept for others.")


@mutations(ParkInnovationInput, ReopenInnovationInput, CloseInnovationInput)
class InnovationMutations:
    """The mutations declared with the inputs above, in the order listed."""
