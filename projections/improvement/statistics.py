"""Can we say that improvement has happened? Statistical process control, as NHS "Making Data
Count" teaches it, as pure functions: `analyse` is the entry point, `summarise` its cheaper
form for what is stored. docs/statistics.md sets out the conventions; in short:
- Phases. Each phase start date begins a phase that includes that date; the first phase (the
  baseline) starts at the first point. A phase with no points is left out, so `Phase.index` and
  `Signal.phase` count only phases with points; `Phase.start` names the change date.
- Limits. A phase with at least `minimum_points` points has limits computed on its own points.
  A shorter later phase keeps the limits of the phase before it (Making Data Count extends the
  baseline limits until there is enough data to recalculate, which is how a change shows up as a
  signal); a short first phase has no limits and its points are INSUFFICIENT_DATA, with no
  signals. For p and u charts "keeps the limits" means the centre; the per-point limits still
  follow each point's own denominator. How limits are computed: `limits`.
- Two answers. The current variation (`verdict`, `current_signals`): the latest point against
  its own phase's limits. The effect of every change (`effects`, see `effect`): the points after
  it against the limits in force before it, which recalculating limits never changes. Beside
  them, the assurance of a target (`assurance`).
- Rules. Runs stay within a phase (`rules`). A turning point in two opposite trends takes the
  direction of the trend it ends. A measure with no better direction has signals that are
  special cause, neither improvement nor concern.
- Every number in an analysis is finite: input whose statistics would overflow is refused
  (`lifecycle.magnitude`); refusals are the typed errors of `refusals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from lifecycle.improvement.refusals import (
    InvalidRuleSet,
    InvalidSeries,
    InvalidTarget,
    OutOfRange,
    Refused,
)
from lifecycle.improvement.rules import IHI_RUN_CHART, MAKING_DATA_COUNT, RuleSet
from lifecycle.vocabulary import BetterDirection, ChartType
from projections.improvement.assurance import (
    Assurance,
    AssuranceVerdict,
    assurance_of,
    check_target,
)
from projections.improvement.effect import Effect, EffectVerdict, effect_of
from projections.improvement.history import ReportedSignal, merge_history
from projections.improvement.limits import Basis, Point, basis, check, plot, split, values
from projections.improvement.rules import PRECEDENCE, Finding, Rule, find
from projections.improvement.signals import (
    Classification,
    Direction,
    Signal,
    classify,
    signals_of,
)

__all__ = [
    "IHI_RUN_CHART", "MAKING_DATA_COUNT", "Analysis", "Assurance", "AssuranceVerdict",
    "BetterDirection", "ChartType", "Classification", "Direction", "Effect", "EffectVerdict",
    "InvalidRuleSet", "InvalidSeries", "InvalidTarget", "OutOfRange", "Phase", "Point",
    "PointResult", "Refused", "ReportedSignal", "Rule", "RuleSet", "Signal", "Summary", "analyse",
    "merge_history", "summarise",
]


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
class Analysis:
    """A series judged: its phases, each point's class, every signal, the verdict (the class of
    the latest point) with the signals of the latest point's phase, the effect of each change
    (one per phase after the first), and the assurance of the target."""

    chart: ChartType
    better: BetterDirection
    rule_set: RuleSet
    phases: tuple[Phase, ...]
    points: tuple[PointResult, ...]
    signals: tuple[Signal, ...]
    verdict: Classification
    current_signals: tuple[Signal, ...]
    effects: tuple[Effect, ...]
    assurance: Assurance


class Summary(NamedTuple):
    """What `analyse` finds, but each point's class: the phases, every signal, the verdict, the
    effects and the assurance (what a stored summary needs; the points' classes are computed
    when they are read)."""

    rule_set: RuleSet
    phases: tuple[Phase, ...]
    signals: tuple[Signal, ...]
    verdict: Classification
    effects: tuple[Effect, ...]
    assurance: Assurance


class _Found(NamedTuple):
    phases: list[Phase]
    points: list[PointResult]
    signals: list[Signal]
    verdict: Classification
    effects: list[Effect]
    assurance: Assurance


def analyse(points: Sequence[Point], chart: ChartType | str, better: BetterDirection | str,
            phase_starts: Sequence[date] = (), rules: RuleSet = MAKING_DATA_COUNT,
            target: float | None = None) -> Analysis:
    """Judge a series, sorted by date, whose phases begin on `phase_starts`, with an optional
    target in the measure's unit (a proportion for p, a rate for u).

    `chart` and `better` may be given as their stored strings ("XMR", "HIGHER"). Raises
    InvalidSeries (and OutOfRange, a kind of it) for points it cannot judge, InvalidTarget for
    a target it cannot judge, ValueError for an unknown chart or direction.
    """
    chart, better = ChartType(chart), BetterDirection(better)
    found = _analyse(points, chart, better, phase_starts, rules, target, True)
    latest = found.points[-1] if found.points else None
    return Analysis(
        chart=chart, better=better, rule_set=rules, phases=tuple(found.phases),
        points=tuple(found.points), signals=tuple(found.signals), verdict=found.verdict,
        current_signals=tuple(s for s in found.signals if latest and s.phase == latest.phase),
        effects=tuple(found.effects), assurance=found.assurance,
    )


def summarise(points: Sequence[Point], chart: ChartType | str, better: BetterDirection | str,
              phase_starts: Sequence[date] = (), rules: RuleSet = MAKING_DATA_COUNT,
              target: float | None = None) -> Summary:
    """`analyse`'s phases, signals, verdict, effects and assurance, without a result for every
    point (cheaper). Raises as `analyse` does."""
    chart, better = ChartType(chart), BetterDirection(better)
    found = _analyse(points, chart, better, phase_starts, rules, target, False)
    return Summary(rules, tuple(found.phases), tuple(found.signals), found.verdict,
                   tuple(found.effects), found.assurance)


def _analyse(points: Sequence[Point], chart: ChartType, better: BetterDirection,
             phase_starts: Sequence[date], rules: RuleSet, target: float | None,
             each_point: bool) -> _Found:
    """Phases, each point's result (if ``each_point``), signals, the latest point's class, the
    effects and the assurance."""
    check(points, chart)
    check_target(target, better)
    phases: list[Phase] = []
    results: list[PointResult] = []
    signals: list[Signal] = []
    effects: list[Effect] = []
    verdict = Classification.INSUFFICIENT_DATA
    limits: tuple[float | None, float | None] = (None, None)  # the latest point's
    in_force: Basis | None = None  # the limits in force: the latest phase's with enough points
    for index, (start, members) in enumerate(split(points, phase_starts)):
        if index:
            effects.append(effect_of(index, start, members, in_force, chart, better, rules))
        if len(members) >= rules.minimum_points:
            in_force = basis(index, members, chart, rules)
        phase, judged, found, verdict, limits = _judge(index, start, members, in_force, chart,
                                                       better, rules, each_point)
        phases.append(phase)
        results.extend(judged)
        signals.extend(found)
    return _Found(phases, results, signals, verdict, effects,
                  assurance_of(target, better, *limits))


def _judge(index: int, start: date, members: Sequence[Point], in_force: Basis | None,
           chart: ChartType, better: BetterDirection, rules: RuleSet, each_point: bool,
           ) -> tuple[Phase, list[PointResult], list[Signal], Classification,
                      tuple[float | None, float | None]]:
    """A phase: its limits, each point's result (if ``each_point``), its signals, the class of
    its last point, and its last point's limits (None with insufficient data)."""
    if in_force is None:
        insufficient = Classification.INSUFFICIENT_DATA
        return (
            Phase(index, start, len(members), True, None, None, None, None, None),
            [PointResult(p.on, value, index, None, None, None, insufficient, ())
             for p, value in zip(members, values(chart, members), strict=True)]
            if each_point else [],
            [],
            insufficient,
            (None, None),
        )
    plotted = plot(chart, in_force, members, rules)
    findings = find(plotted, rules)
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
                classification=classify(part_of, better),
                rules=tuple(r for r in PRECEDENCE if any(f.rule is r for f in part_of)))
    last = covering.get(len(members) - 1)
    xmr = in_force.mean_moving_range is not None
    phase = Phase(
        index, start, len(members), False, in_force.phase, centre,
        plotted.lower[0] if xmr else None, plotted.upper[0] if xmr else None,
        float(in_force.mean_moving_range) if in_force.mean_moving_range is not None else None,
    )
    return (phase, results, signals_of(findings, members, better, rules, index, in_force.phase),
            classify(last, better) if last else common, (plotted.lower[-1], plotted.upper[-1]))
