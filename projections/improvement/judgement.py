"""A measure judged into the rows the read model stores: its summary (the current variation,
the effect of every change, the assurance of its target) and every signal ever reported.

Signals, once reported, are history (``merge_history``). What counts as reported depends only
on the log: the measure is analysed as it stood after each of its events, in log order, and
every analysis is merged into what was reported before. A live projector analyses the events of
each batch and a rebuild every event, so both store the same rows however the log was batched;
both skip the analyses that cannot add a signal (``needed``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any, NamedTuple
from uuid import UUID

import orjson

from projections.improvement.series import AsOf, Series
from projections.improvement.signals import Direction
from projections.improvement.statistics import (
    Assurance,
    Effect,
    Phase,
    Refused,
    ReportedSignal,
    Rule,
    RuleSet,
    Signal,
    Summary,
    merge_history,
    summarise,
)

VARIATION, EFFECT = "VARIATION", "EFFECT"  # what a signal is evidence of


@dataclass
class Reported:
    """What a measure has reported so far: the signals of its current variation and of its
    changes' effects, and the log position of each (that of the latest recording of its
    points when it was found)."""

    variation: tuple[ReportedSignal, ...] = ()
    effects: tuple[ReportedSignal, ...] = ()
    positions: dict[Signal, int] = field(default_factory=dict)


class Judged(NamedTuple):
    summaries: list[tuple[Any, ...]]
    signals: list[tuple[Any, ...]]


def reported_of(rows: Iterable[Any]) -> Reported:
    """The stored signal rows of one measure, as reported signals."""
    reported = Reported()
    variation: list[ReportedSignal] = []
    effects: list[ReportedSignal] = []
    for row in rows:
        signal = Signal(Rule(row["rule"]), Direction(row["direction"]), tuple(row["points"]),
                        RuleSet.from_description(orjson.loads(row["rules"])), row["phase"],
                        row["limits_from"], row["sign"])
        (effects if row["evidence"] == EFFECT else variation).append(
            ReportedSignal(signal, row["current"]))
        reported.positions[signal] = row["position"]
    reported.variation, reported.effects = tuple(variation), tuple(effects)
    return reported


def judge(series: Sequence[Series], analysed_at: dict[UUID, list[int]],
          reported: dict[UUID, Reported]) -> Judged:
    """Each measure analysed as it stood after each of its events at ``analysed_at`` (in log
    order; the last is its latest event; none: as it stands), merged into what it ``reported``
    before: its summary row (of the last analysis) and all its signal rows."""
    summaries: list[tuple[Any, ...]] = []
    signals: list[tuple[Any, ...]] = []
    for s in series:
        before = reported.get(s.measure_id) or Reported()
        positions = dict(before.positions)
        variation, effects = before.variation, before.effects
        summary: Summary | None = None
        n_points, latest_on = 0, None
        at_positions: list[int | None] = [*analysed_at.get(s.measure_id, ())] or [None]
        skip = _Skip(s)
        for k, at in enumerate(at_positions):
            state = s.as_of(at)
            following = at_positions[k + 1] if k + 1 < len(at_positions) else None
            if following is not None and skip(state, following):
                continue
            try:
                summary = summarise(state.points, s.chart, s.better, state.starts, s.rules,
                                    s.target)
            except Refused:  # stored before the write side refused such numbers: not judged
                summary = None
                continue
            position_on = dict(zip((p.on for p in state.points), state.positions, strict=True))
            found_effects = [g for e in summary.effects for g in e.signals]
            for g in (*summary.signals, *found_effects):
                positions[g] = max(position_on[d] for d in g.points)
            variation = merge_history(variation, summary.signals)
            effects = merge_history(effects, found_effects)
            n_points = len(state.points)
            latest_on = state.points[-1].on if state.points else None
        summaries.append(_summary_row(s, summary, n_points, latest_on))
        for evidence, merged in ((VARIATION, variation), (EFFECT, effects)):
            signals.extend(_signal_row(s.measure_id, evidence, r, positions[r.signal])
                           for r in merged)
    return Judged(summaries, signals)


def needed(s: Series, positions: Sequence[int]) -> list[int]:
    """Of the positions of a measure's new events (in log order), those whose analysis can add
    a signal to its history; the last is always among them (it gives the summary row).

    An analysis at one position is skipped when the next position's analysis finds every
    signal it would (or a longer one continuing it, which ``merge_history`` keeps in its place,
    at the same log positions), so the rows are the same as analysing every event:
    - the series has fewer points than the rule set's ``minimum_points``: no phase has limits,
      so there is no signal;
    - the next event does not change the series (a target set): the next analysis is the same;
    - the next event only records points after the latest one, in the latest point's phase,
      which stays shorter than ``minimum_points``: its limits (carried from an earlier phase)
      and every other phase's are unchanged, so each rule's finding on the points so far is
      found again or extended (a run, a trend, a two-of-three) by the added points.
    Recalculated limits (a phase with its own limits grows), corrections, withdrawals and new
    phases can remove a signal, so the analysis before them is kept.
    """
    skip = _Skip(s)
    return [*(at for at, following in pairwise(positions) if not skip(s.as_of(at), following)),
            *positions[-1:]]


class _Skip:
    """Whether the analysis of a measure as it stood (``state``) can be skipped, given the
    position of its next event (``needed`` says when)."""

    def __init__(self, s: Series) -> None:
        self.recorded = {r.position: r for r in s.recordings}
        self.phased = {at for _, at in s.phases}
        self.minimum = s.rules.minimum_points

    def __call__(self, state: AsOf, following: int) -> bool:
        if len(state.points) < self.minimum:
            return True
        if following in self.phased:
            return False
        recording = self.recorded.get(following)
        return recording is None or _extends_a_short_phase(state.points, state.starts,
                                                           recording, self.minimum)


def _extends_a_short_phase(points: Sequence[Any], starts: Sequence[date], recording: Any,
                           minimum: int) -> bool:
    """Whether ``recording`` only adds points after the latest of ``points``, all in its phase,
    which then still has fewer than ``minimum`` points."""
    if not points or any(v is None for v in recording.values):
        return False
    latest = points[-1].on
    if min(recording.ons) <= latest:
        return False
    begins = max((d for d in starts if d <= latest), default=None)
    if any(latest < d <= max(recording.ons) for d in starts):
        return False  # a phase begins among the new points
    in_phase = sum(1 for p in points if begins is None or p.on >= begins)
    return in_phase + len(set(recording.ons)) < minimum


def _summary_row(s: Series, summary: Summary | None, n_points: int,
                 latest_on: date | None) -> tuple[Any, ...]:
    if summary is None:
        return (s.measure_id, "INSUFFICIENT_DATA", n_points, latest_on, "[]", s.rules.name,
                "[]", None)
    return (s.measure_id, summary.verdict.value, n_points, latest_on,
            _phases_json(summary.phases), summary.rule_set.name, _effects_json(summary.effects),
            _assurance_json(summary.assurance))


def _signal_row(measure_id: UUID, evidence: str, r: ReportedSignal,
                position: int) -> tuple[Any, ...]:
    g = r.signal
    return (measure_id, g.rule_set.name, g.phase, g.rule.value, g.points[0], g.points[-1],
            list(g.points), g.direction.value, position, evidence, g.sign, g.limits_from,
            orjson.dumps(g.rule_set.describe()).decode(), r.current)


def _phases_json(phases: Sequence[Phase]) -> str:
    return orjson.dumps([{
        "index": p.index, "start": p.start.isoformat(), "points": p.n_points,
        "insufficientData": p.insufficient_data, "limitsFrom": p.limits_from,
        "centre": p.centre, "lower": p.lower, "upper": p.upper,
        "meanMovingRange": p.mean_moving_range,
    } for p in phases]).decode()


def _effects_json(effects: Sequence[Effect]) -> str:
    return orjson.dumps([{
        "phase": e.phase, "start": e.start.isoformat(), "points": e.n_points,
        "baseline": e.baseline, "beforeCentre": e.before_centre,
        "beforeLower": e.before_lower, "beforeUpper": e.before_upper,
        "afterCentre": e.after_centre, "difference": e.difference, "verdict": e.verdict.value,
    } for e in effects]).decode()


def _assurance_json(a: Assurance) -> str:
    return orjson.dumps({"verdict": a.verdict.value, "target": a.target, "lower": a.lower,
                         "upper": a.upper}).decode()
