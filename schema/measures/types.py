"""GraphQL types of measures, built from the aggregate, and what their mutations return."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

import strawberry

from lifecycle.application import Outcome
from lifecycle.measure import Measure as MeasureAggregate
from lifecycle.vocabulary import BetterDirection as DomainBetterDirection
from lifecycle.vocabulary import ChartType as DomainChartType
from schema import positions
from schema.context import Context
from schema.errors import CommandError

BetterDirection = DomainBetterDirection
ChartType = DomainChartType


@strawberry.type(description="A measure of an innovation's effect at one organisation (and site).")
class Measure:
    id: strawberry.ID
    version: int
    innovation_id: strawberry.ID
    organisation_id: strawberry.ID
    site: str | None
    name: str
    unit: str
    better: BetterDirection
    chart: ChartType
    observation_count: int
    phases: list[date] = strawberry.field(
        description="The dates from which a change was introduced, in order.")

    @classmethod
    def from_aggregate(cls, agg: MeasureAggregate) -> Measure:
        return cls(id=strawberry.ID(str(agg.id)), version=agg.version,
                   innovation_id=strawberry.ID(str(agg.innovation_id)),
                   organisation_id=strawberry.ID(str(agg.organisation_id)), site=agg.site,
                   name=agg.name, unit=agg.unit, better=DomainBetterDirection(agg.better),
                   chart=agg.chart, observation_count=len(agg.observations),
                   phases=list(agg.phases))


@strawberry.interface(description="A command changed a measure.")
class MeasureChange:
    measure: Measure = strawberry.field(description="The measure after the change.")
    position: str = strawberry.field(
        description="Opaque cursor of the log position of the command's last event.")
    replayed: bool = strawberry.field(
        description="True when this repeats an earlier request with the same idempotency key.")

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        agg = await ctx.service.load(MeasureAggregate, outcome.aggregate_id)
        return cls(measure=Measure.from_aggregate(agg),
                   position=positions.encode(ctx.service.epoch, outcome.position),
                   replayed=outcome.replayed)


@strawberry.type(description="The measure was defined.")
class MeasureDefined(MeasureChange):
    pass


@strawberry.type(description="The batch's new observations were recorded (points already "
                             "recorded with the same value are skipped).")
class ObservationsRecorded(MeasureChange):
    pass


@strawberry.type(description="A new phase of the measure started (a change was introduced).")
class PhaseStarted(MeasureChange):
    pass


DefineMeasurePayload = Annotated[MeasureDefined | CommandError,
                                 strawberry.union("DefineMeasurePayload")]
RecordObservationsPayload = Annotated[ObservationsRecorded | CommandError,
                                      strawberry.union("RecordObservationsPayload")]
StartPhasePayload = Annotated[PhaseStarted | CommandError, strawberry.union("StartPhasePayload")]
