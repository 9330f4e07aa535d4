"""Statistical process control for improvement measures, worked examples a reader can check by
hand: which rule takes precedence, phases after a change, the verdict, and refused input."""

from __future__ import annotations

import pytest

from projections.improvement.statistics import Direction, Point, Rule, RuleSet, analyse
from tests.unit.improvement.charts import (
    BASELINE,
    CHANGE,
    COMMON,
    HIGHER,
    IMPROVEMENT,
    INSUFFICIENT,
    LOWER,
    XMR,
    P,
    after_baseline,
    classes,
    found,
    week,
    weeks,
    xmr,
)

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
