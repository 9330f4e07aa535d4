"""GraphQL types of measures, built from the improvement read model, and what their mutations
return (the measure read from the read model at the mutation's position)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Self
from uuid import UUID

import strawberry

from lifecycle.application import Outcome
from lifecycle.errors import NotFound
from lifecycle.vocabulary import BetterDirection as DomainBetterDirection
from lifecycle.vocabulary import ChartType as DomainChartType
from lifecycle.vocabulary import CorrectionKind
from projections.improvement import queries as q
from projections.improvement.rules import Rule
from projections.improvement.signals import Classification
from schema.commands import Change, now_description
from schema.context import Context
from schema.improvement.statistics import (
    Assurance,
    ChangeEffect,
    ChartSignal,
    CurrentVariation,
    RuleSetDescription,
    assurance_of,
    effects_of,
    finite,
    variation_of,
)
from schema.node import Node

BetterDirection = DomainBetterDirection
ChartType = DomainChartType


@strawberry.type(description="One observation on a control chart, as corrected.")
class ChartPoint:
    on: date
    value: float
    numerator: float | None = strawberry.field(description="P and U: as recorded.")
    denominator: float | None = strawberry.field(description="P and U: as recorded.")
    phase: int
    centre: float | None
    lower: float | None
    upper: float | None
    classification: Classification
    rules: list[Rule]


@strawberry.type(description="A correction or withdrawal of a recorded observation: what it "
                             "was, what it is now, who changed it and why.")
class ObservationCorrection:
    on: date
    kind: CorrectionKind
    value: float | None = strawberry.field(description="As corrected (null: withdrawn).")
    numerator: float | None
    denominator: float | None
    was_value: float
    was_numerator: float | None
    was_denominator: float | None
    reason: str
    decided_by: strawberry.ID
    decided_at: datetime


@strawberry.type(description="The measure's target was set (or removed) after its definition: "
                             "to what, who set it and why.")
class TargetChange:
    target: float | None = strawberry.field(description="In the measure's unit; null: removed.")
    reason: str
    decided_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    decided_at: datetime


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
    defined_by: strawberry.ID = strawberry.field(description="An opaque person id.")
    defined_at: datetime
    phases: list[date] = strawberry.field(
        description="The dates from which a change was introduced, in order.")
    verdict: Classification | None = strawberry.field(default=None, description=(
        "The class of the latest point (currentVariation.classification)."))
    rule_set: str | None = None
    rules: RuleSetDescription = strawberry.field(description=(
        "The rule set its charts are judged by, chosen when it was defined."))
    target: float | None = strawberry.field(description=(
        "In the measure's unit (a proportion for P, a rate for U); null: none."))
    current_variation: CurrentVariation = strawberry.field(description=(
        "How the process is behaving now: the latest point against its own phase's limits."))
    effects: list[ChangeEffect] = strawberry.field(description=(
        "The effect of every change (each phase after the first): did the process after it "
        "differ from before it, in the better direction?"))
    assurance: Assurance = strawberry.field(description=(
        "Whether the process will consistently meet its target, fail it, or vary."))

    @strawberry.field(description="Every observation, as corrected, as statistical process "
                                  "control judges it.")
    async def points(self, info: strawberry.Info[Context, None]) -> list[ChartPoint]:
        rows = await info.context.loaders.points.load(UUID(str(self.id)))
        return [ChartPoint(on=r["on"], value=r["value"], numerator=r["numerator"],
                           denominator=r["denominator"], phase=r["phase"],
                           centre=finite(r["centre"]), lower=finite(r["lower"]),
                           upper=finite(r["upper"]),
                           classification=Classification(r["classification"]),
                           rules=[Rule(x) for x in r["rules"]])
                for r in rows or []]

    @strawberry.field(description=(
        "Each special cause of its current variation ever reported, with the rule set that "
        "found it: current, or history where recalculated limits or corrected data no longer "
        "show it (a change's own evidence is under effects)."))
    async def signals(self, info: strawberry.Info[Context, None]) -> list[ChartSignal]:
        rows = await info.context.loaders.signals.load(UUID(str(self.id)))
        return [ChartSignal.of(r, info.context) for r in rows or []
                if r["evidence"] == "VARIATION"]

    @strawberry.field(description="Each change introduced: when, who judged it, and why.")
    async def changes(self, info: strawberry.Info[Context, None]) -> list[PhaseChange]:
        rows = await info.context.loaders.phases.load(UUID(str(self.id)))
        return [PhaseChange(starts_on=r["starts_on"], description=r["description"],
                            reason=r["reason"], decided_by=strawberry.ID(r["decided_by"]),
                            decided_at=r["decided_at"]) for r in rows or []]

    @strawberry.field(description="Each correction or withdrawal of an observation, in the "
                                  "order made.")
    async def corrections(self, info: strawberry.Info[Context, None]
                          ) -> list[ObservationCorrection]:
        rows = await info.context.loaders.corrections.load(UUID(str(self.id)))
        return [ObservationCorrection(
            on=r["on"], kind=CorrectionKind(r["kind"]), value=r["value"], numerator=r["numerator"],
            denominator=r["denominator"], was_value=r["was_value"],
            was_numerator=r["was_numerator"], was_denominator=r["was_denominator"],
            reason=r["reason"], decided_by=strawberry.ID(r["decided_by"]),
            decided_at=r["decided_at"]) for r in rows or []]

    @strawberry.field(description="Each setting or removal of its target after its "
                                  "definition, in the order made: the latest is the target.")
    async def target_changes(self, info: strawberry.Info[Context, None]) -> list[TargetChange]:
        rows = await info.context.loaders.targets.load(UUID(str(self.id)))
        return [TargetChange(target=finite(r["target"]), reason=r["reason"],
                             decided_by=strawberry.ID(r["decided_by"]),
                             decided_at=r["decided_at"]) for r in rows or []]

    @classmethod
    def from_row(cls, row: Any) -> Measure:
        """A measure from its ``rm_measures`` row (with ``phase_starts``)."""
        ident = str(row["measure_id"])
        return cls(id=strawberry.ID(ident), version=row["version"],
                   innovation_id=strawberry.ID(str(row["innovation_id"])),
                   organisation_id=strawberry.ID(str(row["organisation_id"])),
                   site=row["site"], name=row["name"], unit=row["unit"],
                   better=DomainBetterDirection(row["better"]),
                   chart=DomainChartType(row["chart"]), observation_count=row["points"],
                   defined_by=strawberry.ID(row["defined_by"]), defined_at=row["defined_at"],
                   phases=list(row["phase_starts"]),
                   verdict=Classification(row["verdict"]) if row["verdict"] else None,
                   rule_set=row["rule_set"],
                   rules=RuleSetDescription.of(row["rules"]), target=finite(row["target"]),
                   current_variation=variation_of(row["verdict"], row["phases"]),
                   effects=effects_of(ident, row["unit"], row["effects"]),
                   assurance=assurance_of(row["assurance"], row["target"]))


async def visible_measure(ctx: Context, ident: UUID) -> Measure | None:
    """The measure ``ident`` as the caller may query it now, or None where it does not exist
    for the caller (the read model as it stands: wait for a position first where one is due)."""
    async with ctx.reads.pool.acquire() as conn:
        row = (await q.measures_by_id(conn, ctx.actor.viewers, [ident])).get(ident)
    return Measure.from_row(row) if row else None


@strawberry.interface(description="A command changed a measure.")
class MeasureChange(Change):
    measure: Measure = strawberry.field(description=now_description("measure"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        """The payload of a command on a measure: the measure as the read model has it at the
        command's position (so the payload has what a query would: verdict, effects,
        assurance...), if the caller sees it (``projections/visibility.py``), else
        ``NotFound`` as for an id never used."""
        # The measure's row, and the innovation whose visibility decides who sees it.
        await ctx.reads.consistent_with("innovations", outcome.position)
        await ctx.reads.consistent_with("improvement", outcome.position)
        async with ctx.reads.pool.acquire() as conn:
            row = (await q.measures_by_id(conn, ctx.actor.viewers,
                                          [outcome.aggregate_id])).get(outcome.aggregate_id)
        if row is None:
            raise NotFound("measure", outcome.aggregate_id)
        return cls(measure=Measure.from_row(row), **Change.receipt(ctx, outcome))
