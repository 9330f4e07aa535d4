"""The moves of the whole innovation, whatever its capability's stage: parking it (reopening
returns it to the stage it was parked from), and closing it with its learning."""

from __future__ import annotations

from lifecycle.actor import CommandContext
from lifecycle.aggregate import topic
from lifecycle.innovations.part import InnovationState, ReasonedEvent


class InnovationsPart(InnovationState):
    class InnovationParked(ReasonedEvent):
        """The innovation was parked (PARKED) from the open stage it was at."""

        TOPIC = topic("InnovationParked")

    class InnovationReopened(ReasonedEvent):
        """The parked innovation was reopened: it returns to the stage it was parked from."""

        TOPIC = topic("InnovationReopened")

    class InnovationClosed(ReasonedEvent):
        """The innovation was closed (CLOSED, for good), with what was learnt (``learning``):
        a failed prototype is knowledge."""

        TOPIC = topic("InnovationClosed")
        learning: str

    def park(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("park", self.InnovationParked, ctx, reason=reason)

    def reopen(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("reopen", self.InnovationReopened, ctx, reason=reason)

    def close(self, ctx: CommandContext, *, reason: str, learning: str) -> None:
        self._act("close", self.InnovationClosed, ctx, reason=reason, learning=learning)
