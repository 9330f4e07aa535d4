"""The shorthand of the statistics' worked examples: classifications and directions by short
name, the weekly dates points fall on, the baseline of the first worked example, and an analysis
of a series (tests/unit/improvement/test_statistics_*.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from projections.improvement.statistics import (
    MAKING_DATA_COUNT,
    Analysis,
    BetterDirection,
    ChartType,
    Classification,
    Direction,
    Point,
    Rule,
    RuleSet,
    analyse,
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
