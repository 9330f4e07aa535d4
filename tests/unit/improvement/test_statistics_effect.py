"""The effect of a change, the lasting answer to "did it improve?", and signals as history: a
recalculation of limits changes the current variation, never the effect or what was reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.improvement.statistics import (
    MAKING_DATA_COUNT,
    Analysis,
    BetterDirection,
    ChartType,
    Classification,
    Direction,
    EffectVerdict,
    Point,
    ReportedSignal,
    Rule,
    RuleSet,
    Signal,
    analyse,
    merge_history,
)

HIGHER, LOWER, NEITHER = BetterDirection.HIGHER, BetterDirection.LOWER, BetterDirection.NEITHER
START = date(2024, 1, 1)
# Issue 11's site: XmR, lower is better, 20 weekly baseline points, a change, then 12 points.
# Baseline mean 1200 / 20 = 60; its 19 moving ranges sum to 72, so the limits are
# 60 ± 2.66 * 72 / 19 = 60 ± 10.08: 49.92 and 70.08. After the change every point is below
# 49.92 and below the mean: outside the limits and a shift.
BASELINE = [62, 58, 61, 57, 63, 59, 60, 64, 56, 61, 59, 62, 58, 60, 63, 57, 61, 59, 62, 58]
AFTER = [41, 39, 42, 38, 40, 43, 37, 41, 39, 40, 42, 38]
CHANGE = START + timedelta(weeks=len(BASELINE))


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def xmr(values: Sequence[float], better: BetterDirection = HIGHER,
        starts: Sequence[date] = (), rules: RuleSet = MAKING_DATA_COUNT) -> Analysis:
    return analyse([Point(week(i), float(v)) for i, v in enumerate(values)], ChartType.XMR,
                   better, starts, rules)


def site(after: int) -> Analysis:
    return xmr(BASELINE + AFTER[:after], LOWER, (CHANGE,))


def rules_fired(signals: Sequence[Signal]) -> list[tuple[Rule, Direction, int]]:
    return sorted({(s.rule, s.direction, len(s.points)) for s in signals})


def test_the_effect_of_a_change_stays_improvement_when_the_new_phase_gets_its_own_limits(
        ) -> None:
    eleven, twelve = site(11), site(12)
    # With 11 points the new phase keeps the baseline's limits: the current variation is a
    # special-cause improvement, with a shift.
    assert eleven.phases[1].limits_from == 0
    assert eleven.verdict is Classification.SPECIAL_CAUSE_IMPROVEMENT
    assert (Rule.SHIFT, Direction.IMPROVEMENT, 11) in rules_fired(eleven.current_signals)
    # With the 12th the new phase has its own limits (mean 480 / 12 = 40, moving ranges 33 / 11
    # = 3: 32.02 to 47.98) and the new normal is common cause.
    assert twelve.phases[1].limits_from == 1
    assert (twelve.phases[1].centre, twelve.phases[1].lower, twelve.phases[1].upper) == \
        pytest.approx((40, 32.02, 47.98))
    assert twelve.verdict is Classification.COMMON_CAUSE
    assert twelve.current_signals == ()
    # The effect of the change is improvement, with its evidence, in both.
    for analysis, n, after_centre in ((eleven, 11, Fraction(442, 11)), (twelve, 12, 40)):
        (effect,) = analysis.effects
        assert (effect.phase, effect.start, effect.n_points, effect.baseline) == (1, CHANGE, n, 0)
        assert effect.verdict is EffectVerdict.IMPROVEMENT
        assert (effect.before_centre, effect.before_lower, effect.before_upper) == \
            pytest.approx((60, 49.92, 70.08))
        assert effect.after_centre == float(after_centre)
        assert effect.difference == float(after_centre - 60)  # in the measure's unit
        assert rules_fired(effect.signals) == [(Rule.OUTSIDE_LIMITS, Direction.IMPROVEMENT, 1),
                                               (Rule.SHIFT, Direction.IMPROVEMENT, n)]
        assert sum(s.rule is Rule.OUTSIDE_LIMITS for s in effect.signals) == n
        assert {(s.phase, s.limits_from) for s in effect.signals} == {(1, 0)}
    assert twelve.effects[0].difference == -20.0


def test_signals_reported_before_the_limits_were_recalculated_stay_as_history() -> None:
    reported = merge_history((), site(11).signals)
    assert all(r.current for r in reported)
    history = merge_history(reported, site(12).signals)
    assert [r.signal for r in history] == [r.signal for r in reported]  # none withdrawn
    assert not any(r.current for r in history)  # but none is current either
    assert (Rule.SHIFT, Direction.IMPROVEMENT, 11) in rules_fired([r.signal for r in history])


def test_a_grown_signal_continues_the_one_reported_before() -> None:
    reported = merge_history((), site(8).signals)
    history = merge_history(reported, site(10).signals)
    shifts = [r for r in history if r.signal.rule is Rule.SHIFT]
    assert [(len(r.signal.points), r.current) for r in shifts] == [(10, True)]


def test_no_signal_after_enough_points_is_no_detectable_change() -> None:
    # BASELINE again after the change: within the limits, no run of 7.
    for n, verdict in ((6, EffectVerdict.INSUFFICIENT_DATA),
                       (7, EffectVerdict.NO_DETECTABLE_CHANGE)):
        (effect,) = xmr(BASELINE + BASELINE[:n], LOWER, (CHANGE,)).effects
        assert (effect.verdict, effect.signals) == (verdict, ())


def test_a_change_for_the_worse_is_concern() -> None:
    (effect,) = xmr(BASELINE + [v + 30 for v in AFTER], HIGHER, (CHANGE,)).effects
    assert effect.verdict is EffectVerdict.IMPROVEMENT
    (effect,) = xmr(BASELINE + [v + 30 for v in AFTER], LOWER, (CHANGE,)).effects
    assert effect.verdict is EffectVerdict.CONCERN
    assert effect.difference == pytest.approx(10.0)


def test_with_no_better_direction_a_change_is_a_change() -> None:
    (effect,) = xmr(BASELINE + AFTER, NEITHER, (CHANGE,)).effects
    assert effect.verdict is EffectVerdict.CHANGE
    assert {s.direction for s in effect.signals} == {Direction.NEITHER}


def test_signals_both_ways_are_read_by_the_way_the_centre_line_moved() -> None:
    # One week far above the limits (70.08), then seven below the mean: concern and improvement
    # signals when lower is better. The mean after is (90 + 7 * 57) / 8 = 61.125, above 60.
    up = BASELINE + [90] + [57] * 7
    (effect,) = xmr(up, LOWER, (CHANGE,)).effects
    assert {s.direction for s in effect.signals} == {Direction.CONCERN, Direction.IMPROVEMENT}
    assert effect.difference == pytest.approx(1.125)
    assert effect.verdict is EffectVerdict.CONCERN
    # With the weeks below the mean lower still (55: mean 59.375) it moved the better way.
    (effect,) = xmr(BASELINE + [90] + [55] * 7, LOWER, (CHANGE,)).effects
    assert effect.verdict is EffectVerdict.IMPROVEMENT


def test_the_baseline_is_the_limits_in_force_just_before_the_change() -> None:
    # Phase 1 has its own limits (12 points, mean 40); phase 2 is judged against them, not
    # against the first phase's.
    second = [40, 42, 38, 41, 39, 40, 42, 38, 40, 41, 39, 40]
    analysis = xmr(BASELINE + second + [60] * 3, LOWER, (CHANGE, week(32)))
    assert [e.baseline for e in analysis.effects] == [0, 1]
    assert analysis.effects[1].before_centre == 40
    assert analysis.effects[1].verdict is EffectVerdict.CONCERN
    # A phase too short for its own limits carries the earlier ones, and so does its effect.
    short = xmr(BASELINE + AFTER[:5] + [60] * 3, LOWER, (CHANGE, week(25)))
    assert [e.baseline for e in short.effects] == [0, 0]
    assert short.effects[1].before_centre == 60


def test_without_limits_before_the_change_the_effect_is_insufficient_data() -> None:
    analysis = xmr(BASELINE[:6] + AFTER, LOWER, (week(6),))
    (effect,) = analysis.effects
    assert (effect.verdict, effect.baseline, effect.before_centre, effect.difference) == (
        EffectVerdict.INSUFFICIENT_DATA, None, None, None)
    assert effect.after_centre == sum(AFTER) / 12


def test_a_p_chart_effect_compares_pooled_proportions() -> None:
    # 20 of 100 a week for 12 weeks, then 40 of 100: p 0.2 to 0.4, a difference of 0.2.
    points = [Point(week(i), 0.0, 20.0 if i < 12 else 40.0, 100.0) for i in range(19)]
    (effect,) = analyse(points, ChartType.P, HIGHER, (week(12),)).effects
    assert (effect.before_centre, effect.after_centre) == pytest.approx((0.2, 0.4))
    assert effect.difference == pytest.approx(0.2)
    assert (effect.before_lower, effect.before_upper) == (None, None)
    assert effect.verdict is EffectVerdict.IMPROVEMENT


# Properties

values = st.lists(st.integers(0, 12).map(float), min_size=1, max_size=40)


@st.composite
def growing(draw: st.DrawFn) -> tuple[list[float], list[float], tuple[date, ...]]:
    """A series with up to two changes, and points added to it later (after them)."""
    before = draw(values)
    later = draw(st.lists(st.integers(0, 12).map(float), min_size=1, max_size=20))
    starts = draw(st.lists(st.integers(1, len(before)).map(week), max_size=2, unique=True))
    return before, later, tuple(sorted(starts))


def continues(later: Signal, earlier: Signal) -> bool:
    same = (later.rule, later.sign, later.direction, later.phase, later.limits_from,
            later.rule_set)
    return same == (earlier.rule, earlier.sign, earlier.direction, earlier.phase,
                    earlier.limits_from, earlier.rule_set) and \
        set(earlier.points) <= set(later.points)


@settings(database=None, max_examples=200)
@given(growing(), st.sampled_from([HIGHER, LOWER, NEITHER]))
def test_adding_later_points_never_removes_what_an_effect_found(
        drawn: tuple[list[float], list[float], tuple[date, ...]],
        better: BetterDirection) -> None:
    before, later, starts = drawn
    then = xmr(before, better, starts)
    now = xmr(before + later, better, starts)
    assert len(now.effects) >= len(then.effects)  # a change with no points yet has no effect
    for old, new in zip(then.effects, now.effects, strict=False):
        assert (new.phase, new.start, new.baseline, new.before_centre) == \
            (old.phase, old.start, old.baseline, old.before_centre)
        for signal in old.signals:
            assert any(continues(s, signal) for s in new.signals), signal


@settings(database=None, max_examples=100)
@given(values.filter(lambda v: len(v) >= 2), st.lists(st.integers(1, 39).map(week),
                                                      max_size=2, unique=True))
def test_a_history_built_point_by_point_keeps_every_signal_ever_reported(
        drawn: list[float], starts: list[date]) -> None:
    history: tuple[ReportedSignal, ...] = ()
    ever: list[Signal] = []
    for n in range(1, len(drawn) + 1):
        found = xmr(drawn[:n], LOWER, sorted(starts)).signals
        ever.extend(found)
        history = merge_history(history, found)
    latest = xmr(drawn, LOWER, sorted(starts)).signals
    assert sorted(map(repr, (r.signal for r in history if r.current))) == \
        sorted(map(repr, latest))
    kept = [r.signal for r in history]
    for signal in ever:
        assert any(continues(k, signal) for k in kept), signal
    assert merge_history(history, latest) == history  # merging again changes nothing


@settings(database=None, max_examples=100)
@given(growing(), st.sampled_from([HIGHER, LOWER]))
def test_before_recalculation_the_effect_is_what_the_chart_shows(
        drawn: tuple[list[float], list[float], tuple[date, ...]],
        better: BetterDirection) -> None:
    """A phase too short for its own limits is judged against the limits in force before its
    change: its signals then are exactly its effect's."""
    before, later, starts = drawn
    analysis = xmr(before + later, better, starts)
    for effect, phase in zip(analysis.effects, analysis.phases[1:], strict=True):
        if phase.n_points < MAKING_DATA_COUNT.minimum_points and effect.baseline is not None:
            assert phase.limits_from == effect.baseline
            assert effect.signals == tuple(s for s in analysis.signals if s.phase == phase.index)
