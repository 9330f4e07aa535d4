"""The effect of a change: the points after it judged against the limits in force before it.

This is the lasting answer to "did the change improve things?". The current variation judges
the latest points against their own phase's limits once the phase has enough points, and then
the new normal is common cause; the effect keeps judging the phase's points against the limits
before the change, so recalculating the new phase's limits never changes it (docs/statistics.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lifecycle.improvement.rules import RuleSet
from lifecycle.vocabulary import BetterDirection, ChartType
from projections.improvement.limits import Basis, Point, centre_of, plot
from projections.improvement.rules import find
from projections.improvement.signals import Direction, Signal, direction_of, signals_of


class EffectVerdict(StrEnum):
    """Whether the process after a change differs from before it, and which way."""

    IMPROVEMENT = "IMPROVEMENT"
    CONCERN = "CONCERN"
    CHANGE = "CHANGE"  # it differs, but no side is better (or both sides, with equal centres)
    NO_DETECTABLE_CHANGE = "NO_DETECTABLE_CHANGE"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


@dataclass(frozen=True)
class Effect:
    """The effect of the change that began phase `phase` (on `start`), over its `n_points`.

    `baseline` is the phase whose points gave the limits in force before the change (the phase
    before, or the earlier phase whose limits it carried; None when there were none). The
    after-change points are judged against those limits: `signals` are the rules that fired,
    each with `phase` this phase and `limits_from` the baseline. `before_centre` is the
    baseline's centre line, `after_centre` this phase's own (its mean, or pooled proportion or
    rate, whatever its number of points) and `difference` is after minus before, in the
    measure's unit. `before_lower` and `before_upper` are the baseline's XmR limits (None for p
    and u, whose limits follow each point's denominator).
    """

    phase: int
    start: date
    n_points: int
    baseline: int | None
    before_centre: float | None
    before_lower: float | None
    before_upper: float | None
    after_centre: float
    difference: float | None
    verdict: EffectVerdict
    signals: tuple[Signal, ...]


def effect_of(phase: int, start: date, members: Sequence[Point], before: Basis | None,
              chart: ChartType, better: BetterDirection, rules: RuleSet) -> Effect:
    """Judge a phase's points (`members`, at least one) against the limits in force before it.

    The verdict: INSUFFICIENT_DATA with no limits before the change; with signals, the
    direction they point (IMPROVEMENT or CONCERN), CHANGE for a measure with no better
    direction; with signals both ways, the way the centre line moved (CHANGE if it did not);
    with none, NO_DETECTABLE_CHANGE once there are at least a shift's length of points (enough
    for a sustained change to show), INSUFFICIENT_DATA before that.
    """
    after = centre_of(chart, members)
    if before is None:
        return Effect(phase, start, len(members), None, None, None, None, float(after), None,
                      EffectVerdict.INSUFFICIENT_DATA, ())
    plotted = plot(chart, before, members, rules)
    signals = signals_of(find(plotted, rules), members, better, rules, phase, before.phase)
    difference = after - before.centre
    xmr = before.mean_moving_range is not None
    return Effect(
        phase, start, len(members), before.phase, float(before.centre),
        plotted.lower[0] if xmr else None, plotted.upper[0] if xmr else None, float(after),
        float(difference), _verdict(signals, difference.numerator, better, len(members), rules),
        tuple(signals))


def _verdict(signals: Sequence[Signal], moved: int, better: BetterDirection, n_points: int,
             rules: RuleSet) -> EffectVerdict:
    """`moved` has the sign of after minus before."""
    directions = {s.direction for s in signals}
    if not directions:
        if n_points >= rules.shift_length:
            return EffectVerdict.NO_DETECTABLE_CHANGE
        return EffectVerdict.INSUFFICIENT_DATA
    if len(directions) == 2 and moved:  # signals both ways: the way the level moved decides
        directions = {direction_of(moved, better)}
    if directions == {Direction.IMPROVEMENT}:
        return EffectVerdict.IMPROVEMENT
    if directions == {Direction.CONCERN}:
        return EffectVerdict.CONCERN
    return EffectVerdict.CHANGE
