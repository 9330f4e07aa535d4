"""Every number an analysis gives is finite: input whose statistics would overflow is refused
with a typed error, by the bound the write side applies too (lifecycle.magnitude)."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator
from datetime import date, timedelta
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.errors import ValidationFailed
from lifecycle.improvement.measure import Observation
from lifecycle.improvement.rules import MAX_MULTIPLIER
from lifecycle.magnitude import LARGEST, SMALLEST_DENOMINATOR, out_of_range
from projections.improvement.statistics import (
    Analysis,
    BetterDirection,
    ChartType,
    InvalidSeries,
    InvalidTarget,
    OutOfRange,
    Point,
    RuleSet,
    analyse,
    summarise,
)

START = date(2024, 1, 1)
HIGHER, LOWER, NEITHER = BetterDirection.HIGHER, BetterDirection.LOWER, BetterDirection.NEITHER


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def xmr(values: list[float]) -> list[Point]:
    return [Point(week(i), v) for i, v in enumerate(values)]


def counted(pairs: list[tuple[float, float]]) -> list[Point]:
    return [Point(week(i), n / d, n, d) for i, (n, d) in enumerate(pairs)]


def numbers(found: object) -> Iterator[float]:
    """Every float in an analysis, however deeply it is held."""
    if isinstance(found, float):
        yield found
    elif isinstance(found, str | date | Enum | int):
        return
    elif dataclasses.is_dataclass(found):
        for field in dataclasses.fields(found):
            yield from numbers(getattr(found, field.name))
    elif isinstance(found, tuple | list):
        for item in found:
            yield from numbers(item)


def test_values_whose_limits_would_overflow_are_refused() -> None:
    # Finite values, but the moving range between them (3.4e308) and the limits lie beyond the
    # largest float: before the bound, the limits were infinite and the query failed.
    huge = xmr([1.7e308, -1.7e308] * 6)
    with pytest.raises(OutOfRange, match="between -1e\\+15 and 1e\\+15"):
        analyse(huge, ChartType.XMR, HIGHER)
    with pytest.raises(OutOfRange):
        summarise(huge, ChartType.XMR, HIGHER)


@pytest.mark.parametrize(("chart", "numerator", "denominator"), [
    (ChartType.P, 0.0, 5e-324),  # p(1 - p) / n overflows
    (ChartType.U, 1e308, 1e-300),  # the rate itself overflows
    (ChartType.U, 1.0, 1e-16),  # just below the smallest denominator
    (ChartType.U, 2e15, 1.0),
])
def test_counts_whose_statistics_would_overflow_are_refused(
        chart: ChartType, numerator: float, denominator: float) -> None:
    points = counted([(1.0, 2.0)] * 11 + [(numerator, denominator)])
    with pytest.raises(OutOfRange, match=str(week(11))):
        analyse(points, chart, HIGHER)


def test_the_bound_is_inclusive() -> None:
    at_bound = analyse(xmr([LARGEST, -LARGEST] * 6), ChartType.XMR, HIGHER)
    assert at_bound.phases[0].upper == pytest.approx(2.66 * 2 * LARGEST)
    beyond = math.nextafter(LARGEST, math.inf)
    with pytest.raises(OutOfRange):
        analyse(xmr([LARGEST] * 11 + [beyond]), ChartType.XMR, HIGHER)
    tiny = SMALLEST_DENOMINATOR
    smallest = analyse(counted([(0.0, tiny), (tiny, tiny)] * 6), ChartType.P, HIGHER)
    assert all(math.isfinite(x) for x in numbers(smallest))
    largest_rate = analyse(counted([(LARGEST, tiny), (0.0, tiny)] * 6), ChartType.U, HIGHER)
    assert largest_rate.phases[0].centre == pytest.approx(LARGEST / tiny / 2)
    assert all(math.isfinite(x) for x in numbers(largest_rate))


def test_the_write_side_check_names_the_same_bound() -> None:
    assert out_of_range(ChartType.XMR, LARGEST, None, None) is None
    assert out_of_range(ChartType.XMR, -2e15, None, None) is not None
    assert out_of_range(ChartType.XMR, math.nan, None, None) is not None
    assert out_of_range(ChartType.P, None, 1.0, SMALLEST_DENOMINATOR) is None
    assert out_of_range(ChartType.P, None, 1.0, SMALLEST_DENOMINATOR / 2) is not None
    assert out_of_range(ChartType.U, None, math.inf, 1.0) is not None


@pytest.mark.parametrize("target", [math.inf, -math.inf, math.nan, 2e15])
def test_a_target_that_is_not_a_reportable_number_is_refused(target: float) -> None:
    with pytest.raises(InvalidTarget, match="target"):
        analyse(xmr([1.0] * 12), ChartType.XMR, HIGHER, target=target)


def test_the_refusals_are_value_errors_of_one_family() -> None:
    assert issubclass(OutOfRange, InvalidSeries)
    assert issubclass(InvalidSeries, ValueError)
    assert issubclass(InvalidTarget, ValueError)


bounded = st.floats(-LARGEST, LARGEST) | st.sampled_from([LARGEST, -LARGEST, 0.0, 5e-324])
denominators = st.floats(SMALLEST_DENOMINATOR, LARGEST) | st.sampled_from(
    [SMALLEST_DENOMINATOR, LARGEST, 1.0])
multipliers = st.floats(1e-9, MAX_MULTIPLIER) | st.just(MAX_MULTIPLIER)


@st.composite
def accepted(draw: st.DrawFn) -> tuple[list[Point], ChartType, tuple[date, ...]]:
    """Any series the bound accepts: values, or counts over denominators, at its extremes."""
    chart = draw(st.sampled_from(list(ChartType)))
    n = draw(st.integers(0, 30))
    if chart is ChartType.XMR:
        points = xmr(draw(st.lists(bounded, min_size=n, max_size=n)))
    else:
        pairs = []
        for _ in range(n):
            denominator = draw(denominators)
            share = draw(st.floats(0.0, 1.0))
            numerator = share * denominator if chart is ChartType.P else draw(
                st.floats(0.0, LARGEST))
            pairs.append((numerator, denominator))
        points = counted(pairs)
    starts = tuple(sorted(draw(st.lists(st.integers(1, 29).map(week), max_size=2,
                                        unique=True))))
    return points, chart, starts


@settings(database=None, max_examples=300)
@given(accepted(), st.sampled_from([HIGHER, LOWER, NEITHER]), multipliers,
       st.integers(2, 12), st.booleans(), bounded)
def test_every_number_of_an_accepted_series_is_finite(
        drawn: tuple[list[Point], ChartType, tuple[date, ...]], better: BetterDirection,
        multiplier: float, minimum: int, screen: bool, target: float) -> None:
    points, chart, starts = drawn
    rules = RuleSet(name="drawn", multiplier=multiplier, minimum_points=minimum,
                    screen_moving_ranges=screen)
    analysis: Analysis = analyse(points, chart, better, starts, rules,
                                 None if better is NEITHER else target)
    assert all(math.isfinite(x) for x in numbers(analysis)), analysis


@settings(database=None)
@given(st.sampled_from(list(ChartType)), st.floats(allow_nan=False, allow_infinity=False),
       st.floats(0.0, allow_infinity=False), st.floats(5e-324, allow_infinity=False))
def test_the_statistics_refuse_exactly_what_the_write_side_bound_refuses(
        chart: ChartType, value: float, numerator: float, denominator: float) -> None:
    if chart is ChartType.P:
        numerator = min(numerator, denominator)
    point = Point(week(11), value, numerator, denominator)
    points = [Point(week(i), 1.0, 1.0, 1.0) for i in range(11)] + [point]
    problem = out_of_range(chart, value, numerator, denominator)
    if problem is None:
        analyse(points, chart, HIGHER)
    else:
        with pytest.raises(OutOfRange, match=re.escape(problem)):
            analyse(points, chart, HIGHER)


@pytest.mark.parametrize(("chart", "value", "numerator", "denominator"), [
    (ChartType.XMR, 1.7e308, None, None),
    (ChartType.XMR, -2e15, None, None),
    (ChartType.P, None, 0.0, 5e-324),
    (ChartType.U, None, 1e308, 1.0),
    (ChartType.U, None, 1.0, 2e15),
])
def test_the_write_side_refuses_an_observation_whose_statistics_would_overflow(
        chart: ChartType, value: float | None, numerator: float | None,
        denominator: float | None) -> None:
    with pytest.raises(ValidationFailed, match="must be a number between") as refused:
        Observation.checked(chart, week(0), value, numerator, denominator)
    assert refused.value.field == "observations[2024-01-01]"
    assert Observation.checked(chart, week(0), None if value is None else 1.0,
                               None if numerator is None else 0.0,
                               None if denominator is None else 1.0).on == week(0)
