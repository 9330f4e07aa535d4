"""The rule set per measure: Making Data Count by default, its lengths configurable, and every
signal recording the rule set (name and lengths) that produced it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.improvement.rules import MAX_MULTIPLIER
from projections.improvement.statistics import (
    MAKING_DATA_COUNT,
    BetterDirection,
    ChartType,
    InvalidRuleSet,
    Point,
    Rule,
    RuleSet,
    analyse,
)

START = date(2024, 1, 1)
# Mean 10 (7, 12, 7, 12, 7 then seven points of 10.5 and 11): a shift of 7 above the mean.
SEVEN_ABOVE = [7, 12, 7, 12, 7, 11, 10.5, 11, 10.5, 11, 10.5, 10.5]


def week(i: int) -> date:
    return START + timedelta(weeks=i)


def rules_found(values: Sequence[float], rules: RuleSet) -> list[tuple[Rule, int]]:
    analysis = analyse([Point(week(i), float(v)) for i, v in enumerate(values)], ChartType.XMR,
                       BetterDirection.HIGHER, rules=rules)
    return [(s.rule, len(s.points)) for s in analysis.signals]


def test_making_data_count_is_described_by_its_name_and_lengths() -> None:
    assert MAKING_DATA_COUNT.describe() == {
        "name": "making-data-count", "shiftLength": 7, "trendLength": 7, "multiplier": 2.66,
        "screenMovingRanges": False, "minimumPoints": 12, "twoOfThree": True}
    assert RuleSet() == MAKING_DATA_COUNT


def test_a_description_read_back_through_json_is_the_same_rule_set() -> None:
    local = RuleSet(name="local", shift_length=8, trend_length=6, multiplier=3,
                    screen_moving_ranges=True, minimum_points=20, two_of_three=False)
    assert RuleSet.from_description(json.loads(json.dumps(local.describe()))) == local


def test_every_signal_records_the_rule_set_that_found_it() -> None:
    local = RuleSet(name="local", shift_length=7, trend_length=9)
    analysis = analyse([Point(week(i), float(v)) for i, v in enumerate(SEVEN_ABOVE)],
                       ChartType.XMR, BetterDirection.HIGHER, rules=local)
    assert analysis.signals
    assert {s.rule_set.describe()["trendLength"] for s in analysis.signals} == {9}
    assert {s.rule_set for s in analysis.signals} == {local}


def test_the_lengths_are_the_rule_sets() -> None:
    assert rules_found(SEVEN_ABOVE, MAKING_DATA_COUNT) == [(Rule.SHIFT, 7)]
    assert rules_found(SEVEN_ABOVE, RuleSet(name="eight", shift_length=8)) == []
    # With limits from 13 points, 12 are too few: insufficient data, no signal.
    assert rules_found(SEVEN_ABOVE, RuleSet(name="thirteen", minimum_points=13)) == []
    rising = [10, 12, 10, 12, 10, 8, 9, 10, 11, 12, 13, 14]
    assert rules_found(rising, MAKING_DATA_COUNT) == [(Rule.TREND, 7)]
    assert rules_found(rising, RuleSet(name="eight", trend_length=8)) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": " "}, "needs a name"),
    ({"shift_length": 1}, "at least 2"),
    ({"trend_length": 0}, "at least 2"),
    ({"minimum_points": 1}, "at least 2 points"),
    ({"shift_length": 7.0}, "whole numbers"),
    ({"minimum_points": True}, "whole numbers"),
    ({"multiplier": 0.0}, "multiplier"),
    ({"multiplier": MAX_MULTIPLIER * 1.01}, "multiplier"),
    ({"multiplier": float("nan")}, "multiplier"),
    ({"multiplier": True}, "multiplier"),
    ({"two_of_three": 1}, "true or false"),
])
def test_a_rule_set_that_makes_no_sense_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRuleSet, match=message):
        RuleSet(**fields)


@pytest.mark.parametrize("description", [
    {},
    {**MAKING_DATA_COUNT.describe(), "extra": 1},
    {k: v for k, v in MAKING_DATA_COUNT.describe().items() if k != "trendLength"},
    {**MAKING_DATA_COUNT.describe(), "shiftLength": "7"},
])
def test_a_description_that_is_not_a_rule_set_is_refused(description: dict[str, Any]) -> None:
    with pytest.raises(InvalidRuleSet):
        RuleSet.from_description(description)


@settings(database=None)
@given(st.builds(RuleSet, name=st.text(min_size=1).filter(str.strip),
                 shift_length=st.integers(2, 50), trend_length=st.integers(2, 50),
                 multiplier=st.floats(1e-6, MAX_MULTIPLIER), screen_moving_ranges=st.booleans(),
                 minimum_points=st.integers(2, 100), two_of_three=st.booleans()))
def test_any_rule_set_is_described_and_read_back_exactly(rules: RuleSet) -> None:
    assert RuleSet.from_description(json.loads(json.dumps(rules.describe()))) == rules
