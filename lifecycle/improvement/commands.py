"""The commands about measures: define one for an innovation (with its rule set and target),
record, correct and withdraw observations, set the target, start a phase."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

import orjson

from lifecycle import validation as v
from lifecycle.checks import Day, Name, OptionalName, ShortProse
from lifecycle.command import Command, _plain
from lifecycle.errors import ValidationFailed
from lifecycle.improvement.refusals import InvalidRuleSet
from lifecycle.improvement.rules import MAKING_DATA_COUNT, RuleSet
from lifecycle.innovations.commands import InnovationCommand
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
)


class DefineMeasure(InnovationCommand):
    # It reads the innovation, and changes only the measure it creates.
    address: ClassVar[str | None] = None
    name: Name
    unit: Name
    better: BetterDirection
    chart: ChartType
    site: OptionalName = None
    rule_set: RuleSet | None = None  # None: Making Data Count's
    target: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.rule_set == MAKING_DATA_COUNT:
            self._set("rule_set", None)

    def fingerprint(self) -> str:
        """As every command's, but a rule set and a target are left out when not given, so a
        request made before they could be chosen keeps the fingerprint it was stored with."""
        fields: dict[str, Any] = dataclasses.asdict(self)
        for later in ("rule_set", "target"):
            if fields[later] is None:
                del fields[later]
        if self.rule_set is not None:
            fields["rule_set"] = self.rule_set.describe()
        raw = orjson.dumps({"command": type(self).__name__, **fields}, default=_plain,
                           option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(raw).hexdigest()


def rule_set(name: str | None = None, **lengths: Any) -> RuleSet:
    """Making Data Count's rule set with the settings given (``shift_length``,
    ``trend_length``, ``multiplier``, ``screen_moving_ranges``, ``minimum_points``,
    ``two_of_three``; None keeps the default). A rule set that differs from the default and is
    not named is "custom". Raises ValidationFailed (field ``rule_set``) for settings that make
    no sense (``RuleSet``'s checks)."""
    given = {k: v for k, v in lengths.items() if v is not None}
    try:
        rules = dataclasses.replace(MAKING_DATA_COUNT, **given)
        if name is not None or rules != MAKING_DATA_COUNT:
            rules = dataclasses.replace(rules, name=name if name is not None else "custom")
    except InvalidRuleSet as refused:
        raise ValidationFailed("rule_set", str(refused)) from None
    except TypeError:
        raise ValidationFailed("rule_set", f"the settings are {sorted(_SETTINGS)}") from None
    return rules


_SETTINGS = ("shift_length", "trend_length", "multiplier", "screen_moving_ranges",
             "minimum_points", "two_of_three")


@dataclass(frozen=True)
class ObservationInput:
    on: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


class MeasureCommand(Command):
    """A command addressed to one existing measure."""

    address: ClassVar[str | None] = "measure_id"
    measure_id: UUID


class RecordObservations(MeasureCommand):
    observations: tuple[ObservationInput, ...]

    def __post_init__(self) -> None:
        dates = [v.day("observations", o.on) for o in self.observations]
        if len(set(dates)) != len(dates):
            raise ValidationFailed("observations", "a date appears twice in one batch")


class CorrectObservation(MeasureCommand):
    """Replace the numbers recorded for a date (an XmR value, or a p or u numerator and
    denominator), saying why."""

    observation: ObservationInput
    reason: ShortProse

    def __post_init__(self) -> None:
        v.day("on", self.observation.on)
        super().__post_init__()


class WithdrawObservation(MeasureCommand):
    """Withdraw the observation recorded for a date (it should not have been), saying why."""

    on: Day
    reason: ShortProse


class SetMeasureTarget(MeasureCommand):
    """Set the measure's target, in its unit (None: no target), saying why."""

    target: float | None
    reason: ShortProse


class StartPhase(MeasureCommand):
    starts_on: Day
    description: ShortProse
    reason: ShortProse
