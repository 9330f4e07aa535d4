"""GraphQL types of measures, built from the aggregate, and what their mutations return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self
from uuid import UUID

import strawberry

from lifecycle.application import Outcome
from lifecycle.errors import NotFound
from lifecycle.improvement.measure import Measure as MeasureAggregate
from lifecycle.vocabulary import BetterDirection as DomainBetterDirection
from lifecycle.vocabulary import ChartType as DomainChartType
from schema import positions
from schema.commands import Change, now_description
from schema.context import Context
from schema.errors import CommandError
from schema.node import Node

BetterDirection = DomainBetterDirection
ChartType = DomainChartType


@strawberry.type(description="One observation on a control chart.")
class ChartPoint:
    on: date
    value: float
    phase: int
    centre: float | None
    lower: float | None
    upper: float | None
    classification: str
    rules: list[str]


@strawberry.type(description="A special cause: a rule met by these points.")
class ChartSignal:
    rule: str
    direction: str
    phase: int
    points: list[date]
    rule_set: str
    position: str = strawberry.field(description="The log position of the observation that "
                                     "completed it (replay live updates from here).")


@strawberry.type(description="A change introduced: a judgement, with who made it and why.")
class PhaseChange:
    starts_on: date
    description: str
    reason: str
    decided_by: strawberry.ID
    decided_at: datetime


@strawberry.type(description="A measure of an innovation's effect at one organisation (and site).")
class Measure(Node):
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
    verdict: str | None = strawberry.field(default=None, description=(
        "SPECIAL_CAUSE_IMPROVEMENT, SPECIAL_CAUSE_CONCERN, COMMON_CAUSE or INSUFFICIENT_DATA: "
        "the class of the latest point (null on a mutation's payload; query the measure)."))
    rule_set: str | None = None

    @strawberry.field(description="Every observation as statistical process control judges it.")
    async def points(self, info: strawberry.Info[Context, None]) -> list[ChartPoint]:
        rows = await info.context.loaders.points.load(UUID(str(self.id)))
        return [ChartPoint(on=r["on"], value=r["value"], phase=r["phase"], centre=r["centre"],
                           lower=r["lower"], upper=r["upper"],
                           classification=r["classification"], rules=list(r["rules"]))
                for r in rows or []]

    @strawberry.field(description="Each special cause found, with the rule set that found it.")
    async def signals(self, info: strawberry.Info[Context, None]) -> list[ChartSignal]:
        rows = await info.context.loaders.signals.load(UUID(str(self.id)))
        return [ChartSignal(rule=r["rule"], direction=r["direction"], phase=r["phase"],
                            points=list(r["points"]), rule_set=r["rule_set"],
                            position=positions.encode(info.context.service.epoch,
                                                      r["position"]))
                for r in rows or []]

    @strawberry.field(description="Each change introduced: when, who judged it, and why.")
    async def changes(self, info: strawberry.Info[Context, None]) -> list[PhaseChange]:
        rows = await info.context.loaders.phases.load(UUID(str(self.id)))
        return [PhaseChange(starts_on=r["starts_on"], description=r["description"],
                            reason=r["reason"], decided_by=strawberry.ID(r["decided_by"]),
                            decided_at=r["decided_at"]) for r in rows or []]

    @classmethod
    def from_row(cls, row: Any) -> Measure:
        return cls(id=strawberry.ID(str(row["measure_id"])), version=row["version"],
                   innovation_id=strawberry.ID(str(row["innovation_id"])),
                   organisation_id=strawberry.ID(str(row["organisation_id"])),
                   site=row["site"], name=row["name"], unit=row["unit"],
                   better=DomainBetterDirection(row["better"]),
                   chart=DomainChartType(row["chart"]), observation_count=row["points"],
                   phases=list(row["phase_starts"]),
                   verdict=row["verdict"], rule_set=row["rule_set"])

    @classmethod
    def from_aggregate(cls, agg: MeasureAggregate) -> Measure:
        return cls(id=strawberry.ID(str(agg.id)), version=agg.version,
                   innovation_id=strawberry.ID(str(agg.innovation_id)),
                   organisation_id=strawberry.ID(str(agg.organisation_id)), site=agg.site,
                   name=agg.name, unit=agg.unit, better=DomainBetterDirection(agg.better),
                   chart=agg.chart, observation_count=len(agg.observations),
                   phases=list(agg.phases))


@strawberry.interface(description="A command changed a measure.")
class MeasureChange(Change):
    measure: Measure = strawberry.field(description=now_description("measure"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        """The payload of a command on a measure: the measure as it now is, if it still exists
        for the caller (``lifecycle/visibility.py``), else ``NotFound`` as for an id never
        used."""
        agg = await ctx.service.load(MeasureAggregate, outcome.aggregate_id)
        if not await ctx.service.sees(ctx.actor, agg):
            raise NotFound("measure", agg.id)
        return cls(measure=Measure.from_aggregate(agg),
                   **Change.receipt(ctx, outcome))


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
