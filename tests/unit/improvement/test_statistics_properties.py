"""Statistical process control for improvement measures: properties that hold for any series."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.magnitude import LARGEST
from projections.improvement.statistics import (
    IHI_RUN_CHART,
    MAKING_DATA_COUNT,
    BetterDirection,
    ChartType,
    Direction,
    EffectVerdict,
    Point,
    RuleSet,
    analyse,
    summarise,
)
from tests.unit.improvement.charts import (
    COMMON,
    CONCERN,
    HIGHER,
    IMPROVEMENT,
    INSUFFICIENT,
    LOWER,
    NEITHER,
    SPECIAL_NEITHER,
    XMR,
    P,
    U,
    classes,
    week,
    xmr,
)

# Properties

values = st.lists(st.integers(0, 12).map(float), max_size=40)


@st.composite
def series(draw: st.DrawFn) -> tuple[list[Point], tuple[date, ...]]:
    points = [Point(week(i), v) for i, v in enumerate(draw(values))]
    starts = draw(st.lists(st.integers(-2, 42).map(week), max_size=3, unique=True))
    return points, tuple(sorted(starts))


SWAPPED = {IMPROVEMENT: CONCERN, CONCERN: IMPROVEMENT, COMMON: COMMON,
           INSUFFICIENT: INSUFFICIENT}


@settings(database=None)
@given(st.floats(-LARGEST, LARGEST), st.integers(1, 30))
def test_constant_series_never_signals(value: float, n: int) -> None:
    analysis = xmr([value] * n)
    assert analysis.signals == ()
    assert analysis.verdict is (COMMON if n >= 12 else INSUFFICIENT)
    for phase in analysis.phases:
        assert phase.insufficient_data or phase.centre == phase.lower == phase.upper == value


@settings(database=None)
@given(series(), st.sampled_from([XMR, P, U]))
def test_reversing_the_better_direction_swaps_improvement_and_concern(
        drawn: tuple[list[Point], tuple[date, ...]], chart: ChartType) -> None:
    points, starts = drawn
    if chart is not XMR:  # the drawn value as events out of 12
        points = [Point(p.on, p.value / 12, p.value, 12) for p in points]
    higher = analyse(points, chart, HIGHER, starts)
    lower = analyse(points, chart, LOWER, starts)
    assert classes(lower) == [SWAPPED[c] for c in classes(higher)]
    assert lower.verdict is SWAPPED[higher.verdict]
    flip = {Direction.IMPROVEMENT: Direction.CONCERN, Direction.CONCERN: Direction.IMPROVEMENT}
    assert [(s.rule, flip[s.direction], s.points) for s in higher.signals] == \
        [(s.rule, s.direction, s.points) for s in lower.signals]


@settings(database=None)
@given(series(), st.sampled_from([XMR, P, U]))
def test_with_no_better_direction_every_signal_is_special_cause_neither(
        drawn: tuple[list[Point], tuple[date, ...]], chart: ChartType) -> None:
    points, starts = drawn
    if chart is not XMR:
        points = [Point(p.on, p.value / 12, p.value, 12) for p in points]
    higher = analyse(points, chart, HIGHER, starts)
    neither = analyse(points, chart, NEITHER, starts)
    as_neither = {IMPROVEMENT: SPECIAL_NEITHER, CONCERN: SPECIAL_NEITHER, COMMON: COMMON,
                  INSUFFICIENT: INSUFFICIENT}
    assert classes(neither) == [as_neither[c] for c in classes(higher)]
    assert neither.verdict is as_neither[higher.verdict]
    assert [(s.rule, s.sign, s.points) for s in neither.signals] == \
        [(s.rule, s.sign, s.points) for s in higher.signals]
    assert {s.direction for s in neither.signals} <= {Direction.NEITHER}
    assert {e.verdict for e in neither.effects} <= {
        EffectVerdict.CHANGE, EffectVerdict.NO_DETECTABLE_CHANGE, EffectVerdict.INSUFFICIENT_DATA}


@settings(database=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=12, max_size=40))
def test_xmr_limits_are_symmetric_about_the_mean(drawn: list[float]) -> None:
    phase = xmr(drawn).phases[0]
    assert phase.centre is not None
    assert phase.lower is not None
    assert phase.upper is not None
    assert phase.mean_moving_range is not None
    assert phase.lower <= phase.centre <= phase.upper
    assert math.isclose(phase.upper - phase.centre, phase.centre - phase.lower, abs_tol=1e-9)
    assert math.isclose(phase.upper - phase.centre, 2.66 * phase.mean_moving_range, abs_tol=1e-9)


@settings(database=None)
@given(series())
def test_a_later_phase_never_changes_how_earlier_points_are_judged(
        drawn: tuple[list[Point], tuple[date, ...]]) -> None:
    points, starts = drawn
    whole = analyse(points, XMR, HIGHER, starts)
    if not starts:
        return
    earlier = [p for p in points if p.on < starts[-1]]
    part = analyse(earlier, XMR, HIGHER, starts[:-1])
    assert whole.points[:len(part.points)] == part.points
    assert whole.phases[:len(part.phases)] == part.phases
    assert whole.effects[:len(part.effects)] == part.effects
    assert [s for s in whole.signals if s.points[-1] < starts[-1]] == list(part.signals)


@settings(database=None)
@given(series())
def test_a_point_is_common_cause_exactly_when_no_rule_hits_it(
        drawn: tuple[list[Point], tuple[date, ...]]) -> None:
    points, starts = drawn
    for result in analyse(points, XMR, HIGHER, starts).points:
        if result.classification is not INSUFFICIENT:
            assert (result.classification is COMMON) == (result.rules == ())


@settings(database=None)
@given(series(), st.sampled_from([XMR, P, U]), st.sampled_from([HIGHER, LOWER, NEITHER]),
       st.sampled_from([MAKING_DATA_COUNT, IHI_RUN_CHART]),
       st.none() | st.integers(0, 12).map(lambda n: n / 2))
def test_a_summary_finds_what_the_full_analysis_finds(
        drawn: tuple[list[Point], tuple[date, ...]], chart: ChartType,
        better: BetterDirection, rules: RuleSet, target: float | None) -> None:
    points, starts = drawn
    if chart is not XMR:  # counts of up to 6 out of 6, following the drawn values
        points = [Point(p.on, p.value, float(int(abs(p.value)) % 7), 6.0) for p in points]
        target = None if target is None else target / 6
    if better is NEITHER:
        target = None  # a measure with no better direction has no target
    full = analyse(points, chart, better, starts, rules, target)
    summary = summarise(points, chart, better, starts, rules, target)
    assert summary == (full.rule_set, full.phases, full.signals, full.verdict, full.effects,
                       full.assurance)
