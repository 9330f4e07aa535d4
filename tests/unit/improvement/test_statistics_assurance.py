"""Assurance (Making Data Count): will the process consistently meet its target, consistently
fail it, or vary? The target against the latest point's limits, in the better direction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from projections.improvement.statistics import (
    Analysis,
    AssuranceVerdict,
    BetterDirection,
    ChartType,
    Classification,
    InvalidTarget,
    Point,
    RuleSet,
    analyse,
)

HIGHER, LOWER, NEITHER = BetterDirection.HIGHER, BetterDirection.LOWER, BetterDirection.NEITHER
MEETS, FAILS = AssuranceVerdict.CONSISTENTLY_MEETS, AssuranceVerdict.CONSISTENTLY_FAILS
VARIES = AssuranceVerdict.VARIES
START = date(2024, 1, 1)
# Mean 10, moving ranges 1.5, multiplier 3: limits exactly 5.5 and 14.5.
EXACT = [9.25, 10.75] * 6
THREE = RuleSet(name="three", multiplier=3.0)


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def xmr(values: list[float], better: BetterDirection, target: float | None,
        rules: RuleSet = THREE) -> Analysis:
    return analyse([Point(week(i), v) for i, v in enumerate(values)], ChartType.XMR, better,
                   rules=rules, target=target)


@pytest.mark.parametrize(("better", "target", "verdict"), [
    # Higher is better: the failing side is below. A target at or below the lower limit is met
    # by every point within the limits; one above the upper limit by none.
    (HIGHER, 5.0, MEETS), (HIGHER, 5.5, MEETS), (HIGHER, 10.0, VARIES), (HIGHER, 14.5, VARIES),
    (HIGHER, 14.6, FAILS),
    # Lower is better: the failing side is above.
    (LOWER, 15.0, MEETS), (LOWER, 14.5, MEETS), (LOWER, 10.0, VARIES), (LOWER, 5.5, VARIES),
    (LOWER, 5.4, FAILS),
])
def test_the_target_against_the_limits_in_the_better_direction(
        better: BetterDirection, target: float, verdict: AssuranceVerdict) -> None:
    assurance = xmr(EXACT, better, target).assurance
    assert (assurance.verdict, assurance.target, assurance.lower, assurance.upper) == (
        verdict, target, 5.5, 14.5)


def test_no_target_and_insufficient_data() -> None:
    assert xmr(EXACT, HIGHER, None).assurance.verdict is AssuranceVerdict.NO_TARGET
    assert xmr(EXACT[:11], HIGHER, None).assurance.verdict is AssuranceVerdict.NO_TARGET
    short = xmr(EXACT[:11], HIGHER, 10.0).assurance
    assert (short.verdict, short.target, short.lower) == (
        AssuranceVerdict.INSUFFICIENT_DATA, 10.0, None)


def test_a_measure_with_no_better_direction_cannot_have_a_target() -> None:
    with pytest.raises(InvalidTarget, match="no better direction"):
        xmr(EXACT, NEITHER, 10.0)
    assert xmr(EXACT, NEITHER, None).assurance.verdict is AssuranceVerdict.NO_TARGET


def test_p_and_u_are_judged_against_the_latest_points_limits() -> None:
    # p = 0.2: with 100 a week the limits are 0.08 to 0.32, with 25 a week 0 to 0.44 (the lower
    # clipped). A target of 35%, higher better, lies above the first and within the second.
    weeks = [(20, 100), (5, 25)] * 6 + [(20, 100)]
    points = [Point(week(i), n / d, float(n), float(d)) for i, (n, d) in enumerate(weeks)]
    ending_small = analyse(points[:-1], ChartType.P, HIGHER, target=0.35).assurance
    assert (ending_small.verdict, ending_small.lower) == (VARIES, 0.0)
    assert ending_small.upper == pytest.approx(0.44)
    ending_large = analyse(points, ChartType.P, HIGHER, target=0.35).assurance
    assert ending_large.verdict is FAILS
    assert (ending_large.lower, ending_large.upper) == pytest.approx((0.08, 0.32))


def test_a_zero_target_with_a_lower_limit_clipped_at_zero_varies() -> None:
    # Lower is better, a target of no events: zero weeks happen (the limit is clipped at 0), so
    # the process does not consistently fail it; nor, with events most weeks, meet it.
    points = [Point(week(i), 0.0, float(n), 20.0) for i, n in enumerate([1, 0, 2, 1, 0, 1] * 2)]
    assert analyse(points, ChartType.P, LOWER, target=0.0).assurance.verdict is VARIES


@settings(database=None)
@given(st.lists(st.integers(0, 12).map(float), min_size=12, max_size=30),
       st.integers(-4, 30).map(lambda n: n / 2))
def test_higher_and_lower_swap_meeting_and_failing(values: list[float], target: float) -> None:
    higher = xmr(values, HIGHER, target, rules=RuleSet()).assurance
    lower = xmr(values, LOWER, target, rules=RuleSet()).assurance
    assume(target not in (higher.lower, higher.upper))  # on a limit, meeting it is meeting it
    swapped = {MEETS: FAILS, FAILS: MEETS, VARIES: VARIES}
    assert lower.verdict is swapped[higher.verdict]


@settings(database=None)
@given(st.lists(st.integers(0, 12).map(float), min_size=12, max_size=30),
       st.integers(-4, 30).map(lambda n: n / 2), st.sampled_from([HIGHER, LOWER]))
def test_when_assured_every_common_cause_point_meets_or_fails_as_said(
        values: list[float], target: float, better: BetterDirection) -> None:
    analysis = xmr(values, better, target, rules=RuleSet())

    def meets(value: float) -> bool:
        return value >= target if better is HIGHER else value <= target

    common = [p.value for p in analysis.points
              if p.classification is Classification.COMMON_CAUSE]
    if analysis.assurance.verdict is MEETS:
        assert all(map(meets, common))
    if analysis.assurance.verdict is FAILS:
        assert not any(map(meets, common))
