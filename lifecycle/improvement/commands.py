"""The commands about measures: define one for an innovation, record observations, start a phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar
from uuid import UUID

from lifecycle import validation as v
from lifecycle.command import Command
from lifecycle.errors import ValidationFailed
from lifecycle.innovations.commands import InnovationCommand
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
)


@dataclass(frozen=True)
class DefineMeasure(InnovationCommand):
    # It reads the innovation, and changes only the measure it creates.
    address: ClassVar[str | None] = None
    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    site: str | None = None

    def __post_init__(self) -> None:
        self._text("name", v.NAME_MAX)
        self._text("unit", v.NAME_MAX)
        self._optional("site", v.NAME_MAX)


@dataclass(frozen=True)
class ObservationInput:
    on: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class RecordObservations(Command):
    address: ClassVar[str | None] = "measure_id"
    measure_id: UUID
    observations: tuple[ObservationInput, ...]

    def __post_init__(self) -> None:
        dates = [v.day("observations", o.on) for o in self.observations]
        if len(set(dates)) != len(dates):
            raise ValidationFailed("observations", "a date appears twice in one batch")


@dataclass(frozen=True)
class StartPhase(Command):
    address: ClassVar[str | None] = "measure_id"
    measure_id: UUID
    starts_on: date
    description: str
    reason: str

    def __post_init__(self) -> None:
        self._prose("description", v.SHORT_TEXT_MAX)
        self._prose("reason", v.SHORT_TEXT_MAX)
        self._day("starts_on")
