"""Commands refuse ill-formed values on construction, before anything reaches an aggregate:
scores, money and dates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from lifecycle.vocabulary import Criterion
from tests.unit.command_fields import DAY, ID, LATER, challenge, evaluation, funding


# -- scores ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("score", [-1, 6, 100], ids=str)
def test_a_score_outside_zero_to_five_is_refused(score: int) -> None:
    with pytest.raises(ValidationFailed, match=f"SAFETY must be scored 0 to 5, not {score}"
                       ) as info:
        evaluation(scores=((Criterion.SAFETY, score),))
    assert info.value.field == "scores"


@pytest.mark.parametrize("score", [2.5, 3.0, "4", None, True, False], ids=repr)
def test_a_score_that_is_not_a_whole_number_is_refused(score: object) -> None:
    with pytest.raises(ValidationFailed, match="must be scored 0 to 5"):
        evaluation(scores=((Criterion.PATIENT_OUTCOMES, 3), (Criterion.SAFETY, score)))


@pytest.mark.parametrize("score", [0, 5])
def test_scores_at_the_ends_of_the_scale_are_accepted(score: int) -> None:
    assert evaluation(scores=((Criterion.SAFETY, score),)).scores == ((Criterion.SAFETY, score),)


def test_a_criterion_scored_twice_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="SAFETY is scored twice") as info:
        evaluation(scores=((Criterion.SAFETY, 3), (Criterion.RISK, 2), (Criterion.SAFETY, 3)))
    assert info.value.field == "scores"


def test_an_evaluation_without_scores_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="score at least one criterion"):
        evaluation(scores=())


def test_scores_are_kept_in_criterion_order() -> None:
    command = evaluation(scores=((Criterion.SCALABILITY, 1), (Criterion.EFFICIENCY_AND_VALUE, 2)))
    assert command.scores == ((Criterion.EFFICIENCY_AND_VALUE, 2), (Criterion.SCALABILITY, 1))


# -- money ----------------------------------------------------------------------------------------
BAD_MONEY = [
    pytest.param("-0.01", "must not be negative", id="negative"),
    pytest.param(Decimal("-5"), "must not be negative", id="negative-decimal"),
    pytest.param(-3, "must not be negative", id="negative-int"),
    pytest.param("ten pounds", "is not an amount of money", id="words"),
    pytest.param("", "is not an amount of money", id="empty"),
    pytest.param(True, "must be an amount of money", id="bool"),
    pytest.param("NaN", "not an amount of money", id="nan-text"),  # text: digits only
    pytest.param(Decimal("Infinity"), "must be a finite amount", id="infinity"),
    pytest.param(float("inf"), "must be a finite amount", id="float-inf"),
    pytest.param(float("nan"), "must be a finite amount", id="float-nan"),
    pytest.param("1.005", "at most two decimal places", id="three-decimals"),
    pytest.param(Decimal("0.001"), "at most two decimal places", id="a-tenth-of-a-penny"),
    pytest.param(0.1 + 0.2, "at most two decimal places", id="float-noise"),
    pytest.param("1000000000.01", "must be at most 1000000000", id="over-the-maximum"),
]


@pytest.mark.parametrize(("amount", "message"), BAD_MONEY)
def test_estimated_cost_that_is_not_money_is_refused(amount: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        evaluation(estimated_cost=amount)
    assert info.value.field == "estimated_cost"


@pytest.mark.parametrize(("amount", "message"), BAD_MONEY)
def test_funding_amount_that_is_not_money_is_refused(amount: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        funding(amount=amount)
    assert info.value.field == "amount"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("12.5", "12.50"), (7, "7.00"), (Decimal("1E+3"), "1000.00"), ("0", "0.00"),
     ("1000000000", "1000000000.00"), (19.99, "19.99")],
    ids=str,
)
def test_money_is_kept_in_pence(amount: object, expected: str) -> None:
    cost = evaluation(estimated_cost=amount).estimated_cost
    assert cost == Decimal(expected)
    assert str(cost) == expected


@pytest.mark.parametrize("amount", ["0", "0.00", Decimal(0), 0])
def test_zero_funding_is_refused(amount: object) -> None:
    with pytest.raises(ValidationFailed, match="funding must be more than zero") as info:
        funding(amount=amount)
    assert info.value.field == "amount"


def test_a_penny_of_funding_is_accepted() -> None:
    assert funding(amount="0.01").amount == Decimal("0.01")


# -- dates ----------------------------------------------------------------------------------------
def test_funding_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="ends_on: must not be before starts_on") as info:
        funding(starts_on=LATER, ends_on=DAY)
    assert info.value.field == "ends_on"


def test_funding_may_end_on_the_day_it_starts_or_be_open_ended() -> None:
    assert funding(starts_on=DAY, ends_on=DAY).ends_on == DAY
    assert funding(starts_on=DAY, ends_on=None).ends_on is None


def test_a_challenge_closing_before_it_opens_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="closes_on: must not be before opens_on") as info:
        challenge(opens_on=LATER, closes_on=DAY)
    assert info.value.field == "closes_on"


def test_a_challenge_may_open_and_close_on_one_day() -> None:
    assert challenge(opens_on=DAY, closes_on=DAY).closes_on == DAY


def test_a_batch_of_observations_with_a_date_twice_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="a date appears twice in one batch") as info:
        c.RecordObservations(measure_id=ID, observations=(
            c.ObservationInput(on=DAY, value=1.0), c.ObservationInput(on=LATER, value=2.0),
            c.ObservationInput(on=DAY, value=1.0)))
    assert info.value.field == "observations"


def test_a_batch_of_observations_on_different_dates_is_accepted() -> None:
    command = c.RecordObservations(measure_id=ID, observations=(
        c.ObservationInput(on=DAY, value=1.0), c.ObservationInput(on=LATER, value=1.0)))
    assert len(command.observations) == 2


def test_negative_zero_money_is_stored_as_zero() -> None:
    assert str(v.money("m", "-0")) == "0.00"
