"""Rule instances read in a measure's better direction: signals, and the class of a point.

The direction of a finding is its sign (above the centre or rising: +1) read against the
measure's better direction; a measure with no better direction (NEITHER) has signals that are
special cause, neither improvement nor concern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lifecycle.improvement.rules import RuleSet
from lifecycle.vocabulary import BetterDirection
from projections.improvement.limits import Point
from projections.improvement.rules import PRECEDENCE, Finding, Rule


class Classification(StrEnum):
    """A point's class (the Making Data Count variation icon when it is the latest point)."""

    SPECIAL_CAUSE_IMPROVEMENT = "SPECIAL_CAUSE_IMPROVEMENT"
    SPECIAL_CAUSE_CONCERN = "SPECIAL_CAUSE_CONCERN"
    SPECIAL_CAUSE_NEITHER = "SPECIAL_CAUSE_NEITHER"
    COMMON_CAUSE = "COMMON_CAUSE"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


class Direction(StrEnum):
    IMPROVEMENT = "IMPROVEMENT"
    CONCERN = "CONCERN"
    NEITHER = "NEITHER"  # the measure has no better direction


SPECIAL = {Direction.IMPROVEMENT: Classification.SPECIAL_CAUSE_IMPROVEMENT,
           Direction.CONCERN: Classification.SPECIAL_CAUSE_CONCERN,
           Direction.NEITHER: Classification.SPECIAL_CAUSE_NEITHER}


@dataclass(frozen=True)
class Signal:
    """One instance of a rule: the points (dates) that are part of it, the rule set that found
    it, the phase the points belong to, and `limits_from`, the phase whose points gave the
    limits they were judged against (the phase itself, an earlier one whose limits it carries,
    or, for the effect of a change, the baseline). `sign` is +1 above the centre or rising, -1
    below it or falling; `direction` reads it in the measure's better direction."""

    rule: Rule
    direction: Direction
    points: tuple[date, ...]
    rule_set: RuleSet
    phase: int
    limits_from: int
    sign: int


def direction_of(sign: int, better: BetterDirection) -> Direction:
    """Which way a finding of `sign` (+1 up, -1 down) points for a measure."""
    if better is BetterDirection.NEITHER:
        return Direction.NEITHER
    up_is_better = better is BetterDirection.HIGHER
    return Direction.IMPROVEMENT if (sign > 0) == up_is_better else Direction.CONCERN


def classify(part_of: Sequence[Finding], better: BetterDirection) -> Classification:
    """The class of a point that is part of `part_of` (at least one finding): the direction of
    the first by precedence, then the earliest instance (a turning point ends its first
    trend)."""
    decisive = min(part_of, key=lambda f: (PRECEDENCE.index(f.rule), f.indices[0]))
    return SPECIAL[direction_of(decisive.sign, better)]


def signals_of(findings: Sequence[Finding], members: Sequence[Point], better: BetterDirection,
               rules: RuleSet, phase: int, limits_from: int) -> list[Signal]:
    """The findings of one phase (indices into `members`) as signals."""
    return [Signal(f.rule, direction_of(f.sign, better), tuple(members[i].on for i in f.indices),
                   rules, phase, limits_from, f.sign) for f in findings]
