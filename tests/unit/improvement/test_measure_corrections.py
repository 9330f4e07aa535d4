"""A measure's definition records its rule set and target; a recorded observation is compared by
the numbers recorded, and corrected or withdrawn by an event that says who and why."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from uuid import uuid4

import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.errors import ValidationFailed
from lifecycle.improvement.commands import rule_set
from lifecycle.improvement.measure import Measure, Observation
from lifecycle.improvement.rules import MAKING_DATA_COUNT, RuleSet
from lifecycle.vocabulary import BetterDirection, ChartType
from tests.fixtures.freeze_events import HERE, mapper
from tests.unit.test_event_fixtures import stored

ORG = uuid4()
LEAD = CommandContext(Actor("lead-1", ORG, frozenset({Role.INNOVATION_LEAD})))
DAY = date(2024, 1, 1)


def defined(chart: ChartType = ChartType.XMR, better: str = "LOWER", **more: object) -> Measure:
    measure = Measure.define(LEAD, uuid4(), innovation_id=uuid4(), organisation_id=ORG,
                             site=None, name="Falls", unit="falls", better=better,
                             chart=chart.value,
                             **more)  # type: ignore[arg-type]
    measure.collect_events()
    return measure


def ratio(on: date, numerator: float, denominator: float,
          chart: ChartType = ChartType.P) -> Observation:
    return Observation.checked(chart, on, None, numerator, denominator)


def only_event(measure: Measure) -> object:
    events = measure.collect_events()
    assert len(events) == 1
    return events[0]


# -- the definition ------------------------------------------------------------------------------
def test_a_definition_stored_before_rule_sets_reads_as_making_data_count_with_no_target() -> None:
    fixture = json.loads((HERE / "MeasureDefined.v1.json").read_text())
    event = mapper().to_domain_event(stored(fixture))

    assert isinstance(event, Measure.MeasureDefined)
    assert RuleSet.from_description(event.rule_set) == MAKING_DATA_COUNT
    assert event.target is None


def test_a_definition_records_its_rule_set_and_target() -> None:
    lengths = rule_set(shift_length=6, trend_length=5)
    measure = Measure.define(LEAD, uuid4(), innovation_id=uuid4(), organisation_id=ORG,
                             site=None, name="Falls", unit="falls", better="LOWER", chart="XMR",
                             rule_set=lengths.describe(), target=8.0)

    event = only_event(measure)
    assert isinstance(event, Measure.MeasureDefined)
    assert RuleSet.from_description(event.rule_set) == lengths
    assert lengths.name == "custom"
    assert event.target == 8.0


def test_a_definition_without_a_rule_set_records_making_data_count() -> None:
    event = only_event(Measure.define(
        LEAD, uuid4(), innovation_id=uuid4(), organisation_id=ORG, site=None, name="n",
        unit="u", better="HIGHER", chart="P"))

    assert isinstance(event, Measure.MeasureDefined)
    assert event.rule_set == MAKING_DATA_COUNT.describe()


@pytest.mark.parametrize(("lengths", "message"), [
    ({"shift_length": 1}, "at least 2 points"),
    ({"minimum_points": 1}, "at least 2 points"),
    ({"multiplier": 0.0}, "multiplier"),
    ({"multiplier": math.inf}, "multiplier"),
    ({"name": " "}, "needs a name"),
])
def test_a_rule_set_that_makes_no_sense_is_refused_as_invalid_input(
        lengths: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        rule_set(**lengths)  # type: ignore[arg-type]
    assert info.value.field == "rule_set"


def test_a_definition_without_a_rule_set_or_target_keeps_the_fingerprint_it_had() -> None:
    """Requests made before rule sets and targets could be given were fingerprinted without
    them; a repeat after the upgrade must not be refused as another request."""
    innovation = uuid4()
    plain = c.DefineMeasure(innovation, name="n", unit="u", better=BetterDirection.LOWER,
                            chart=ChartType.XMR)
    stated = c.DefineMeasure(innovation, name="n", unit="u", better=BetterDirection.LOWER,
                             chart=ChartType.XMR, rule_set=MAKING_DATA_COUNT)
    other = c.DefineMeasure(innovation, name="n", unit="u", better=BetterDirection.LOWER,
                            chart=ChartType.XMR, target=3.0)

    assert plain.fingerprint() == stated.fingerprint() != other.fingerprint()
    assert plain.fingerprint() == _fingerprint_before(plain)


def _fingerprint_before(command: c.DefineMeasure) -> str:
    """The fingerprint as ``Command.fingerprint`` took it before the fields were added."""
    import hashlib

    import orjson
    payload = {"command": "DefineMeasure", "innovation_id": str(command.innovation_id),
               "name": command.name, "unit": command.unit, "better": command.better.value,
               "chart": command.chart.value, "site": command.site}
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


@pytest.mark.parametrize("target", [math.inf, -math.inf, math.nan, 1e16, -1e300])
def test_a_target_whose_statistics_would_not_be_finite_is_refused(target: float) -> None:
    with pytest.raises(ValidationFailed, match="a target must be a number between") as info:
        defined(target=target)
    assert info.value.field == "target"


def test_a_measure_with_no_better_direction_cannot_have_a_target() -> None:
    with pytest.raises(ValidationFailed, match="no better direction"):
        defined(better="NEITHER", target=1.0)
    measure = defined(better="NEITHER")
    with pytest.raises(ValidationFailed, match="no better direction"):
        measure.set_target(LEAD, 1.0, "r")
    assert measure.pending_events == []


def test_setting_a_target_records_it_and_why() -> None:
    measure = defined(target=5.0)

    measure.set_target(LEAD, 4.0, "the board raised the bar")

    event = only_event(measure)
    assert isinstance(event, Measure.TargetSet)
    assert (event.target, event.reason, event.actor) == (4.0, "the board raised the bar",
                                                         "lead-1")
    assert measure.target == 4.0
    measure.set_target(LEAD, None, "no longer targeted")
    assert measure.target is None
    with pytest.raises(ValidationFailed, match="already"):
        measure.set_target(LEAD, None, "again")


# -- p and u observations are their numbers, not their ratio -----------------------------------
@pytest.mark.parametrize(("first", "then"), [((0, 20), (0, 25)), ((1, 2), (2, 4)),
                                             ((3, 12), (6, 24))])
@pytest.mark.parametrize("chart", [ChartType.P, ChartType.U])
def test_other_counts_with_the_same_ratio_are_refused_not_silently_dropped(
        chart: ChartType, first: tuple[int, int], then: tuple[int, int]) -> None:
    measure = defined(chart)
    measure.record_observations(LEAD, [ratio(DAY, *first, chart=chart)])
    measure.collect_events()

    with pytest.raises(ValidationFailed, match="correct the observation instead"):
        measure.record_observations(LEAD, [ratio(DAY, *then, chart=chart)])
    assert measure.observations[DAY].denominator == first[1]


def test_the_same_counts_again_are_the_same_point() -> None:
    measure = defined(ChartType.P)
    measure.record_observations(LEAD, [ratio(DAY, 0, 20)])
    measure.collect_events()

    assert measure.record_observations(LEAD, [ratio(DAY, 0, 20)]) == 0


# -- corrections and withdrawals ------------------------------------------------------------------
def test_a_correction_records_the_new_numbers_the_old_ones_who_and_why() -> None:
    measure = defined(ChartType.P)
    measure.record_observations(LEAD, [ratio(DAY, 0, 20)])
    measure.collect_events()

    measure.correct_observation(LEAD, ratio(DAY, 0, 25), "five admissions were missed")

    event = only_event(measure)
    assert isinstance(event, Measure.ObservationCorrected)
    assert event.observation == {"on": DAY, "value": 0.0, "numerator": 0.0,
                                 "denominator": 25.0}
    assert event.was == {"on": DAY, "value": 0.0, "numerator": 0.0, "denominator": 20.0}
    assert (event.reason, event.actor) == ("five admissions were missed", "lead-1")
    assert measure.observations[DAY] == Observation(DAY, 0.0, 0.0, 25.0)


def test_a_correction_of_a_date_with_nothing_recorded_is_refused() -> None:
    measure = defined()
    with pytest.raises(ValidationFailed, match="no observation is recorded") as info:
        measure.correct_observation(LEAD, Observation(DAY, 3.0), "r")
    assert info.value.field == "on"
    assert measure.pending_events == []


def test_a_correction_to_the_numbers_recorded_is_refused() -> None:
    measure = defined()
    measure.record_observations(LEAD, [Observation(DAY, 3.0)])
    measure.collect_events()

    with pytest.raises(ValidationFailed, match="nothing to correct"):
        measure.correct_observation(LEAD, Observation(DAY, 3.0), "r")
    assert measure.pending_events == []


def test_a_withdrawal_records_what_was_withdrawn_who_and_why_and_frees_the_date() -> None:
    measure = defined()
    measure.record_observations(LEAD, [Observation(DAY, 3.0),
                                       Observation(DAY + timedelta(days=1), 4.0)])
    measure.collect_events()

    measure.withdraw_observation(LEAD, DAY, "recorded against the wrong ward")

    event = only_event(measure)
    assert isinstance(event, Measure.ObservationWithdrawn)
    assert (event.on, event.was["value"], event.reason) == (
        DAY, 3.0, "recorded against the wrong ward")
    assert DAY not in measure.observations
    assert measure.record_observations(LEAD, [Observation(DAY, 5.0)]) == 1
    with pytest.raises(ValidationFailed, match="no observation is recorded"):
        measure.withdraw_observation(LEAD, DAY + timedelta(days=2), "r")
