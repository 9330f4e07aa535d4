"""A rebuild analyses a measure only where an analysis can add a signal to its history
(``judgement.needed``), and stores the same rows as a live projector folding one event per
batch, which analyses after every event: over generated series of recordings (after the latest
point or correcting earlier ones, withdrawals) and change dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.improvement.rules import MAKING_DATA_COUNT, RuleSet
from projections.improvement.judgement import Judged, Reported, judge, needed, reported_of
from projections.improvement.projection import SIGNAL_COLUMNS
from projections.improvement.series import Recording, Series

START = date(2025, 1, 6)
SHORT = RuleSet(name="short", shift_length=4, trend_length=4, minimum_points=5)


def week(n: int) -> date:
    return START + timedelta(weeks=n)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Series, list[int]]:
    """A measure's events: recordings of new weeks, corrections and withdrawals of recorded
    ones, and phase starts, each at its own log position."""
    rules = draw(st.sampled_from([MAKING_DATA_COUNT, SHORT]))
    recordings: list[Recording] = []
    phases: list[tuple[date, int]] = []
    positions: list[int] = []
    weeks = 0
    for position in range(1, draw(st.integers(2, 14)) + 1):
        kind = draw(st.sampled_from(["record", "record", "record", "correct", "withdraw",
                                     "phase", "target"]))
        if kind == "record" or weeks == 0:
            n = draw(st.integers(1, 8))
            values = draw(st.lists(st.sampled_from([40.0, 50.0, 55.0, 60.0, 62.0, 80.0]),
                                   min_size=n, max_size=n))
            recordings.append(Recording(position, [week(weeks + i) for i in range(n)],
                                        list(values), [None] * n, [None] * n))
            weeks += n
        elif kind in ("correct", "withdraw"):
            on = week(draw(st.integers(0, weeks - 1)))
            value = None if kind == "withdraw" else draw(st.sampled_from([30.0, 58.0, 90.0]))
            recordings.append(Recording(position, [on], [value], [None], [None]))
        elif kind == "phase":
            phases.append((week(draw(st.integers(1, weeks + 3))), position))
        positions.append(position)
    phases.sort()
    return Series(uuid4(), "XMR", "LOWER", rules, None, recordings, phases), positions


def rows(judged: Judged) -> tuple[list[Any], list[Any]]:
    return judged.summaries, sorted(judged.signals, key=repr)


def stored(signals: list[tuple[Any, ...]]) -> Reported:
    return reported_of(dict(zip(SIGNAL_COLUMNS, row, strict=True)) for row in signals)


@settings(max_examples=300, deadline=None)
@given(histories())
def test_a_rebuild_stores_what_a_live_fold_of_one_event_a_batch_stores(
        history: tuple[Series, list[int]]) -> None:
    series, positions = history
    reported = Reported()
    live = Judged([], [])
    for position in positions:  # one event a batch, analysed after each
        live = judge([series], {series.measure_id: [position]},
                     {series.measure_id: reported})
        reported = stored(live.signals)
    rebuilt = judge([series], {series.measure_id: positions}, {})
    assert rows(rebuilt) == rows(live)


def test_analyses_that_cannot_add_a_signal_are_skipped() -> None:
    """Too few points for limits; before an event that changes nothing; before points added
    to a phase still too short for limits of its own. Kept: before limits are recalculated."""
    baseline = Recording(1, [week(i) for i in range(12)], [60.0] * 12, [None] * 12, [None] * 12)
    early = Recording(2, [week(12)], [40.0], [None], [None])
    later = Recording(4, [week(13)], [41.0], [None], [None])
    short = Recording(5, [week(i) for i in range(14, 23)], [40.0] * 9, [None] * 9, [None] * 9)
    filling = Recording(6, [week(23), week(24)], [39.0, 41.0], [None] * 2, [None] * 2)
    series = Series(uuid4(), "XMR", "LOWER", MAKING_DATA_COUNT, None,
                    [baseline, early, later, short, filling], [(week(12), 3)])
    # 0: defined, no points (skipped); 1: 12 points, then a 13th in the same phase, whose
    # limits are recalculated (kept); 2: then a phase starts (kept); 3 and 4: the new phase
    # grows to 2, then 11 points, judged by the carried limits (skipped); 5: then to 13, with
    # limits of its own (kept); 6: the last.
    assert needed(series, [0, 1, 2, 3, 4, 5, 6]) == [1, 2, 5, 6]
