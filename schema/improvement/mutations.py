"""Mutations on measures: define one for an innovation, record observations, start a phase."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.ids import required_id
from schema.improvement.types import (
    BetterDirection,
    ChartType,
    DefineMeasurePayload,
    MeasureDefined,
    ObservationsRecorded,
    PhaseStarted,
    RecordObservationsPayload,
    StartPhasePayload,
)

Info = strawberry.Info[Context, None]


@strawberry.input
class DefineMeasureInput:
    innovation_id: strawberry.ID
    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    site: str | None = None
    idempotency_key: str | None = key_field()


@strawberry.input(description="One dated point: a value for an XMR chart, a numerator and a "
                              "denominator for P and U charts.")
class ObservationInput:
    on: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


@strawberry.input
class RecordObservationsInput:
    measure_id: strawberry.ID
    observations: list[ObservationInput]
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.RecordObservations:
        return commands.RecordObservations(
            required_id("measureId", self.measure_id),
            tuple(commands.ObservationInput(o.on, o.value, o.numerator, o.denominator)
                  for o in self.observations))


@strawberry.input
class StartPhaseInput:
    measure_id: strawberry.ID
    starts_on: date
    description: str
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.type
class MeasureMutations:
    @strawberry.mutation(description="Define a measure of an innovation at your organisation.")
    async def define_measure(self, info: Info, input: DefineMeasureInput) -> DefineMeasurePayload:
        return await carry_out(info.context, input, lambda: commands.DefineMeasure(
            required_id("innovationId", input.innovation_id), name=input.name, unit=input.unit,
            better=input.better, chart=input.chart, site=input.site), MeasureDefined.of)

    @strawberry.mutation(description="Record a batch of observations; repeating a batch adds "
                                     "nothing, a different value for a recorded date is refused.")
    async def record_observations(self, info: Info, input: RecordObservationsInput
                                  ) -> RecordObservationsPayload:
        return await carry_out(info.context, input, input.to_command, ObservationsRecorded.of)

    @strawberry.mutation(description="Start a new phase of a measure from a date; say why.")
    async def start_phase(self, info: Info, input: StartPhaseInput) -> StartPhasePayload:
        return await carry_out(info.context, input, lambda: commands.StartPhase(
            required_id("measureId", input.measure_id), starts_on=input.starts_on,
            description=input.description, reason=input.reason), PhaseStarted.of)
