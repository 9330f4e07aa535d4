"""GraphQL types of what statistical process control says about a measure: its rule set, the
current variation, the effect of every change, the assurance of its target, and its signals
(docs/statistics.md). Built from the improvement read model's rows; every number is finite
(the write side refuses numbers whose statistics would not be), and one that somehow is not is
served as null rather than fail the query."""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from uuid import UUID

import orjson
import strawberry

from projections.improvement.assurance import AssuranceVerdict
from projections.improvement.effect import EffectVerdict
from projections.improvement.rules import Rule
from projections.improvement.signals import Classification, Direction
from schema import positions
from schema.context import Context

strawberry.enum(EffectVerdict, name="EffectVerdict", description=(
    "Whether the process after a change differs from before it (its points judged against the "
    "limits in force before the change), and which way."))
strawberry.enum(AssuranceVerdict, name="AssuranceVerdict", description=(
    "Making Data Count's assurance: will the process, varying as it does now, meet its target?"))


def finite(x: float | None) -> float | None:
    """``x``, or None where it is not a finite number (GraphQL's Float cannot carry one)."""
    return x if x is not None and math.isfinite(x) else None


def parsed(value: Any) -> Any:
    """A jsonb column as asyncpg gives it (text), parsed."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


@strawberry.type(description="The conventions a measure's charts are judged by, recorded when "
                             "it was defined and in every signal (docs/statistics.md).")
class RuleSetDescription:
    name: str
    shift_length: int
    trend_length: int
    multiplier: float
    screen_moving_ranges: bool
    minimum_points: int
    two_of_three: bool

    @classmethod
    def of(cls, description: Any) -> RuleSetDescription:
        d = parsed(description)
        return cls(name=d["name"], shift_length=d["shiftLength"], trend_length=d["trendLength"],
                   multiplier=d["multiplier"], screen_moving_ranges=d["screenMovingRanges"],
                   minimum_points=d["minimumPoints"], two_of_three=d["twoOfThree"])


@strawberry.type(description="A special cause: a rule met by these points.")
class ChartSignal:
    rule: Rule
    direction: Direction
    phase: int
    points: list[date]
    rule_set: str
    rules: RuleSetDescription = strawberry.field(description="The rule set that found it.")
    limits_from: int = strawberry.field(description=(
        "The phase whose points gave the limits it was judged against."))
    current: bool = strawberry.field(description=(
        "Whether the latest analysis still finds it. A signal once reported is never removed: "
        "one that recalculated limits or corrected data no longer show stays, not current."))
    position: str = strawberry.field(description="The log position of the observation that "
                                     "completed it (replay live updates from here).")

    @classmethod
    def of(cls, row: Any, ctx: Context) -> ChartSignal:
        return cls(rule=Rule(row["rule"]), direction=Direction(row["direction"]),
                   phase=row["phase"],
                   points=list(row["points"]), rule_set=row["rule_set"],
                   rules=RuleSetDescription.of(row["rules"]), limits_from=row["limits_from"],
                   current=row["current"],
                   position=positions.encode(ctx.service.epoch, row["position"]))


@strawberry.type(description=(
    "How the process is behaving now: the latest point against its own phase's limits."))
class CurrentVariation:
    classification: Classification
    phase: int | None = strawberry.field(description="The latest point's phase.")
    limits_from: int | None = strawberry.field(description=(
        "The phase whose points gave its limits (an earlier one while its own phase is too "
        "short for limits of its own)."))
    centre: float | None
    lower: float | None = strawberry.field(description="XMR's lower limit (P and U limits "
                                                       "follow each point's denominator).")
    upper: float | None


def variation_of(stored: str, phases: Any) -> CurrentVariation:
    verdict = Classification(stored)
    latest = (parsed(phases) or [None])[-1]
    if latest is None:
        return CurrentVariation(classification=verdict, phase=None, limits_from=None,
                                centre=None, lower=None, upper=None)
    return CurrentVariation(classification=verdict, phase=latest["index"],
                            limits_from=latest["limitsFrom"], centre=finite(latest["centre"]),
                            lower=finite(latest["lower"]), upper=finite(latest["upper"]))


@strawberry.type(description=(
    "The effect of a change: the points after it judged against the limits in force before "
    "it. Recalculating the new phase's limits never changes it."))
class ChangeEffect:
    phase: int = strawberry.field(description="The phase the change began.")
    starts_on: date
    points: int = strawberry.field(description="How many points since the change.")
    baseline_phase: int | None = strawberry.field(description=(
        "The phase whose limits were in force before the change (null: none were)."))
    before_centre: float | None = strawberry.field(description="In the measure's unit.")
    before_lower: float | None = strawberry.field(description="XMR only.")
    before_upper: float | None = strawberry.field(description="XMR only.")
    after_centre: float | None
    difference: float | None = strawberry.field(description=(
        "After minus before, in the measure's unit."))
    unit: str
    verdict: EffectVerdict
    _measure: strawberry.Private[str]

    @strawberry.field(description="The rules that fired on the after-change points against "
                                  "the baseline's limits, current and as history.")
    async def signals(self, info: strawberry.Info[Context, None]) -> list[ChartSignal]:
        rows = await info.context.loaders.signals.load(UUID(self._measure))
        return [ChartSignal.of(r, info.context) for r in rows or []
                if r["evidence"] == "EFFECT" and r["phase"] == self.phase]


def effects_of(measure_id: str, unit: str, effects: Any) -> list[ChangeEffect]:
    return [ChangeEffect(phase=e["phase"], starts_on=date.fromisoformat(e["start"]),
                         points=e["points"], baseline_phase=e["baseline"],
                         before_centre=finite(e["beforeCentre"]),
                         before_lower=finite(e["beforeLower"]),
                         before_upper=finite(e["beforeUpper"]),
                         after_centre=finite(e["afterCentre"]),
                         difference=finite(e["difference"]), unit=unit,
                         verdict=EffectVerdict(e["verdict"]), _measure=measure_id)
            for e in parsed(effects) or []]


@strawberry.type(description=(
    "Whether the process, varying as it does now, will meet the target: the target against "
    "the latest point's limits."))
class Assurance:
    verdict: AssuranceVerdict
    target: float | None
    lower: float | None
    upper: float | None


def assurance_of(assurance: Any, target: float | None) -> Assurance:
    a = parsed(assurance)
    if not a:
        return Assurance(verdict=AssuranceVerdict.NO_TARGET if target is None else
                         AssuranceVerdict.INSUFFICIENT_DATA, target=finite(target), lower=None,
                         upper=None)
    return Assurance(verdict=AssuranceVerdict(a["verdict"]), target=finite(a["target"]),
                     lower=finite(a["lower"]), upper=finite(a["upper"]))
