"""Statistical process control for improvement measures: worked examples a reader can check by
hand, and properties that hold for any series."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.magnitude import LARGEST
from projections.improvement.statistics import (
    IHI_RUN_CHART,
    MAKING_DATA_COUNT,
    Analysis,
    BetterDirection,
    ChartType,
    Classification,
    Direction,
    EffectVerdict,
    Point,
    Rule,
    RuleSet,
    analyse,
    summarise,
)

HIGHER, LOWER, NEITHER = BetterDirection.HIGHER, BetterDirection.LOWER, BetterDirection.NEITHER
XMR, P, U = ChartType.XMR, ChartType.P, ChartType.U
IMPROVEMENT = Classification.SPECIAL_CAUSE_IMPROVEMENT
CONCERN = Classification.SPECIAL_CAUSE_CONCERN
SPECIAL_NEITHER = Classification.SPECIAL_CAUSE_NEITHER
COMMON = Classification.COMMON_CAUSE
INSUFFICIENT = Classification.INSUFFICIENT_DATA
START = date(2024, 1, 1)

# The baseline of the first worked example. Mean = 139 / 12 = 11.5833; the 11 moving ranges are
# 2,1,2,1,1,1,2,1,2,1,0, mean 14 / 11 = 1.2727; 2.66 * 14/11 = 3.3855, so the limits are
# 8.1979 and 14.9688, and the outer thirds begin at 11.5833 ± 2.2570: at most 9.3263 and at
# least 13.8403.
BASELINE = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 12]
CHANGE = START + timedelta(weeks=len(BASELINE))


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def weeks(*i: int) -> tuple[date, ...]:
    return tuple(week(n) for n in i)


def xmr(values: Sequence[float], better: BetterDirection = HIGHER,
        phase_starts: tuple[date, ...] = (), rules: RuleSet = MAKING_DATA_COUNT) -> Analysis:
    return analyse([Point(week(i), float(v)) for i, v in enumerate(values)], XMR, better,
                   phase_starts, rules)


def after_baseline(values: Sequence[float], better: BetterDirection = HIGHER,
                   rules: RuleSet = MAKING_DATA_COUNT) -> Analysis:
    """BASELINE, then a change and fewer than 12 points: judged against the baseline's limits."""
    return xmr([*BASELINE, *values], better, (CHANGE,), rules)


def classes(analysis: Analysis) -> list[Classification]:
    return [p.classification for p in analysis.points]


def found(analysis: Analysis, rule: Rule) -> list[tuple[Direction, tuple[date, ...]]]:
    return [(s.direction, s.points) for s in analysis.signals if s.rule is rule]


# Limits


def test_xmr_limits_are_the_mean_plus_or_minus_266_mean_moving_ranges() -> None:
    phase = xmr(BASELINE).phases[0]
    assert phase.centre == 139 / 12
    assert phase.mean_moving_range == 14 / 11
    assert phase.upper == pytest.approx(139 / 12 + 2.66 * 14 / 11)  # 14.9688
    assert phase.lower == pytest.approx(139 / 12 - 2.66 * 14 / 11)  # 8.1979
    assert (phase.n_points, phase.insufficient_data, phase.limits_from) == (12, False, 0)


def test_stable_series_is_common_cause() -> None:
    analysis = xmr(BASELINE)
    assert set(classes(analysis)) == {COMMON}
    assert analysis.signals == ()
    assert analysis.verdict is COMMON


def test_p_chart_limits_follow_each_points_denominator() -> None:
    # p̄ = Σnumerator / Σdenominator = (120 + 30) / (600 + 150) = 0.2.
    # n = 100: 3·sqrt(0.2 * 0.8 / 100) = 3 * 0.04 = 0.12, limits 0.08 and 0.32.
    # n = 25: 3·sqrt(0.2 * 0.8 / 25) = 3 * 0.08 = 0.24, limits -0.04 (clipped to 0) and 0.44.
    counts = [(20, 100), (5, 25), (22, 100), (5, 25), (18, 100), (4, 25),
              (20, 100), (6, 25), (21, 100), (5, 25), (19, 100), (5, 25)]
    points = [Point(week(i), n / d, n, d) for i, (n, d) in enumerate(counts)]
    analysis = analyse(points, P, HIGHER)
    assert analysis.phases[0].centre == pytest.approx(0.2)
    assert analysis.phases[0].upper is None
    wide, narrow = analysis.points[0], analysis.points[1]
    assert wide.lower == pytest.approx(0.08)
    assert wide.upper == pytest.approx(0.32)
    assert narrow.lower == 0.0
    assert narrow.upper == pytest.approx(0.44)
    assert analysis.verdict is COMMON


def test_p_chart_upper_limit_is_clipped_at_one() -> None:
    # p̄ = 114 / 120 = 0.95; n = 10: 3·sqrt(0.95 * 0.05 / 10) = 0.2068, so 1.1568 clips to 1.
    points = [Point(week(i), 0.95, 9.5, 10) for i in range(12)]
    result = analyse(points, P, HIGHER).points[0]
    assert result.upper == 1.0
    assert result.lower == pytest.approx(0.95 - 3 * math.sqrt(0.95 * 0.05 / 10))


def test_u_chart_limits_follow_each_points_exposure() -> None:
    # ū = Σevents / Σexposure = (64 + 256 + 16) / (16 + 64 + 4) = 336 / 84 = 4.
    # exposure 4: 4 ± 3·sqrt(4/4) = 1 and 7; 16: 4 ± 3·sqrt(4/16) = 2.5 and 5.5;
    # 1: 4 ± 3·sqrt(4/1) = -2 (clipped to 0) and 10.
    counts = [(15, 4), (60, 16), (3, 1), (17, 4), (68, 16), (5, 1),
              (16, 4), (64, 16), (4, 1), (16, 4), (64, 16), (4, 1)]
    points = [Point(week(i), n / d, n, d) for i, (n, d) in enumerate(counts)]
    analysis = analyse(points, U, LOWER)
    assert analysis.phases[0].centre == 4.0
    limits = [(p.lower, p.upper) for p in analysis.points[:3]]
    assert limits == [(1.0, 7.0), (2.5, 5.5), (0.0, 10.0)]
    assert analysis.verdict is COMMON


def test_fewer_than_twelve_points_is_insufficient_data() -> None:
    analysis = xmr([*BASELINE[:10], 40])  # 11 points, one far from the rest
    assert analysis.phases[0].insufficient_data
    assert analysis.phases[0].centre is None
    assert set(classes(analysis)) == {INSUFFICIENT}
    assert analysis.signals == ()
    assert analysis.verdict is INSUFFICIENT


def test_screening_moving_ranges_excludes_those_above_3267_mean_moving_ranges() -> None:
    # Moving ranges 1,1,1,1,20,20,1,1,1,1,1: mean 49 / 11 = 4.4545. Screened, the two 20s are
    # above 3.267 * 4.4545 = 14.55 and go, leaving nine 1s: mean 1. The mean is 145 / 12 either way.
    values = [10, 11, 10, 11, 10, 30, 10, 11, 10, 11, 10, 11]
    plain = xmr(values).phases[0]
    screened = xmr(values, rules=RuleSet(screen_moving_ranges=True)).phases[0]
    assert plain.mean_moving_range == 49 / 11
    assert screened.mean_moving_range == 1.0
    assert plain.centre == screened.centre == 145 / 12
    assert screened.upper == pytest.approx(145 / 12 + 2.66)  # 14.7433: 30 is now outside
    assert plain.upper == pytest.approx(145 / 12 + 2.66 * 49 / 11)  # 23.9327


def test_constant_series_has_limits_at_its_mean_and_no_signal() -> None:
    analysis = xmr([7.3] * 15)
    phase = analysis.phases[0]
    assert phase.centre == phase.lower == phase.upper == 7.3
    assert analysis.signals == ()
    assert analysis.verdict is COMMON


# Outside the limits


def test_point_above_upper_limit_is_improvement_when_higher_is_better() -> None:
    # BASELINE with 20 in place of the last 12: mean 147 / 12 = 12.25; moving ranges sum to
    # 14 + 8 = 22, mean 2; upper limit 12.25 + 2.66 * 2 = 17.57, and 20 is beyond it.
    analysis = xmr([*BASELINE[:-1], 20])
    assert analysis.phases[0].upper == pytest.approx(17.57)
    assert analysis.points[-1].rules == (Rule.OUTSIDE_LIMITS,)
    assert analysis.verdict is IMPROVEMENT
    assert found(analysis, Rule.OUTSIDE_LIMITS) == [(Direction.IMPROVEMENT, weeks(11))]


def test_point_above_upper_limit_is_concern_when_lower_is_better() -> None:
    analysis = xmr([*BASELINE[:-1], 20], better=LOWER)
    assert analysis.verdict is CONCERN
    assert found(analysis, Rule.OUTSIDE_LIMITS) == [(Direction.CONCERN, weeks(11))]


def test_point_on_a_limit_is_not_outside_it() -> None:
    # Baseline 9.25, 10.75, ... mean 10, moving ranges 1.5; with multiplier 3 the limits are
    # exactly 5.5 and 14.5.
    rules = RuleSet(multiplier=3.0, two_of_three=False)
    analysis = xmr([9.25, 10.75] * 6 + [14.5, 5.5], phase_starts=(week(12),), rules=rules)
    assert analysis.phases[1].limits_from == 0
    assert [p.classification for p in analysis.points[12:]] == [COMMON, COMMON]


# Shifts


def test_shift_of_seven_points_above_the_mean_is_detected() -> None:
    # Mean = (7+12+7+12+7 + 11+10.5+11+10.5+11+10.5+10.5) / 12 = 120 / 12 = 10; the last seven
    # are above it; limits 10 ± 2.66 * 26.5/11 = 3.59 and 16.41.
    analysis = xmr([7, 12, 7, 12, 7, 11, 10.5, 11, 10.5, 11, 10.5, 10.5])
    assert analysis.phases[0].centre == 10.0
    assert found(analysis, Rule.SHIFT) == [(Direction.IMPROVEMENT, weeks(5, 6, 7, 8, 9, 10, 11))]
    assert classes(analysis) == [COMMON] * 5 + [IMPROVEMENT] * 7
    assert analysis.signals[0].rule_set == MAKING_DATA_COUNT
    assert analysis.signals[0].rule_set.describe()["shiftLength"] == 7


def test_shift_of_six_points_is_not_detected() -> None:
    # Mean = (7+12+7+12+7+9 + 11+11.5+10.5+11.5+10.5+11) / 12 = 120 / 12 = 10; six above.
    analysis = xmr([7, 12, 7, 12, 7, 9, 11, 11.5, 10.5, 11.5, 10.5, 11])
    assert analysis.signals == ()
    assert analysis.verdict is COMMON


def test_point_on_the_mean_breaks_a_shift() -> None:
    # Mean = (8+9+8+9+8+8 + 11+12+11+10+12+11+12+11) / 14 = 140 / 14 = 10: the 10 splits eight
    # points above the mean into runs of three and four.
    analysis = xmr([8, 9, 8, 9, 8, 8, 11, 12, 11, 10, 12, 11, 12, 11])
    assert analysis.phases[0].centre == 10.0
    assert found(analysis, Rule.SHIFT) == []
    assert analysis.points[9].rules == ()
    # With 10.5 there (and 10.5 for the last 11, keeping the mean 10) the eight are one shift.
    unbroken = xmr([8, 9, 8, 9, 8, 8, 11, 12, 11, 10.5, 12, 11, 12, 10.5])
    assert found(unbroken, Rule.SHIFT) == [(Direction.IMPROVEMENT, weeks(*range(6, 14)))]


def test_another_rule_set_detects_a_six_point_shift_and_is_named_in_the_signal() -> None:
    analysis = xmr([7, 12, 7, 12, 7, 9, 11, 11.5, 10.5, 11.5, 10.5, 11], rules=IHI_RUN_CHART)
    assert found(analysis, Rule.SHIFT) == [(Direction.IMPROVEMENT, weeks(6, 7, 8, 9, 10, 11))]
    assert {s.rule_set for s in analysis.signals} == {IHI_RUN_CHART}
    assert {s.rule_set.name for s in analysis.signals} == {"ihi-run-chart"}
    assert analysis.rule_set.shift_length == 6


# Trends


def test_trend_of_seven_increasing_points_is_detected() -> None:
    # 8, 9, ..., 14 rise at every step; mean 131 / 12 = 10.92, limits 7.05 and 14.79.
    analysis = xmr([10, 12, 10, 12, 10, 8, 9, 10, 11, 12, 13, 14])
    assert found(analysis, Rule.TREND) == [(Direction.IMPROVEMENT, weeks(5, 6, 7, 8, 9, 10, 11))]
    assert classes(analysis) == [COMMON] * 5 + [IMPROVEMENT] * 7


def test_trend_of_seven_increasing_points_is_concern_when_lower_is_better() -> None:
    analysis = xmr([10, 12, 10, 12, 10, 8, 9, 10, 11, 12, 13, 14], better=LOWER)
    assert found(analysis, Rule.TREND) == [(Direction.CONCERN, weeks(5, 6, 7, 8, 9, 10, 11))]
    assert analysis.verdict is CONCERN


def test_equal_consecutive_value_breaks_a_trend() -> None:
    # 8, 9, 10, 10, 11, 12, 13: the repeated 10 leaves runs of three and four.
    analysis = xmr([10, 12, 10, 12, 10, 8, 9, 10, 10, 11, 12, 13])
    assert analysis.signals == ()


def test_turning_point_takes_the_direction_of_the_trend_it_ends() -> None:
    # IHI trends are 5 long: 11 → 13 rises and 13 → 11 falls; the 13 ends the rise.
    analysis = after_baseline([11, 11.5, 12, 12.5, 13, 12.5, 12, 11.5, 11], rules=IHI_RUN_CHART)
    assert found(analysis, Rule.TREND) == [
        (Direction.IMPROVEMENT, weeks(12, 13, 14, 15, 16)),
        (Direction.CONCERN, weeks(16, 17, 18, 19, 20)),
    ]
    assert classes(analysis)[12:] == [IMPROVEMENT] * 5 + [CONCERN] * 4


# Two of three (against BASELINE's limits: outer thirds from 13.8403 up to 14.9688)


def test_two_of_three_points_near_the_upper_limit_is_a_signal() -> None:
    analysis = after_baseline([14, 12, 14.5])  # all above 11.58; 14 and 14.5 in the outer third
    assert found(analysis, Rule.TWO_OF_THREE) == [(Direction.IMPROVEMENT, weeks(12, 14))]
    assert classes(analysis)[12:] == [IMPROVEMENT, COMMON, IMPROVEMENT]


def test_one_of_three_near_the_limit_is_not_a_signal() -> None:
    analysis = after_baseline([14, 12, 12.5])
    assert analysis.signals == ()


def test_two_near_opposite_limits_are_not_a_signal() -> None:
    # 14 is near the upper limit and 9 near the lower (9 ≤ 9.3263), but they straddle the mean.
    analysis = after_baseline([14, 9, 14.5])
    assert analysis.signals == ()


def test_point_beyond_the_limit_does_not_count_as_near_it() -> None:
    only_one_near = after_baseline([15.5, 14, 12])  # 15.5 > 14.9688
    assert [s.rule for s in only_one_near.signals] == [Rule.OUTSIDE_LIMITS]
    two_near = after_baseline([15.5, 14, 14.5])
    assert found(two_near, Rule.TWO_OF_THREE) == [(Direction.IMPROVEMENT, weeks(13, 14))]
    assert two_near.points[12].rules == (Rule.OUTSIDE_LIMITS,)


def test_two_of_three_zone_includes_its_edges() -> None:
    # Mean 10, mean moving range 1.5, multiplier 3: limits 5.5 and 14.5, outer thirds from
    # 10 ± 3 (13 and 7) to the limits. Points exactly at 13 and at 14.5 are both near the limit.
    analysis = xmr([9.25, 10.75] * 6 + [13, 11, 14.5], phase_starts=(week(12),),
                   rules=RuleSet(multiplier=3.0))
    assert found(analysis, Rule.TWO_OF_THREE) == [(Direction.IMPROVEMENT, weeks(12, 14))]
    below = xmr([9.25, 10.75] * 6 + [7, 9, 5.5], phase_starts=(week(12),),
                rules=RuleSet(multiplier=3.0))
    assert found(below, Rule.TWO_OF_THREE) == [(Direction.CONCERN, weeks(12, 14))]


def test_two_of_three_can_be_switched_off() -> None:
    analysis = after_baseline([14, 12, 14.5], rules=RuleSet(two_of_three=False))
    assert analysis.signals == ()


# Precedence, phases and the verdict


def test_trend_takes_precedence_over_a_shift() -> None:
    # Seven points rising (improvement when higher is better), all below the mean 11.58
    # (a shift, concern): each point is part of both, and the trend classes it.
    analysis = after_baseline([9.5, 9.75, 10, 10.25, 10.5, 10.75, 11])
    assert [p.rules for p in analysis.points[12:]] == [(Rule.TREND, Rule.SHIFT)] * 7
    assert classes(analysis)[12:] == [IMPROVEMENT] * 7
    assert found(analysis, Rule.SHIFT) == [(Direction.CONCERN, weeks(*range(12, 19)))]
    assert found(analysis, Rule.TREND) == [(Direction.IMPROVEMENT, weeks(*range(12, 19)))]


def test_outside_the_limits_takes_precedence_over_a_shift() -> None:
    analysis = after_baseline([7] * 7, better=LOWER)  # below 8.1979, and seven below the mean
    assert [p.rules for p in analysis.points[12:]] == [(Rule.OUTSIDE_LIMITS, Rule.SHIFT)] * 7
    assert classes(analysis)[12:] == [IMPROVEMENT] * 7


def test_short_phase_after_a_change_is_judged_against_the_baseline_limits() -> None:
    analysis = after_baseline([16, 16.5, 16, 16.5, 16])
    after = analysis.phases[1]
    assert (after.start, after.n_points, after.limits_from) == (CHANGE, 5, 0)
    assert after.centre == 139 / 12
    assert classes(analysis)[12:] == [IMPROVEMENT] * 5  # all above 14.9688
    assert analysis.verdict is IMPROVEMENT
    assert {s.phase for s in analysis.current_signals} == {1}
    assert all(s.phase == 1 for s in analysis.signals)


def test_phase_with_twelve_points_after_a_change_recalculates_its_limits() -> None:
    # The second phase is BASELINE + 5: mean 139/12 + 5 = 16.5833, and its moving ranges are its
    # own (the step of 3 across the change date is not one of them), so still 14 / 11.
    analysis = xmr(BASELINE + [v + 5 for v in BASELINE], phase_starts=(CHANGE,))
    after = analysis.phases[1]
    assert after.limits_from == 1
    assert after.centre == pytest.approx(139 / 12 + 5)
    assert after.mean_moving_range == 14 / 11
    assert after.upper == pytest.approx(139 / 12 + 5 + 2.66 * 14 / 11)
    assert analysis.verdict is COMMON
    assert analysis.signals == ()


def test_runs_do_not_cross_a_change_date() -> None:
    # 9 to 16 rises for eight points, but five are before the change date and three after.
    values = [12, 10, 12, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 15, 16, 12, 10, 12]
    assert found(xmr(values, phase_starts=(CHANGE,)), Rule.TREND) == []
    assert found(xmr(values), Rule.TREND) == [(Direction.IMPROVEMENT, weeks(*range(7, 15)))]


def test_first_phase_short_and_second_long_gives_limits_only_to_the_second() -> None:
    analysis = xmr(BASELINE[:6] + BASELINE, phase_starts=(week(6),))
    assert [p.insufficient_data for p in analysis.phases] == [True, False]
    assert classes(analysis) == [INSUFFICIENT] * 6 + [COMMON] * 12
    assert analysis.phases[1].centre == 139 / 12


def test_phase_start_dates_with_no_points_make_no_phase() -> None:
    analysis = xmr(BASELINE, phase_starts=(week(-3), week(40)))
    assert len(analysis.phases) == 1
    assert analysis.phases[0].start == week(-3)


def test_empty_series_is_insufficient_data() -> None:
    analysis = analyse([], XMR, HIGHER)
    assert (analysis.phases, analysis.points, analysis.verdict) == ((), (), INSUFFICIENT)


def test_chart_and_direction_may_be_given_as_stored_strings() -> None:
    points = [Point(week(i), float(v)) for i, v in enumerate(BASELINE)]
    assert analyse(points, "XMR", "HIGHER") == analyse(points, XMR, HIGHER)


def test_points_out_of_date_order_are_refused() -> None:
    with pytest.raises(ValueError, match="date order"):
        analyse([Point(week(1), 1.0), Point(week(0), 2.0)], XMR, HIGHER)


def test_proportion_without_a_denominator_is_refused() -> None:
    with pytest.raises(ValueError, match="denominator"):
        analyse([Point(week(0), 0.5, 1, None)], P, HIGHER)


def test_rule_set_refuses_a_run_shorter_than_two() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        RuleSet(shift_length=1)


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
