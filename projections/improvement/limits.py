"""How a phase's points are plotted: the input check, the split into phases, the centre and the
mean moving range (exactly), and each point's limits and near-limit zones.

Centres, moving ranges, the screen and XmR limits are computed in exact rational arithmetic and
rounded once, so a constant series has limits exactly equal to its mean; the multiplier is taken
as the decimal it is written as (2.66 is 133/50). p and u limits are three standard errors,
clipped to [0, 1] for p and at 0 for u; their near-limit zones begin at two standard errors,
whatever the clipping (docs/statistics.md).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from lifecycle.improvement.refusals import InvalidSeries, OutOfRange
from lifecycle.improvement.rules import RuleSet
from lifecycle.magnitude import out_of_range
from lifecycle.vocabulary import ChartType
from projections.improvement.rules import Plotted

SCREEN = Fraction("3.267")  # screened out: a moving range above this times the mean
SIGMAS = 3  # p and u limits are three standard errors from the centre
NEAR = Fraction(2, 3)  # a zone begins two thirds of the way from the centre to the limit
ZONE = float(NEAR * SIGMAS)  # so p and u zones begin two standard errors from the centre


class Point(NamedTuple):
    """An observation: a value (XmR) or a numerator over a denominator (p and u)."""

    on: date
    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Basis:
    """What limits are computed from, exactly: the phase whose points gave them, its centre,
    and (XmR) its mean moving range."""

    phase: int
    centre: Fraction
    mean_moving_range: Fraction | None


def check(points: Sequence[Point], chart: ChartType) -> None:
    """Refuse a series the statistics cannot judge. Raises InvalidSeries for points out of date
    order or p and u points without valid counts, and OutOfRange for numbers whose statistics
    would not be finite (the bound is `lifecycle.magnitude`'s, the one the write side applies)."""
    for before, after in pairwise(points):
        if after.on <= before.on:
            raise InvalidSeries(f"points must be in date order, one per date ({after.on})")
    isfinite = math.isfinite
    if chart is ChartType.XMR:
        for p in points:
            if not isfinite(p.value):
                raise InvalidSeries(f"an XmR point needs a finite value ({p.on})")
        # The bound is an interval: if the extremes are within it, every point is.
        if points and (out_of_range(chart, min(p.value for p in points), None, None)
                       or out_of_range(chart, max(p.value for p in points), None, None)):
            _refuse_out_of_range(points, chart)
        return
    proportion = chart is ChartType.P
    largest_numerator, denominators = 0.0, []
    for p in points:
        numerator, denominator = p.numerator, p.denominator
        if numerator is None or denominator is None:
            raise InvalidSeries(f"a p or u point needs a numerator and a denominator ({p.on})")
        if not (isfinite(numerator) and isfinite(denominator)) \
                or numerator < 0 or denominator <= 0:
            raise InvalidSeries(f"a {chart.value} point needs a numerator of at least 0 and a "
                                f"positive denominator ({p.on})")
        if proportion and numerator > denominator:
            raise InvalidSeries(f"a proportion's numerator cannot exceed its denominator "
                                f"({p.on})")
        largest_numerator = max(largest_numerator, numerator)
        denominators.append(denominator)
    if points and (out_of_range(chart, None, largest_numerator, min(denominators))
                   or out_of_range(chart, None, None, max(denominators))):
        _refuse_out_of_range(points, chart)


def _refuse_out_of_range(points: Sequence[Point], chart: ChartType) -> None:
    """Raise OutOfRange naming the first point out of range."""
    for p in points:
        if problem := out_of_range(chart, p.value if chart is ChartType.XMR else None,
                                   p.numerator, p.denominator):
            raise OutOfRange(f"{problem} ({p.on})")


def split(points: Sequence[Point], phase_starts: Sequence[date]) -> list[tuple[date, list[Point]]]:
    """The points of each phase (those on or after its start and before the next one's), with
    the phase's start; phases with no points are left out. Points are in date order, so each
    phase is a slice found by bisection."""
    starts = sorted(set(phase_starts))
    ons = [p.on for p in points]
    bounds = [0, *(bisect_left(ons, start) for start in starts), len(points)]
    phases = []
    for passed, (first, end) in enumerate(pairwise(bounds)):
        if first < end:
            members = list(points[first:end])
            phases.append((starts[passed - 1] if passed else members[0].on, members))
    return phases


def _scaled(values: Sequence[float]) -> tuple[list[int], int]:
    """Floats as integers over one common power-of-two denominator: exact, and summed with
    integer arithmetic instead of one Fraction addition (and gcd) per value."""
    ratios = [v.as_integer_ratio() for v in values]
    common = max((d for _, d in ratios), default=1)
    return [n * (common // d) for n, d in ratios], common


def centre_of(chart: ChartType, members: Sequence[Point]) -> Fraction:
    """The centre line of one or more points, exactly: their mean (XmR), or the pooled
    proportion or rate, all numerators over all denominators (p and u)."""
    if chart is not ChartType.XMR:  # check has made sure each has both counts
        numerators, n_scale = _scaled([float(p.numerator) for p in members])  # type: ignore[arg-type]
        denominators, d_scale = _scaled([float(p.denominator) for p in members])  # type: ignore[arg-type]
        return Fraction(sum(numerators) * d_scale, sum(denominators) * n_scale)
    values, scale = _scaled([p.value for p in members])
    return Fraction(sum(values), scale * len(values))


def basis(index: int, members: Sequence[Point], chart: ChartType, rules: RuleSet) -> Basis:
    """The limits phase `index` draws from its own points (at least 2 of them)."""
    if chart is not ChartType.XMR:
        return Basis(index, centre_of(chart, members), None)
    values, scale = _scaled([p.value for p in members])
    ranges = [abs(b - a) for a, b in pairwise(values)]
    mean_range = Fraction(sum(ranges), scale * len(ranges))
    if rules.screen_moving_ranges:
        kept = [r for r in ranges if Fraction(r, scale) <= SCREEN * mean_range]
        mean_range = Fraction(sum(kept), scale * len(kept))
    return Basis(index, Fraction(sum(values), scale * len(values)), mean_range)


def plot(chart: ChartType, basis: Basis, members: Sequence[Point], rules: RuleSet) -> Plotted:
    """Plot points against a basis; the exact work is done once per phase, not per point (the
    standard errors of p and u involve a square root, so are floats anyway)."""
    centre = float(basis.centre)
    n = len(members)
    if basis.mean_moving_range is not None:
        half = _exactly(rules.multiplier) * basis.mean_moving_range
        return Plotted([p.value for p in members], centre,
                       [float(basis.centre - half)] * n, [float(basis.centre + half)] * n,
                       [float(basis.centre - NEAR * half)] * n,
                       [float(basis.centre + NEAR * half)] * n)
    sqrt = math.sqrt
    if chart is ChartType.P:
        spread = float(basis.centre * (1 - basis.centre))
        errors = [sqrt(spread / p.denominator) for p in members]  # type: ignore[operator]
        uppers = [u if (u := centre + SIGMAS * e) < 1.0 else 1.0 for e in errors]
    else:
        errors = [sqrt(centre / p.denominator) for p in members]  # type: ignore[operator]
        uppers = [centre + SIGMAS * e for e in errors]
    # Clipped at zero (as max(0.0, limit) would, written out: this runs once a point).
    lowers = [lo if (lo := centre - SIGMAS * e) > 0.0 else 0.0 for e in errors]
    # The zones are two standard errors out, unclipped: a clipped limit would pull them towards
    # the centre, until every zero week of a rare event was "near the limit".
    return Plotted(values(chart, members), centre, lowers, uppers,
                   [centre - ZONE * e for e in errors], [centre + ZONE * e for e in errors])


@cache
def _exactly(multiplier: float) -> Fraction:
    """The multiplier as the decimal it is written as (2.66 is 133/50, not the float nearest)."""
    return Fraction(str(multiplier))


def values(chart: ChartType, points: Sequence[Point]) -> list[float]:
    """Each point's plotted value: its own (XmR), or its numerator over its denominator (p
    and u; check has made sure each has both)."""
    if chart is ChartType.XMR:
        return [p.value for p in points]
    return [p.numerator / p.denominator for p in points]  # type: ignore[operator]
