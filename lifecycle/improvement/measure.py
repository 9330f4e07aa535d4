"""A measure of improvement for an innovation at a site, and its dated observations.

Statistical process control happens on the read side; here the facts are kept: the definition
(with the rule set its charts are judged by and an optional target), each observation as
recorded, each correction or withdrawal of one (with who and why), each change of target, and
each judgement that a change was introduced (a new phase, with who and why).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, stable_name, topic
from lifecycle.errors import InvalidState, ValidationFailed
from lifecycle.improvement.rules import MAKING_DATA_COUNT
from lifecycle.magnitude import LARGEST, out_of_range, target_out_of_range
from lifecycle.vocabulary import BetterDirection, ChartType

MAX_BATCH = 5_000


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@dataclass(frozen=True)
class Observation:
    on: date
    value: float
    numerator: float | None = None
    denominator: float | None = None

    def record(self) -> dict[str, Any]:
        return {"on": self.on, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator}

    def same_as(self, other: Observation) -> bool:
        """Whether two observations of a date record the same numbers: the value of an XmR
        point, the numerator and the denominator of a p or u point (not their ratio, which
        0/20 and 0/25 share). Equal but for float rounding counts as the same."""
        if self.denominator is None or other.denominator is None:
            return _close(self.value, other.value) and self.denominator == other.denominator
        return (_close(self.numerator, other.numerator)
                and _close(self.denominator, other.denominator))

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> Observation:
        """The observation an event recorded (``record``'s inverse)."""
        return cls(record["on"], record["value"], record["numerator"], record["denominator"])

    @classmethod
    def checked(cls, chart: ChartType, on: date, value: float | None, numerator: float | None,
                denominator: float | None) -> Observation:
        """Validate an observation for the measure's chart type; p and u derive their value."""
        where = f"observations[{on.isoformat()}]"
        if chart is ChartType.XMR:
            if value is None or not math.isfinite(value):
                raise ValidationFailed(where, "an XmR observation needs a finite value")
            if problem := out_of_range(chart, value, None, None):
                raise ValidationFailed(where, problem)
            return cls(on, float(value))
        if numerator is None or denominator is None:
            raise ValidationFailed(where, f"a {chart.value} observation needs a numerator and "
                                          "a denominator")
        if not math.isfinite(numerator):
            raise ValidationFailed(where, "the numerator must be a finite number")
        if not math.isfinite(denominator) or denominator <= 0:
            raise ValidationFailed(where, "the denominator must be a positive number")
        if numerator < 0:
            raise ValidationFailed(where, "the numerator must not be negative")
        if chart is ChartType.P and numerator > denominator:
            raise ValidationFailed(where, "a proportion's numerator cannot exceed its denominator")
        if problem := out_of_range(chart, None, numerator, denominator):
            raise ValidationFailed(where, problem)
        return cls(on, numerator / denominator, float(numerator), float(denominator))


@stable_name("Measure")
class Measure(LifecycleAggregate):
    class MeasureDefined(LifecycleAggregate.Created):
        """A measure was defined. Version 2 records the rule set its charts are judged by (as
        ``RuleSet.describe`` gives it) and its optional target; a version 1 event, stored before
        either could be chosen, was judged by Making Data Count's rules with no target, and
        recorded the request's fingerprint (kept with the idempotency key, never read)."""

        TOPIC = topic("MeasureDefined")
        class_version = 2
        innovation_id: UUID
        organisation_id: UUID
        site: str | None
        name: str
        unit: str
        better: str
        chart: str
        rule_set: dict[str, Any]
        target: float | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.pop("request_fingerprint", None)
            state["rule_set"] = MAKING_DATA_COUNT.describe()
            state["target"] = None

        def apply(self, agg: Measure) -> None:
            self.keep(agg, "innovation_id", "organisation_id", "site", "name", "unit", "better",
                      "target")
            agg.chart = ChartType(self.chart)
            agg.rule_set = dict(self.rule_set)

    class ObservationsRecorded(LifecycleAggregate.Event):
        TOPIC = topic("ObservationsRecorded")
        observations: list[dict[str, Any]]

        def apply(self, agg: Measure) -> None:
            for o in self.observations:
                agg.observations[o["on"]] = Observation.of_record(o)

    class ObservationCorrected(LifecycleAggregate.Event):
        """A recorded observation's numbers were corrected: ``observation`` as it now is,
        ``was`` as it had been recorded, and why."""

        TOPIC = topic("ObservationCorrected")
        observation: dict[str, Any]
        was: dict[str, Any]
        reason: str

        def apply(self, agg: Measure) -> None:
            corrected = Observation.of_record(self.observation)
            agg.observations[corrected.on] = corrected

    class ObservationWithdrawn(LifecycleAggregate.Event):
        """A recorded observation was withdrawn (it should not have been recorded): ``was`` as
        it had been recorded, and why. The date may be recorded again."""

        TOPIC = topic("ObservationWithdrawn")
        on: date
        was: dict[str, Any]
        reason: str

        def apply(self, agg: Measure) -> None:
            agg.observations.pop(self.on, None)

    class TargetSet(LifecycleAggregate.Event):
        """The measure's target (in its unit; None: no target) was set, and why."""

        TOPIC = topic("TargetSet")
        target: float | None
        reason: str

        def apply(self, agg: Measure) -> None:
            agg.target = self.target

    class PhaseStarted(LifecycleAggregate.Event):
        TOPIC = topic("PhaseStarted")
        starts_on: date
        description: str
        reason: str

        def apply(self, agg: Measure) -> None:
            agg.phases.append(self.starts_on)

    innovation_id: UUID
    organisation_id: UUID
    site: str | None
    name: str
    unit: str
    better: str
    chart: ChartType
    rule_set: dict[str, Any]
    target: float | None
    observations: dict[date, Observation]
    phases: list[date]

    def __init__(self) -> None:
        self.observations = {}
        self.phases = []

    @classmethod
    def define(cls, ctx: CommandContext, ident: UUID, *, innovation_id: UUID,
               organisation_id: UUID, site: str | None, name: str, unit: str, better: str,
               chart: str,
               rule_set: dict[str, Any] | None = None, target: float | None = None) -> Measure:
        """Define a measure judged by ``rule_set`` (a ``RuleSet.describe()``; None: Making Data
        Count's) with an optional ``target`` (checked by ``check_target``)."""
        check_target(target, BetterDirection(better))
        return cls._begin(cls.MeasureDefined, ctx, ident, innovation_id=innovation_id,
                          organisation_id=organisation_id, site=site, name=name, unit=unit,
                          better=better, chart=chart,
                          rule_set=rule_set or MAKING_DATA_COUNT.describe(), target=target)

    def record_observations(self, ctx: CommandContext, batch: list[Observation]) -> int:
        """Record the batch's new points; return how many were new.

        A point already recorded with the same numbers (``Observation.same_as``: for p and u,
        the same numerator and denominator) is skipped, so a repeated batch adds nothing; other
        numbers for a recorded date are refused (that is a correction: ``correct_observation``).
        """
        if not batch:
            raise ValidationFailed("observations", "must not be empty")
        if len(batch) > MAX_BATCH:
            raise ValidationFailed("observations", f"at most {MAX_BATCH} in one batch")
        fresh: dict[date, Observation] = {}
        for o in batch:
            known = self.observations.get(o.on) or fresh.get(o.on)
            if known is None:
                fresh[o.on] = o
            elif not known.same_as(o):
                raise ValidationFailed(
                    f"observations[{o.on.isoformat()}]",
                    f"a different value ({_numbers(known)}) is already recorded for this date; "
                    "correct the observation instead",
                )
        if fresh:
            self._record(self.ObservationsRecorded, ctx,
                         observations=[o.record() for o in sorted(fresh.values(),
                                                                  key=lambda o: o.on)])
        return len(fresh)

    def correct_observation(self, ctx: CommandContext, corrected: Observation,
                            reason: str) -> None:
        """Replace the numbers recorded for ``corrected.on``. Raises ValidationFailed (field
        ``on``) when nothing is recorded for that date or the numbers are those recorded."""
        was = self._recorded(corrected.on)
        if was.same_as(corrected):
            raise ValidationFailed("on", "these numbers are the ones recorded; nothing to "
                                         "correct")
        self._record(self.ObservationCorrected, ctx, observation=corrected.record(),
                     was=was.record(), reason=reason)

    def withdraw_observation(self, ctx: CommandContext, on: date, reason: str) -> None:
        """Withdraw the observation recorded for ``on``. Raises ValidationFailed (field ``on``)
        when none is recorded for that date."""
        was = self._recorded(on)
        self._record(self.ObservationWithdrawn, ctx, on=on, was=was.record(), reason=reason)

    def set_target(self, ctx: CommandContext, target: float | None, reason: str) -> None:
        """Set (or, with None, remove) the target. Raises ValidationFailed for a target out of
        range, one for a measure with no better direction, or the target it already has."""
        check_target(target, BetterDirection(self.better))
        if target == self.target:
            raise ValidationFailed("target", "is the measure's target already")
        self._record(self.TargetSet, ctx, target=target, reason=reason)

    def _recorded(self, on: date) -> Observation:
        recorded = self.observations.get(on)
        if recorded is None:
            raise ValidationFailed("on", f"no observation is recorded for {on.isoformat()}")
        return recorded

    def start_phase(self, ctx: CommandContext, *, starts_on: date, description: str,
                    reason: str) -> None:
        """Mark that a change was introduced (or limits are to be recalculated) from a date."""
        if self.phases and starts_on <= self.phases[-1]:
            raise InvalidState(
                f"a phase already starts on {self.phases[-1].isoformat()}; "
                "a new phase must start after it"
            )
        self._record(self.PhaseStarted, ctx, starts_on=starts_on, description=description,
                     reason=reason)


def check_target(target: float | None, better: BetterDirection) -> None:
    """Raises ValidationFailed (field ``target``) for a target that is not a finite number
    within ``lifecycle.magnitude``'s bound, or any target of a measure with no better direction
    (no side of it passes): the statistics' own check (``projections.improvement.assurance``)."""
    if target is None:
        return
    if not math.isfinite(target) or target_out_of_range(target):
        raise ValidationFailed("target", f"a target must be a number between -{LARGEST:g} "
                                         f"and {LARGEST:g}")
    if better is BetterDirection.NEITHER:
        raise ValidationFailed("target", "a measure with no better direction cannot have a "
                                         "target: no side of it passes")


def _numbers(o: Observation) -> str:
    if o.denominator is None:
        return f"{o.value}"
    return f"{o.numerator:g} out of {o.denominator:g}"
