"""A measure keeps the facts SPC needs: its definition, dated observations and phase changes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TypeVar
from uuid import uuid4

import pytest

from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.errors import DomainError, InvalidState, ValidationFailed
from lifecycle.improvement.measure import MAX_BATCH, Measure, Observation
from lifecycle.vocabulary import ChartType

ORG = uuid4()
INNOVATION = uuid4()
LEAD = CommandContext(Actor("lead-1", ORG, frozenset({Role.INNOVATION_LEAD})))
DAY = date(2024, 1, 1)
WHERE = "observations\\[2024-01-01\\]"

X = TypeVar("X", bound=DomainError)


def day(n: int) -> date:
    return DAY + timedelta(days=n)


def defined(chart: ChartType = ChartType.XMR) -> Measure:
    measure = Measure.define(LEAD, uuid4(), innovation_id=INNOVATION, organisation_id=ORG,
                             site="Royal Glamorgan", name="Wait for frailty review",
                             unit="hours", better="LOWER", chart=chart.value)
    measure.collect_events()
    return measure


def xmr(n: int, value: float) -> Observation:
    return Observation.checked(ChartType.XMR, day(n), value, None, None)


def recorded_observations(measure: Measure) -> list[dict[str, object]]:
    events = measure.collect_events()
    assert [type(e).__name__ for e in events] == ["ObservationsRecorded"]
    event = events[0]
    assert isinstance(event, Measure.ObservationsRecorded)
    return event.observations


@contextmanager
def refused(measure: Measure, error: type[X],
            match: str | None = None) -> Iterator[pytest.ExceptionInfo[X]]:
    """The command inside is refused with ``error`` and leaves nothing to store."""
    version = measure.version
    observations, phases = dict(measure.observations), list(measure.phases)
    with pytest.raises(error, match=match) as info:
        yield info
    assert measure.pending_events == []
    assert measure.version == version
    assert (measure.observations, measure.phases) == (observations, phases)


# -- define ---------------------------------------------------------------------------------------
def test_define_records_the_measure_for_an_innovation_at_a_site() -> None:
    ident = uuid4()

    measure = Measure.define(LEAD, ident, innovation_id=INNOVATION, organisation_id=ORG,
                             site=None, name="Falls", unit="falls per 1,000 bed days",
                             better="LOWER", chart="U")

    events = measure.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Measure.MeasureDefined)
    assert event.originator_id == ident
    assert (event.innovation_id, event.organisation_id, event.site) == (INNOVATION, ORG, None)
    assert (event.name, event.unit, event.better, event.chart) == (
        "Falls", "falls per 1,000 bed days", "LOWER", "U")
    assert measure.chart is ChartType.U
    assert measure.observations == {}
    assert measure.phases == []


# -- Observation.checked --------------------------------------------------------------------------
@pytest.mark.parametrize("value", [0, -4.5, 12.25, 1e9], ids=repr)
def test_an_xmr_observation_keeps_its_value(value: float) -> None:
    observation = Observation.checked(ChartType.XMR, DAY, value, None, None)

    assert observation == Observation(DAY, float(value), None, None)
    assert isinstance(observation.value, float)


def test_an_xmr_observation_ignores_a_numerator_and_denominator() -> None:
    assert Observation.checked(ChartType.XMR, DAY, 3.0, 1.0, 2.0) == Observation(DAY, 3.0)


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf], ids=repr)
def test_an_xmr_observation_without_a_finite_value_is_refused(value: float | None) -> None:
    with pytest.raises(ValidationFailed, match="an XmR observation needs a finite value") as info:
        Observation.checked(ChartType.XMR, DAY, value, None, None)
    assert info.value.field == "observations[2024-01-01]"


@pytest.mark.parametrize(
    ("numerator", "denominator", "value"),
    [(3, 4, 0.75), (0, 10, 0.0), (10, 10, 1.0)],
    ids=["part", "none", "all"],
)
def test_a_p_observation_derives_its_proportion(numerator: float, denominator: float,
                                                value: float) -> None:
    observation = Observation.checked(ChartType.P, DAY, None, numerator, denominator)

    assert observation == Observation(DAY, value, float(numerator), float(denominator))


def test_a_p_observation_ignores_a_value_given_with_it() -> None:
    assert Observation.checked(ChartType.P, DAY, 99.0, 1.0, 4.0).value == 0.25


def test_a_u_observation_derives_its_rate_which_may_exceed_one() -> None:
    observation = Observation.checked(ChartType.U, DAY, None, 15, 4)

    assert observation == Observation(DAY, 3.75, 15.0, 4.0)


BAD_RATIOS = [
    pytest.param(None, 10.0, "needs a numerator and a denominator", id="no-numerator"),
    pytest.param(1.0, None, "needs a numerator and a denominator", id="no-denominator"),
    pytest.param(None, None, "needs a numerator and a denominator", id="neither"),
    pytest.param(1.0, 0.0, "the denominator must be a positive number", id="zero-denominator"),
    pytest.param(1.0, -5.0, "the denominator must be a positive number",
                 id="negative-denominator"),
    pytest.param(1.0, math.inf, "the denominator must be a positive number",
                 id="infinite-denominator"),
    pytest.param(1.0, math.nan, "the denominator must be a positive number",
                 id="nan-denominator"),
    pytest.param(math.nan, 5.0, WHERE, id="nan-numerator"),
    pytest.param(math.inf, 5.0, WHERE, id="infinite-numerator"),
    pytest.param(-1.0, 5.0, "the numerator must not be negative", id="negative-numerator"),
]


@pytest.mark.parametrize("chart", [ChartType.P, ChartType.U], ids=str)
@pytest.mark.parametrize(("numerator", "denominator", "message"), BAD_RATIOS)
def test_a_ratio_observation_with_a_bad_numerator_or_denominator_is_refused(
        chart: ChartType, numerator: float | None, denominator: float | None,
        message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        Observation.checked(chart, DAY, None, numerator, denominator)
    assert info.value.field == "observations[2024-01-01]"


def test_a_missing_numerator_names_the_chart_type() -> None:
    with pytest.raises(ValidationFailed, match="a U observation needs a numerator"):
        Observation.checked(ChartType.U, DAY, 1.0, None, 3.0)


def test_a_proportion_above_one_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="numerator cannot exceed its denominator"):
        Observation.checked(ChartType.P, DAY, None, 11, 10)


@pytest.mark.parametrize("numerator", [math.inf, math.nan], ids=repr)
def test_a_non_finite_numerator_is_refused_for_what_it_is(numerator: float) -> None:
    with pytest.raises(ValidationFailed, match="numerator"):
        Observation.checked(ChartType.U, DAY, None, numerator, 5.0)


def test_an_observation_has_a_stored_record() -> None:
    assert Observation(DAY, 0.5, 1.0, 2.0).record() == {
        "on": DAY, "value": 0.5, "numerator": 1.0, "denominator": 2.0}


# -- record_observations --------------------------------------------------------------------------
def test_new_observations_are_recorded_in_date_order() -> None:
    measure = defined()

    count = measure.record_observations(LEAD, [xmr(3, 30.0), xmr(1, 10.0), xmr(2, 20.0)])

    assert count == 3
    observations = recorded_observations(measure)
    assert [o["on"] for o in observations] == [day(1), day(2), day(3)]
    assert observations[0] == {"on": day(1), "value": 10.0, "numerator": None,
                               "denominator": None}
    assert {on: o.value for on, o in measure.observations.items()} == {
        day(1): 10.0, day(2): 20.0, day(3): 30.0}


def test_ratio_observations_keep_numerator_and_denominator() -> None:
    measure = defined(ChartType.P)
    point = Observation.checked(ChartType.P, DAY, None, 3, 12)

    assert measure.record_observations(LEAD, [point]) == 1

    assert recorded_observations(measure) == [
        {"on": DAY, "value": 0.25, "numerator": 3.0, "denominator": 12.0}]
    assert measure.observations == {DAY: Observation(DAY, 0.25, 3.0, 12.0)}


def test_a_repeated_batch_records_nothing_and_returns_zero() -> None:
    measure = defined()
    batch = [xmr(1, 10.0), xmr(2, 20.0)]
    measure.record_observations(LEAD, batch)
    measure.collect_events()
    version = measure.version

    assert measure.record_observations(LEAD, batch) == 0

    assert measure.pending_events == []
    assert measure.version == version


def test_a_batch_overlapping_recorded_points_records_only_the_new_ones() -> None:
    measure = defined()
    measure.record_observations(LEAD, [xmr(1, 10.0), xmr(2, 20.0)])
    measure.collect_events()

    count = measure.record_observations(LEAD, [xmr(2, 20.0), xmr(3, 30.0), xmr(1, 10.0)])

    assert count == 1
    assert [o["on"] for o in recorded_observations(measure)] == [day(3)]
    assert len(measure.observations) == 3


def test_a_value_equal_but_for_float_rounding_counts_as_the_same_point() -> None:
    measure = defined()
    measure.record_observations(LEAD, [xmr(1, 0.3)])
    measure.collect_events()

    assert measure.record_observations(LEAD, [xmr(1, 0.1 + 0.2)]) == 0
    assert measure.pending_events == []


def test_a_different_value_for_a_recorded_date_is_refused() -> None:
    measure = defined()
    measure.record_observations(LEAD, [xmr(0, 10.0)])
    measure.collect_events()

    with refused(measure, ValidationFailed,
                 match="a different value \\(10.0\\) is already recorded") as info:
        measure.record_observations(LEAD, [xmr(1, 11.0), xmr(0, 12.0)])
    assert info.value.field == "observations[2024-01-01]"
    assert day(1) not in measure.observations  # the batch's good point is not kept either


def test_two_values_for_one_date_in_a_batch_are_refused() -> None:
    measure = defined()

    with refused(measure, ValidationFailed, match="a different value"):
        measure.record_observations(LEAD, [xmr(0, 1.0), xmr(0, 2.0)])


def test_the_same_point_twice_in_a_batch_is_recorded_once() -> None:
    measure = defined()

    assert measure.record_observations(LEAD, [xmr(0, 1.0), xmr(0, 1.0)]) == 1

    assert len(recorded_observations(measure)) == 1


def test_an_empty_batch_is_refused() -> None:
    measure = defined()

    with refused(measure, ValidationFailed, match="observations: must not be empty"):
        measure.record_observations(LEAD, [])


def test_a_batch_over_the_maximum_is_refused() -> None:
    measure = defined()
    batch = [xmr(n, 1.0) for n in range(MAX_BATCH + 1)]

    with refused(measure, ValidationFailed, match=f"at most {MAX_BATCH} in one batch"):
        measure.record_observations(LEAD, batch)


def test_a_batch_of_the_maximum_size_is_recorded() -> None:
    measure = defined()

    assert measure.record_observations(LEAD, [xmr(n, 1.0) for n in range(MAX_BATCH)]) == MAX_BATCH
    assert len(recorded_observations(measure)) == MAX_BATCH


# -- phases ---------------------------------------------------------------------------------------
def test_start_phase_records_who_decided_and_why() -> None:
    measure = defined()

    measure.start_phase(LEAD, starts_on=day(30), description="virtual rounds began",
                        reason="the change went live on both wards")

    events = measure.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Measure.PhaseStarted)
    assert (event.starts_on, event.description, event.reason) == (
        day(30), "virtual rounds began", "the change went live on both wards")
    assert event.actor == "lead-1"
    assert measure.phases == [day(30)]


def test_a_later_phase_may_follow_an_earlier_one() -> None:
    measure = defined()
    measure.start_phase(LEAD, starts_on=day(30), description="d", reason="r")
    measure.collect_events()

    measure.start_phase(LEAD, starts_on=day(31), description="d2", reason="r2")

    assert len(measure.collect_events()) == 1
    assert measure.phases == [day(30), day(31)]


@pytest.mark.parametrize("offset", [0, -1, -30], ids=["same-day", "day-before", "month-before"])
def test_a_phase_not_after_the_last_one_is_refused(offset: int) -> None:
    measure = defined()
    measure.start_phase(LEAD, starts_on=day(30), description="d", reason="r")
    measure.collect_events()

    with refused(measure, InvalidState,
                 match="a phase already starts on 2024-01-31; a new phase must start after it"):
        measure.start_phase(LEAD, starts_on=day(30 + offset), description="d", reason="r")

