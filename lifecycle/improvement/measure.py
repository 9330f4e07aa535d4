"""A measure of improvement for an innovation at a site, and its dated observations.

Statistical process control happens on the read side; here the facts are kept: the definition,
each observation, and each judgement that a change was introduced (a new phase, with who and why).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, NoFingerprint, stable_name, topic
from lifecycle.errors import InvalidState, ValidationFailed
from lifecycle.magnitude import out_of_range
from lifecycle.vocabulary import ChartType

MAX_BATCH = 5_000


@dataclass(frozen=True)
class Observation:
    on: date
    value: float
    numerator: float | None = None
    denominator: float | None = None

    def record(self) -> dict[str, Any]:
        return {"on": self.on, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator}

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
    class MeasureDefined(NoFingerprint, LifecycleAggregate.Created):
        TOPIC = topic("MeasureDefined")
        innovation_id: UUID
        organisation_id: UUID
        site: str | None
        name: str
        unit: str
        better: str
        chart: str
        def apply(self, agg: Measure) -> None:
            agg.innovation_id = self.innovation_id
            agg.organisation_id = self.organisation_id
            agg.site = self.site
            agg.name = self.name
            agg.unit = self.unit
            agg.better = self.better
            agg.chart = ChartType(self.chart)

    class ObservationsRecorded(LifecycleAggregate.Event):
        TOPIC = topic("ObservationsRecorded")
        observations: list[dict[str, Any]]

        def apply(self, agg: Measure) -> None:
            for o in self.observations:
                agg.observations[o["on"]] = o["value"]

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
    observations: dict[date, float]
    phases: list[date]

    def __init__(self) -> None:
        self.observations = {}
        self.phases = []

    @classmethod
    def define(cls, ctx: CommandContext, ident: UUID, *, innovation_id: UUID,
               organisation_id: UUID, site: str | None, name: str, unit: str, better: str,
               chart: str) -> Measure:
        return cls._begin(cls.MeasureDefined, ctx, ident, innovation_id=innovation_id,
                          organisation_id=organisation_id, site=site, name=name, unit=unit,
                          better=better, chart=chart)

    def record_observations(self, ctx: CommandContext, batch: list[Observation]) -> int:
        """Record the batch's new points; return how many were new.

        A point already recorded with the same value is skipped, so a repeated batch adds
        nothing; a different value for a recorded date is refused (it would rewrite history).
        """
        if not batch:
            raise ValidationFailed("observations", "must not be empty")
        if len(batch) > MAX_BATCH:
            raise ValidationFailed("observations", f"at most {MAX_BATCH} in one batch")
        fresh: dict[date, Observation] = {}
        for o in batch:
            known = self.observations.get(o.on, fresh[o.on].value if o.on in fresh else None)
            if known is None:
                fresh[o.on] = o
            elif not math.isclose(known, o.value, rel_tol=0, abs_tol=1e-12):
                raise ValidationFailed(
                    f"observations[{o.on.isoformat()}]",
                    f"a different value ({known}) is already recorded for this date",
                )
        if fresh:
            self._record(self.ObservationsRecorded, ctx,
                         observations=[o.record() for o in sorted(fresh.values(),
                                                                  key=lambda o: o.on)])
        return len(fresh)

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
