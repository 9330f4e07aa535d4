"""Mutations on measures: define one for an innovation (with its rule set and target), record,
correct and withdraw observations, set its target, start a phase."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.improvement.commands import rule_set
from schema.commands import carry_out, key_field, version_field
from schema.context import Context
from schema.ids import required_id
from schema.improvement.types import (
    BetterDirection,
    ChartType,
    CorrectObservationPayload,
    DefineMeasurePayload,
    MeasureDefined,
    ObservationCorrected,
    ObservationsRecorded,
    ObservationWithdrawn,
    PhaseStarted,
    RecordObservationsPayload,
    SetMeasureTargetPayload,
    StartPhasePayload,
    TargetSet,
    WithdrawObservationPayload,
)

Info = strawberry.Info[Context, None]


@strawberry.input(description=(
    "The conventions the measure's charts are judged by: Making Data Count's, but for the "
    "settings given (docs/statistics.md). A rule set that differs and is not named is "
    "\"custom\"."))
class RuleSetInput:
    name: str | None = None
    shift_length: int | None = strawberry.field(default=None, description="Default 7.")
    trend_length: int | None = strawberry.field(default=None, description="Default 7.")
    multiplier: float | None = strawberry.field(default=None, description=(
        "XMR's limits are the mean plus or minus this times the mean moving range. Default "
        "2.66, at most 10."))
    screen_moving_ranges: bool | None = strawberry.field(default=None, description=(
        "XMR: leave out moving ranges above 3.267 times their mean. Default false."))
    minimum_points: int | None = strawberry.field(default=None, description=(
        "Points a phase needs for limits of its own. Default 12."))
    two_of_three: bool | None = strawberry.field(default=None, description="Default true.")


@strawberry.input
class DefineMeasureInput:
    innovation_id: strawberry.ID
    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    site: str | None = None
    rules: RuleSetInput | None = None
    target: float | None = strawberry.field(default=None, description=(
        "In the measure's unit (a proportion for P, a rate for U); not for a measure whose "
        "better direction is NEITHER."))
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.DefineMeasure:
        r = self.rules
        return commands.DefineMeasure(
            required_id("innovationId", self.innovation_id), name=self.name, unit=self.unit,
            better=self.better, chart=self.chart, site=self.site,
            rule_set=None if r is None else rule_set(
                r.name, shift_length=r.shift_length, trend_length=r.trend_length,
                multiplier=r.multiplier, screen_moving_ranges=r.screen_moving_ranges,
                minimum_points=r.minimum_points, two_of_three=r.two_of_three),
            target=self.target)


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


@strawberry.input(description="Correct the numbers recorded for a date: a value for an XMR "
                              "chart, a numerator and a denominator for P and U charts.")
class CorrectObservationInput:
    measure_id: strawberry.ID
    observation: ObservationInput
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.CorrectObservation:
        o = self.observation
        return commands.CorrectObservation(
            required_id("measureId", self.measure_id),
            commands.ObservationInput(o.on, o.value, o.numerator, o.denominator), self.reason)


@strawberry.input
class WithdrawObservationInput:
    measure_id: strawberry.ID
    on: date
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class SetMeasureTargetInput:
    measure_id: strawberry.ID
    target: float | None = strawberry.field(description="Null removes the target.")
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


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
        return await carry_out(info.context, input, input.to_command, MeasureDefined.of)

    @strawberry.mutation(description="Record a batch of observations; repeating a batch adds "
                                     "nothing, a different value for a recorded date is refused.")
    async def record_observations(self, info: Info, input: RecordObservationsInput
                                  ) -> RecordObservationsPayload:
        return await carry_out(info.context, input, input.to_command, ObservationsRecorded.of)

    @strawberry.mutation(description="Correct a recorded observation; say why. The chart shows "
                                     "the corrected numbers; signals it reported stay as history.")
    async def correct_observation(self, info: Info, input: CorrectObservationInput
                                  ) -> CorrectObservationPayload:
        return await carry_out(info.context, input, input.to_command, ObservationCorrected.of)

    @strawberry.mutation(description="Withdraw a recorded observation; say why. The date may be "
                                     "recorded again.")
    async def withdraw_observation(self, info: Info, input: WithdrawObservationInput
                                   ) -> WithdrawObservationPayload:
        return await carry_out(info.context, input, lambda: commands.WithdrawObservation(
            required_id("measureId", input.measure_id), input.on, input.reason),
            ObservationWithdrawn.of)

    @strawberry.mutation(description="Set (or, with null, remove) a measure's target; say why.")
    async def set_measure_target(self, info: Info, input: SetMeasureTargetInput
                                 ) -> SetMeasureTargetPayload:
        return await carry_out(info.context, input, lambda: commands.SetMeasureTarget(
            required_id("measureId", input.measure_id), input.target, input.reason),
            TargetSet.of)

    @strawberry.mutation(description="Start a new phase of a measure from a date; say why.")
    async def start_phase(self, info: Info, input: StartPhaseInput) -> StartPhasePayload:
        return await carry_out(info.context, input, lambda: commands.StartPhase(
            required_id("measureId", input.measure_id), starts_on=input.starts_on,
            description=input.description, reason=input.reason), PhaseStarted.of)
