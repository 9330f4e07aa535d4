"""Signals, once reported, are history: a recalculation adds to what was reported, never
silently removes it.

An analysis finds the signals of the data and limits as they are now; recalculated limits (a
new phase reaching enough points, a point added to a phase that has its own limits), a changed
rule set or corrected data can make an earlier signal disappear from it. `merge_history` keeps
every signal ever reported: those the latest analysis finds are current, the others stay as
history, marked not current. A signal that grew (a shift of 7 that is now a shift of 8) is
continued by the larger one, not kept twice. The same merge serves the current signals and the
signals of a change's effect (docs/statistics.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from projections.improvement.rules import PRECEDENCE
from projections.improvement.signals import Signal


@dataclass(frozen=True)
class ReportedSignal:
    """A signal as reported: `current` when the latest analysis finds it (or a continuation of
    it); otherwise it was found by an earlier analysis, against limits or data since changed,
    and is kept as history."""

    signal: Signal
    current: bool


def merge_history(reported: Iterable[ReportedSignal],
                  found: Sequence[Signal]) -> tuple[ReportedSignal, ...]:
    """Every signal of `found` (the latest analysis), current, and every signal of `reported`
    that none of them continues, not current; in order of phase, first point and precedence.

    A signal continues an earlier one when it is the same rule, sign, direction, phase, limits
    phase and rule set, and its points include all of the earlier one's. Merging the same
    analysis twice gives the same history.
    """
    by_kind: dict[tuple[object, ...], list[Signal]] = {}
    for signal in found:
        by_kind.setdefault(_kind(signal), []).append(signal)
    kept: dict[Signal, ReportedSignal] = {s: ReportedSignal(s, True) for s in found}
    for earlier in reported:
        signal = earlier.signal
        if signal in kept:
            continue
        points = set(signal.points)
        if not any(points.issubset(later.points) for later in by_kind.get(_kind(signal), ())):
            kept[signal] = ReportedSignal(signal, False)
    return tuple(sorted(kept.values(), key=_order))


def _kind(s: Signal) -> tuple[object, ...]:
    return s.rule, s.sign, s.direction, s.phase, s.limits_from, s.rule_set


def _order(r: ReportedSignal) -> tuple[object, ...]:
    s = r.signal
    # Ties beyond these (the same points under another rule set) keep their order: current
    # first, then as reported.
    return (s.phase, s.points[0], PRECEDENCE.index(s.rule), s.points[-1], s.limits_from, s.sign,
            not r.current)
