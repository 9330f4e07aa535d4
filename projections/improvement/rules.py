"""Special-cause rules (NHS "Making Data Count"): which runs of points in one phase are signals.

The rules see one phase at a time, so no run (shift, trend or two of three) crosses a change date:
the phase is the process being judged, and Making Data Count evaluates runs within it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from lifecycle.improvement.rules import RuleSet


class Rule(StrEnum):
    """The special-cause rules, in their order of precedence when they classify a point."""

    OUTSIDE_LIMITS = "OUTSIDE_LIMITS"
    TREND = "TREND"
    TWO_OF_THREE = "TWO_OF_THREE"
    SHIFT = "SHIFT"


PRECEDENCE = tuple(Rule)


@dataclass(frozen=True)
class Plotted:
    """A phase's points as the rules see them: each value against the phase's centre, each
    point's limits as drawn (the same for every point of an XmR phase; per point for p and u,
    clipped to what can occur) and where each point's near-limit zones begin, as parallel lists
    so that the rules run over plain floats.

    The zones begin two thirds of the way from the centre to the unclipped limit (two standard
    errors for p and u), so a clipped limit never pulls a zone towards the centre.
    """

    values: Sequence[float]
    centre: float
    lower: Sequence[float]
    upper: Sequence[float]
    near_lower: Sequence[float]
    near_upper: Sequence[float]

    def sides(self) -> list[int]:
        """+1 above the centre, -1 below, 0 exactly on it."""
        centre = self.centre
        return [(v > centre) - (v < centre) for v in self.values]

    def near_limit(self) -> list[bool]:
        """In a zone: from where it begins up to the limit, both inclusive. A point beyond the
        limit is not near it; the first rule catches it."""
        centre = self.centre
        near = []
        for value, lower, upper, near_lower, near_upper in zip(
                self.values, self.lower, self.upper, self.near_lower, self.near_upper,
                strict=True):
            if centre < value <= upper:
                near.append(value >= near_upper)
            elif lower <= value < centre:
                near.append(value <= near_lower)
            else:
                near.append(False)
        return near


@dataclass(frozen=True)
class Finding:
    """One instance of a rule: the points (indices within the phase) that are part of it, and
    which way it points (+1 above the centre or rising, -1 below the centre or falling)."""

    rule: Rule
    sign: int
    indices: tuple[int, ...]


def find(points: Plotted, rules: RuleSet) -> list[Finding]:
    """Every rule instance in one phase, in order of its first point (then of precedence)."""
    sides = points.sides()
    found = [*outside_limits(points), *trends(points.values, rules.trend_length),
             *shifts(sides, rules.shift_length)]
    if rules.two_of_three:
        found.extend(two_of_three(sides, points.near_limit()))
    return sorted(found, key=lambda f: (f.indices[0], PRECEDENCE.index(f.rule)))


def outside_limits(points: Plotted) -> list[Finding]:
    """Each point strictly beyond a limit (a point on the limit is inside)."""
    return [Finding(Rule.OUTSIDE_LIMITS, 1 if value > upper else -1, (i,))
            for i, (value, lower, upper) in enumerate(zip(points.values, points.lower,
                                                           points.upper, strict=True))
            if value > upper or value < lower]


def shifts(sides: Sequence[int], length: int) -> list[Finding]:
    """Runs of `length` or more points all above or all below the centre; a point on the
    centre (side 0) breaks a run and is never part of one."""
    return [Finding(Rule.SHIFT, sign, tuple(range(first, last + 1)))
            for sign, first, last in _runs(sides, length)]


def trends(values: Sequence[float], length: int) -> list[Finding]:
    """Runs of `length` or more points each strictly above (or below) the one before; an equal
    value breaks a trend. Two opposite trends can share their turning point."""
    steps = [(b > a) - (b < a) for a, b in pairwise(values)]
    # A run of k steps joins k + 1 points, from the first step's start to the last step's end.
    return [Finding(Rule.TREND, sign, tuple(range(first, last + 2)))
            for sign, first, last in _runs(steps, length - 1)]


def two_of_three(sides: Sequence[int], near_limit: Sequence[bool]) -> list[Finding]:
    """Three consecutive points on one side of the centre with at least two near the limit.

    Overlapping windows that trigger are one instance. Its points are those near the limit
    (as Making Data Count highlights them); the third point of a window only had to be on the
    same side.
    """
    found: list[Finding] = []
    marked: set[int] = set()
    sign = 0
    last = -3
    for i in range(len(sides) - 2):
        side = sides[i]
        if side == 0 or sides[i + 1] != side or sides[i + 2] != side:
            continue
        near = [k for k in (i, i + 1, i + 2) if near_limit[k]]
        if len(near) < 2:
            continue
        if marked and i - last > 2:
            found.append(Finding(Rule.TWO_OF_THREE, sign, tuple(sorted(marked))))
            marked = set()
        marked.update(near)
        sign, last = side, i
    if marked:
        found.append(Finding(Rule.TWO_OF_THREE, sign, tuple(sorted(marked))))
    return found


def _runs(signs: Sequence[int], length: int) -> Iterator[tuple[int, int, int]]:
    """Maximal runs of one non-zero sign at least `length` long, as (sign, first, last)."""
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                yield signs[start], start, i - 1
            start = i
