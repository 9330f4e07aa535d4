"""What every command addressed to an innovation is (``InnovationCommand``; ``ReasonedCommand``
when it must say why), and the moves of the whole innovation: park, reopen, close."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar
from uuid import UUID

from lifecycle.checks import LongProse, ShortProse
from lifecycle.command import Command


class InnovationCommand(Command):
    """A command addressed to one existing innovation."""

    address: ClassVar[str | None] = "innovation_id"
    innovation_id: UUID


class ReasonedCommand(InnovationCommand):
    """A decision by a person about an innovation, which must say why."""

    reason: ShortProse


class ParkInnovation(ReasonedCommand):
    """Park an open innovation (PARKED); reopening returns it to the stage it is at."""


class ReopenInnovation(ReasonedCommand):
    """Reopen a parked innovation, at the stage it was parked from."""


class CloseInnovation(ReasonedCommand):
    learning: LongProse = field(kw_only=True)
