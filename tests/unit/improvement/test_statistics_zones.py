"""p and u charts: the two-of-three zone lies between two and three standard errors from the
centre, on the unclipped limits, so a value that cannot occur (below 0, above 100%) never
falls in it and a zero week of a rare event is not "near the limit"."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.improvement.statistics import (
    BetterDirection,
    ChartType,
    Direction,
    Point,
    Rule,
    analyse,
)

START = date(2024, 1, 1)
WEEKS = 52
CHARTS = 500  # simulated charts per process
SEED = 11


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def counts(pairs: Sequence[tuple[int, float]]) -> list[Point]:
    return [Point(week(i), n / d, float(n), float(d)) for i, (n, d) in enumerate(pairs)]


def two_of_three(points: list[Point], chart: ChartType) -> list[tuple[Direction, int]]:
    analysis = analyse(points, chart, BetterDirection.HIGHER)
    return [(s.direction, len(s.points)) for s in analysis.signals if s.rule is Rule.TWO_OF_THREE]


def test_zero_weeks_of_a_rare_event_are_not_near_a_lower_limit_clipped_at_zero() -> None:
    # 10 events in 12 weeks of 20: p = 10 / 240 = 0.04167, standard error
    # sqrt(0.04167 * 0.95833 / 20) = 0.04468. The lower limit (-0.0924) is clipped to 0, and
    # the zone begins at 0.04167 - 2 * 0.04468 = -0.0477, below any possible value: the three
    # zero weeks in a row are all below the centre, but none is near the limit. Measured to
    # the clipped limit, the zone began at 0.04167 / 3 = 0.0139 and the zeros were "near" it.
    points = counts([(n, 20) for n in (1, 1, 0, 0, 0, 1, 2, 1, 1, 2, 0, 1)])
    analysis = analyse(points, ChartType.P, BetterDirection.HIGHER)
    assert analysis.points[2].lower == 0.0
    assert two_of_three(points, ChartType.P) == []
    assert analysis.signals == ()


def test_zero_weeks_of_a_rare_rate_are_not_near_a_lower_limit_clipped_at_zero() -> None:
    # 24 events over 12 weeks of exposure 2: u = 1, standard error sqrt(1 / 2) = 0.7071; the
    # lower limit (-1.12) is clipped to 0 and the zone begins at 1 - 1.414 = -0.414.
    events = (2, 3, 0, 0, 0, 2, 4, 3, 2, 3, 2, 3)
    points = counts([(n, 2) for n in events])
    assert sum(events) == 24
    assert two_of_three(points, ChartType.U) == []


def test_two_points_between_two_and_three_standard_errors_are_a_signal() -> None:
    # p = 0.2 with 100 a week: standard error 0.04, zone from 0.28 to the limit 0.32. After the
    # baseline (its limits carried into a short phase), 0.29 and 0.31 around a 0.21 signal;
    # 0.27 and 0.31 do not (0.27 is less than two standard errors out).
    baseline = [(n, 100) for n in (20, 22, 18, 20, 21, 19, 20, 18, 22, 20, 19, 21)]
    assert sum(n for n, _ in baseline) == 240
    for after, expected in (((29, 21, 31), [(Direction.IMPROVEMENT, 2)]), ((27, 21, 31), [])):
        points = counts(baseline + [(n, 100) for n in after])
        analysis = analyse(points, ChartType.P, BetterDirection.HIGHER, (week(12),))
        assert [(s.direction, len(s.points)) for s in analysis.signals
                if s.rule is Rule.TWO_OF_THREE] == expected


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: count uniform draws until their product falls below e^-mean."""
    threshold, k, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


Process = Callable[[random.Random], tuple[int, float]]
# In-control processes whose lower limits are clipped at 0 (each a week's events and its
# denominator): p = 5% of 20 (the case in issue 11), the same with 15 to 25 a week, and a rate
# of 1 per unit of exposure with 2 units a week.
PROCESSES: dict[str, tuple[ChartType, Process]] = {
    "p 5% of 20": (ChartType.P, lambda rng: (binomial(rng, 20, 0.05), 20.0)),
    "p 5% of 15 to 25": (ChartType.P, lambda rng: (binomial(rng, n := rng.randint(15, 25), 0.05),
                                                   float(n))),
    "u 1 per unit, 2 units": (ChartType.U, lambda rng: (poisson(rng, 2.0), 2.0)),
}


def false_two_of_three_rate(chart: ChartType, process: Process, seed: int = SEED) -> float:
    """The share of simulated 52-week in-control charts (one phase, limits on all 52 weeks)
    in which two of three fires: every such signal is false."""
    rng = random.Random(seed)
    raised = 0
    for _ in range(CHARTS):
        points = counts([process(rng) for _ in range(WEEKS)])
        assert points[0].denominator is not None
        raised += bool(two_of_three(points, chart))
    return raised / CHARTS


@pytest.mark.parametrize("name", list(PROCESSES))
def test_two_of_three_rarely_fires_on_an_in_control_process_with_a_clipped_limit(
        name: str) -> None:
    # Seeded, so each rate is one exact figure. With the 500 charts here: p 5% of 20, 6.6%;
    # p of 15 to 25, 4.6%; u, 4.2%. With the zone measured to the clipped limit they were
    # 94.6%, 98.6% and 60.8% (false_two_of_three_rate, with CHARTS = 2000: 7.55% against 95.45%
    # for p 5% of 20).
    chart, process = PROCESSES[name]
    rng = random.Random(SEED)
    clipped = counts([process(rng) for _ in range(WEEKS)])
    assert min(p.lower for p in analyse(clipped, chart, BetterDirection.HIGHER).points
               if p.lower is not None) == 0.0
    assert false_two_of_three_rate(chart, process) < 0.15


@st.composite
def proportions(draw: st.DrawFn) -> list[Point]:
    """12 to 40 weeks of events out of 1 to 60 (a proportion, or a rate per unit)."""
    weeks = draw(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60)), min_size=12,
                          max_size=40))
    return [Point(week(i), min(k, d) / d, float(min(k, d)), float(d))
            for i, (k, d) in enumerate(weeks)]


@settings(database=None, max_examples=200)
@given(proportions(), st.sampled_from([ChartType.P, ChartType.U]))
def test_every_point_near_a_limit_is_two_to_three_standard_errors_from_the_centre(
        points: list[Point], chart: ChartType) -> None:
    analysis = analyse(points, chart, BetterDirection.HIGHER)
    by_date = {p.on: p for p in points}
    centre = analysis.phases[0].centre
    assert centre is not None
    for signal in analysis.signals:
        if signal.rule is not Rule.TWO_OF_THREE:
            continue
        for on in signal.points:
            point = by_date[on]
            assert point.numerator is not None
            assert point.denominator is not None
            spread = centre * (1 - centre) if chart is ChartType.P else centre
            error = math.sqrt(spread / point.denominator)
            distance = abs(point.numerator / point.denominator - centre)
            assert 2 * error * (1 - 1e-12) <= distance <= 3 * error * (1 + 1e-12)
