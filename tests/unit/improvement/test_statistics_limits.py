"""Statistical process control for improvement measures, worked examples a reader can check by
hand: the limits of XmR, p and u charts, and points outside them."""

from __future__ import annotations

import math

import pytest

from projections.improvement.statistics import Direction, Point, Rule, RuleSet, analyse
from tests.unit.improvement.charts import (
    BASELINE,
    COMMON,
    CONCERN,
    HIGHER,
    IMPROVEMENT,
    INSUFFICIENT,
    LOWER,
    P,
    U,
    classes,
    found,
    week,
    weeks,
    xmr,
)

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
