"""Can we say that improvement has happened? Statistical process control, as NHS "Making Data
Count" teaches it, as pure functions: `analyse` is the entry point.

Where docs/domain.md leaves room, these are the choices:
- Phases. Each phase start date begins a phase that includes that date; the first phase (the
  baseline) starts at the first point. A phase with no points is left out, so `Phase.index` and
  `Signal.phase` count only phases with points; `Phase.start` names the change date.
- Limits. A phase with at least `minimum_points` points has limits computed on its own points.
  A shorter later phase keeps the limits of the phase before it (Making Data Count extends the
  baseline limits until there is enough data to recalculate, which is how a change shows up as a
  signal); a short first phase has no limits and its points are INSUFFICIENT_DATA, with no
  signals. For p and u charts "keeps the limits" means the centre; the per-point limits still
  follow each point's own denominator.
- Exactness. Centres, moving ranges, the screen and XmR limits are computed in exact rational
  arithmetic and rounded once, so a constant series has limits exactly equal to its mean; the
  multiplier is taken as the decimal it is written as (2.66 is 133/50). Points are compared with
  the rounded numbers reported, so a reader can check every classification against them.
- p and u. A point's value is its numerator / denominator (`Point.value` is not used); the limits
  are three standard errors, clipped to [0, 1] for p and at 0 for u, and the two-of-three zone is
  measured to the clipped limit, the limit drawn.
- Rules. Runs stay within a phase. The two-of-three zone includes both its edges; its signal
  names the points near the limit. A turning point in two opposite trends takes the direction of
  the trend it ends.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import NamedTuple

from lifecycle.vocabulary import BetterDirection, ChartType
from projections.improvement.rules import (
    IHI_RUN_CHART,
    MAKING_DATA_COUNT,
    PRECEDENCE,
    Finding,
    Plotted,
    Rule,
    RuleSet,
    find,
)

__all__ = [
    "IHI_RUN_CHART", "MAKING_DATA_COUNT", "Analysis", "BetterDirection", "ChartType",
    "Classification", "Direction", "Phase", "Point", "PointResult", "Rule", "RuleSet", "Signal",
    "Summary", "analyse", "summarise",
]

SCREEN = Fraction("3.267")  # screened out: a moving range above this times the mean
SIGMAS = 3  # p and u limits are three standard errors from the centre


class Classification(StrEnum):
    SPECIAL_CAUSE_IMPROVEMENT = "SPECIAL_CAUSE_IMPROVEMENT"
    SPECIAL_CAUSE_CONCERN = "SPECIAL_CAUSE_CONCERN"
    COMMON_CAUSE = "COMMON_CAUSE"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


class Direction(StrEnum):
    IMPROVEMENT = "IMPROVEMENT"
    CONCERN = "CONCERN"


class Point(NamedTuple):
    """An observation: a value (XmR) or a numerator over a denominator (p and u)."""

    on: date
    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Phase:
    """A stretch of the series between change dates, and the limits its points are judged by.

    `limits_from` is the phase whose points gave the limits: itself when recalculated, an
    earlier phase when carried forward, None when there is insufficient data. `lower`, `upper`
    and `mean_moving_range` are for XmR; p and u limits differ per point (see `PointResult`).
    """

    index: int
    start: date
    n_points: int
    insufficient_data: bool
    limits_from: int | None
    centre: float | None
    lower: float | None
    upper: float | None
    mean_moving_range: float | None


class PointResult(NamedTuple):
    on: date
    value: float
    phase: int
    centre: float | None
    lower: float | None
    upper: float | None
    classification: Classification
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Signal:
    """One instance of a rule, the points that are part of it and the rule set that found it."""

    rule: Rule
    direction: Direction
    points: tuple[date, ...]
    rule_set: str
    phase: int


@dataclass(frozen=True)
class Analysis:
    """A series judged: its phases, each point's class, every signal, and the verdict (the
    class of the latest point) with the signals of the latest point's phase."""

    chart: ChartType
    better: BetterDirection
    rule_set: RuleSet
    phases: tuple[Phase, ...]
    points: tuple[PointResult, ...]
    signals: tuple[Signal, ...]
    verdict: Classification
    current_signals: tuple[Signal, ...]


class Summary(NamedTuple):
    """What `analyse` finds, but each point's class: the phases, every signal and the verdict
    (what a stored summary needs; the points' classes are computed when they are read)."""

    rule_set: RuleSet
    phases: tuple[Phase, ...]
    signals: tuple[Signal, ...]
    verdict: Classification


@dataclass(frozen=True)
class _Basis:
    """What a phase's limits are computed from, exactly."""

    phase: int
    centre: Fraction
    mean_moving_range: Fraction | None


def analyse(points: Sequence[Point], chart: ChartType | str, better: BetterDirection | str,
            phase_starts: Sequence[date] = (), rules: RuleSet = MAKING_DATA_COUNT) -> Analysis:
    """Judge a series, sorted by date, whose phases begin on `phase_starts`.

    `chart` and `better` may be given as their stored strings ("XMR", "HIGHER").
    """
    chart, better = ChartType(chart), BetterDirection(better)
    phases, results, signals, _ = _analyse(points, chart, better, phase_starts, rules, True)
    latest = results[-1] if results else None
    return Analysis(
        chart=chart, better=better, rule_set=rules, phases=tuple(phases), points=tuple(results),
        signals=tuple(signals),
        verdict=latest.classification if latest else Classification.INSUFFICIENT_DATA,
        current_signals=tuple(s for s in signals if latest and s.phase == latest.phase),
    )


def summarise(points: Sequence[Point], chart: ChartType | str, better: BetterDirection | str,
              phase_starts: Sequence[date] = (),
              rules: RuleSet = MAKING_DATA_COUNT) -> Summary:
    """`analyse`'s phases, signals and verdict, without a result for every point (cheaper)."""
    chart, better = ChartType(chart), BetterDirection(better)
    phases, _, signals, verdict = _analyse(points, chart, better, phase_starts, rules, False)
    return Summary(rules, tuple(phases), tuple(signals), verdict)


def _analyse(points: Sequence[Point], chart: ChartType, better: BetterDirection,
             phase_starts: Sequence[date], rules: RuleSet, each_point: bool,
             ) -> tuple[list[Phase], list[PointResult], list[Signal], Classification]:
    """Phases, each point's result (if ``each_point``), signals, and the latest point's class."""
    _check(points, chart)
    phases: list[Phase] = []
    results: list[PointResult] = []
    signals: list[Signal] = []
    latest = Classification.INSUFFICIENT_DATA
    basis: _Basis | None = None
    for index, (start, members) in enumerate(_split(points, phase_starts)):
        if len(members) >= rules.minimum_points:
            basis = _basis(index, members, chart, rules)
        phase, judged, found, latest = _judge(index, start, members, basis, chart, better,
                                              rules, each_point)
        phases.append(phase)
        results.extend(judged)
        signals.extend(found)
    return phases, results, signals, latest


def _check(points: Sequence[Point], chart: ChartType) -> None:
    for before, after in pairwise(points):
        if after.on <= before.on:
            raise ValueError(f"points must be in date order, one per date ({after.on})")
    isfinite = math.isfinite
    if chart is ChartType.XMR:
        for p in points:
            if not isfinite(p.value):
                raise ValueError(f"an XmR point needs a finite value ({p.on})")
        return
    proportion = chart is ChartType.P
    for p in points:
        numerator, denominator = p.numerator, p.denominator
        if numerator is None or denominator is None:
            raise ValueError(f"a p or u point needs a numerator and a denominator ({p.on})")
        if not (isfinite(numerator) and isfinite(denominator)) \
                or numerator < 0 or denominator <= 0:
            raise ValueError(f"a {chart.value} point needs a numerator of at least 0 and a "
                             f"positive denominator ({p.on})")
        if proportion and numerator > denominator:
            raise ValueError(f"a proportion's numerator cannot exceed its denominator ({p.on})")


def _split(points: Sequence[Point], phase_starts: Sequence[date]) -> list[tuple[date, list[Point]]]:
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


def _basis(index: int, members: Sequence[Point], chart: ChartType, rules: RuleSet) -> _Basis:
    if chart is not ChartType.XMR:  # _check has made sure each has both counts
        numerators, n_scale = _scaled([float(p.numerator) for p in members])  # type: ignore[arg-type]
        denominators, d_scale = _scaled([float(p.denominator) for p in members])  # type: ignore[arg-type]
        return _Basis(index, Fraction(sum(numerators) * d_scale, sum(denominators) * n_scale),
                      None)
    values, scale = _scaled([p.value for p in members])
    ranges = [abs(b - a) for a, b in pairwise(values)]
    mean_range = Fraction(sum(ranges), scale * len(ranges))
    if rules.screen_moving_ranges:
        kept = [r for r in ranges if Fraction(r, scale) <= SCREEN * mean_range]
        mean_range = Fraction(sum(kept), scale * len(kept))
    return _Basis(index, Fraction(sum(values), scale * len(values)), mean_range)


def _plot(chart: ChartType, basis: _Basis, members: Sequence[Point],
          rules: RuleSet) -> Plotted:
    """Plot points against a phase's basis; the exact work is done once per phase, not per
    point (the standard errors of p and u involve a square root, so are floats anyway)."""
    centre = float(basis.centre)
    if basis.mean_moving_range is not None:
        half = Fraction(str(rules.multiplier)) * basis.mean_moving_range
        lower, upper = _float(basis.centre - half), _float(basis.centre + half)
        n = len(members)
        return Plotted([p.value for p in members], centre, [lower] * n, [upper] * n)
    values = _values(chart, members)
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
    return Plotted(values, centre, lowers, uppers)


def _judge(index: int, start: date, members: Sequence[Point], basis: _Basis | None,
           chart: ChartType, better: BetterDirection, rules: RuleSet, each_point: bool,
           ) -> tuple[Phase, list[PointResult], list[Signal], Classification]:
    """A phase: its limits, each point's result (if ``each_point``), its signals, and the class
    of its last point."""
    if basis is None:
        insufficient = Classification.INSUFFICIENT_DATA
        return (
            Phase(index, start, len(members), True, None, None, None, None, None),
            [PointResult(p.on, value, index, None, None, None, insufficient, ())
             for p, value in zip(members, _values(chart, members), strict=True)]
            if each_point else [],
            [],
            insufficient,
        )
    plotted = _plot(chart, basis, members, rules)
    findings = find(plotted, rules)
    rising_is_better = 1 if better is BetterDirection.HIGHER else -1

    def direction(finding: Finding) -> Direction:
        return Direction.IMPROVEMENT if finding.sign == rising_is_better else Direction.CONCERN

    def special(part_of: list[Finding]) -> Classification:
        # First by precedence, then the earliest instance (a turning point ends its first trend).
        decisive = min(part_of, key=lambda f: (PRECEDENCE.index(f.rule), f.indices[0]))
        if direction(decisive) is Direction.IMPROVEMENT:
            return Classification.SPECIAL_CAUSE_IMPROVEMENT
        return Classification.SPECIAL_CAUSE_CONCERN

    covering: dict[int, list[Finding]] = {}
    for f in findings:
        for i in f.indices:
            covering.setdefault(i, []).append(f)
    centre = plotted.centre
    common = Classification.COMMON_CAUSE
    results: list[PointResult] = []
    if each_point:
        # Most points are common cause: those are made in one pass, the few others replaced
        # after.
        results = [PointResult(point.on, value, index, centre, lower, upper, common, ())
                   for point, value, lower, upper in zip(members, plotted.values,
                                                         plotted.lower, plotted.upper,
                                                         strict=True)]
        for i, part_of in covering.items():
            results[i] = results[i]._replace(
                classification=special(part_of),
                rules=tuple(r for r in PRECEDENCE if any(f.rule is r for f in part_of)))
    last = covering.get(len(members) - 1)
    signals = [Signal(f.rule, direction(f), tuple(members[i].on for i in f.indices), rules.name,
                      index) for f in findings]
    xmr = basis.mean_moving_range is not None
    phase = Phase(
        index, start, len(members), False, basis.phase, float(basis.centre),
        plotted.lower[0] if xmr else None, plotted.upper[0] if xmr else None,
        _float(basis.mean_moving_range) if basis.mean_moving_range is not None else None,
    )
    return phase, results, signals, special(last) if last else common


def _float(exact: Fraction) -> float:
    try:
        return float(exact)
    except OverflowError:  # limits of values near the largest float lie beyond it
        return math.inf if exact > 0 else -math.inf


def _values(chart: ChartType, points: Sequence[Point]) -> list[float]:
    """Each point's plotted value: its own (XmR), or its numerator over its denominator (p
    and u; _check has made sure each has both)."""
    if chart is ChartType.XMR:
        return [p.value for p in points]
    return [p.numerator / p.denominator for p in points]  # type: ignore[operator]
