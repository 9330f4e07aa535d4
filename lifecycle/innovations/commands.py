"""What every command addressed to an innovation is (``InnovationCommand``; ``ReasonedCommand``
when it must say why), and the moves of the whole innovation: park, reopen, close."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from uuid import UUID

from lifecycle import validation as v
from lifecycle.command import Command


@dataclass(frozen=True)
class InnovationCommand(Command):
    """A command addressed to one existing innovation."""

    address: ClassVar[str | None] = "innovation_id"
    innovation_id: UUID


@dataclass(frozen=True)
class ReasonedCommand(InnovationCommand):
    """A decision by a person about an innovation, which must say why."""

    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)


@dataclass(frozen=True)
class ParkInnovation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class ReopenInnovation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class CloseInnovation(ReasonedCommand):
    learning: str = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._prose("learning", v.LONG_TEXT_MAX)
