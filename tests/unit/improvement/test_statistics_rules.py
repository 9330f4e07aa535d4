"""Statistical process control for improvement measures, worked examples a reader can check by
hand: the rules that find special causes inside the limits (shifts, trends, two of three)."""

from __future__ import annotations

from projections.improvement.statistics import (
    IHI_RUN_CHART,
    MAKING_DATA_COUNT,
    Direction,
    Rule,
    RuleSet,
)
from tests.unit.improvement.charts import (
    COMMON,
    CONCERN,
    IMPROVEMENT,
    LOWER,
    after_baseline,
    classes,
    found,
    week,
    weeks,
    xmr,
)

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
