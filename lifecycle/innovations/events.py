"""The moves of the whole innovation, whatever its capability's stage: parking it (reopening
returns it to the stage it was parked from), and closing it with its learning."""

from __future__ import annotations

from lifecycle.actor import CommandContext
from lifecycle.aggregate import topic
from lifecycle.innovations import stage as stages
from lifecycle.innovations.part import InnovationEvent, InnovationState


class InnovationsPart(InnovationState):
    class InnovationParked(InnovationEvent):
        TOPIC = topic("InnovationParked")
        reason: str

    class InnovationReopened(InnovationEvent):
        TOPIC = topic("InnovationReopened")
        reason: str

    class InnovationClosed(InnovationEvent):
        TOPIC = topic("InnovationClosed")
        reason: str
        learning: str

    def park(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("park", self.stage)
        self._record(self.InnovationParked, ctx, reason=reason)

    def reopen(self, ctx: CommandContext, *, reason: str) -> None:
        stages.require("reopen", self.stage)
        self._record(self.InnovationReopened, ctx, reason=reason)

    def close(self, ctx: CommandContext, *, reason: str, learning: str) -> None:
        stages.require("close", self.stage)
        self._record(self.InnovationClosed, ctx, reason=reason, learning=learning)
