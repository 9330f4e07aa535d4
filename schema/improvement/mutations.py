"""Mutations on measures: define one for an innovation (with its rule set and target), record,
correct and withdraw observations, set its target, start a phase."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.improvement.commands import rule_set
from schema.commands import CommandInput, command_input, mutations
from schema.ids import required_id
from schema.improvement.types import (
    BetterDirection,
    ChartType,
    MeasureChange,
)


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


@command_input(commands.DefineMeasure,
               MeasureChange.fact("MeasureDefined", "The measure was defined."),
               "Define a measure of an innovation at your organisation.")
class DefineMeasureInput(CommandInput):
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

    def to_domain(self) -> commands.ObservationInput:
        return commands.ObservationInput(self.on, self.value, self.numerator, self.denominator)


@command_input(commands.RecordObservations,
               MeasureChange.fact("ObservationsRecorded",
                                  "The batch's new observations were recorded (points already "
                                  "recorded with the same value are skipped)."),
               "Record a batch of observations; repeating a batch adds nothing, a different "
               "value for a recorded date is refused.")
class RecordObservationsInput(CommandInput):
    observations: list[ObservationInput]


@command_input(commands.CorrectObservation,
               MeasureChange.fact("ObservationCorrected",
                                  "A recorded observation was corrected (the chart shows the "
                                  "corrected numbers)."),
               "Correct a recorded observation; say why. The chart shows the corrected numbers; "
               "signals it reported stay as history.",
               description="Correct the numbers recorded for a date: a value for an XMR chart, "
                           "a numerator and a denominator for P and U charts.")
class CorrectObservationInput(CommandInput):
    observation: ObservationInput
    reason: str


@command_input(commands.WithdrawObservation,
               MeasureChange.fact("ObservationWithdrawn", "A recorded observation was withdrawn."),
               "Withdraw a recorded observation; say why. The date may be recorded again.")
class WithdrawObservationInput(CommandInput):
    on: date
    reason: str


@command_input(commands.SetMeasureTarget,
               MeasureChange.fact("TargetSet", "The measure's target was set (or removed)."),
               "Set (or, with null, remove) a measure's target; say why.")
class SetMeasureTargetInput(CommandInput):
    target: float | None = strawberry.field(description="Null removes the target.")
    reason: str


@command_input(commands.StartPhase,
               MeasureChange.fact("PhaseStarted",
                                  "A new phase of the measure started (a change was introduced)."),
               "Start a new phase of a measure from a date; say why.")
class StartPhaseInput(CommandInput):
    starts_on: date
    description: str
    reason: str


@mutations(
    DefineMeasureInput, RecordObservationsInput, CorrectObservationInput, WithdrawObservationInput,
    SetMeasureTargetInput, StartPhaseInput)
class MeasureMutations:
    """The mutations declared with the inputs above, in the order listed."""
