"""Proportionate governance: the least authority a decision needs, from its cost and risk."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from lifecycle import commands as c
from lifecycle.actor import Authority
from lifecycle.errors import InsufficientAuthority, ValidationFailed
from lifecycle.governance.authority import Risk, Thresholds, check_authority, required_authority
from lifecycle.vocabulary import OrganisationKind

DEFAULT = Thresholds()


def test_default_thresholds_are_the_documented_limits() -> None:
    assert DEFAULT.to_record() == {
        "team_max_cost": "10000", "team_max_risk": "LOW",
        "directorate_max_cost": "100000", "directorate_max_risk": "MEDIUM",
        "executive_max_cost": "1000000", "executive_max_risk": "HIGH",
    }


@pytest.mark.parametrize(
    ("cost", "risk", "expected"),
    [
        ("0", Risk.LOW, Authority.TEAM),
        ("10000", Risk.LOW, Authority.TEAM),
        ("10000.01", Risk.LOW, Authority.DIRECTORATE),
        ("0", Risk.MEDIUM, Authority.DIRECTORATE),
        ("100000", Risk.MEDIUM, Authority.DIRECTORATE),
        ("100000.01", Risk.LOW, Authority.EXECUTIVE),
        ("100000.01", Risk.MEDIUM, Authority.EXECUTIVE),
        ("0", Risk.HIGH, Authority.EXECUTIVE),
        ("1000000", Risk.HIGH, Authority.EXECUTIVE),
        ("1000000.01", Risk.LOW, Authority.BOARD),
        ("0", Risk.VERY_HIGH, Authority.BOARD),
        ("5000000", Risk.VERY_HIGH, Authority.BOARD),
    ],
)
def test_required_authority_with_default_thresholds(cost: str, risk: Risk,
                                                    expected: Authority) -> None:
    assert required_authority(Decimal(cost), risk, DEFAULT) is expected


def test_the_higher_of_cost_and_risk_decides_the_level() -> None:
    # Cheap but risky and costly but safe both leave the team's authority.
    assert required_authority(Decimal("1"), Risk.HIGH, DEFAULT) is Authority.EXECUTIVE
    assert required_authority(Decimal("500000"), Risk.LOW, DEFAULT) is Authority.EXECUTIVE


CUSTOM = Thresholds(
    team_max_cost=Decimal("500"), team_max_risk=Risk.MEDIUM,
    directorate_max_cost=Decimal("2000"), directorate_max_risk=Risk.MEDIUM,
    executive_max_cost=Decimal("50000"), executive_max_risk=Risk.VERY_HIGH,
)


@pytest.mark.parametrize(
    ("cost", "risk", "expected"),
    [
        ("500", Risk.MEDIUM, Authority.TEAM),
        ("500.01", Risk.LOW, Authority.DIRECTORATE),
        ("2000", Risk.MEDIUM, Authority.DIRECTORATE),
        ("100", Risk.HIGH, Authority.EXECUTIVE),
        ("100", Risk.VERY_HIGH, Authority.EXECUTIVE),
        ("50000", Risk.VERY_HIGH, Authority.EXECUTIVE),
        ("50000.01", Risk.LOW, Authority.BOARD),
    ],
)
def test_required_authority_with_custom_thresholds(cost: str, risk: Risk,
                                                   expected: Authority) -> None:
    assert required_authority(Decimal(cost), risk, CUSTOM) is expected


def test_equal_limits_at_two_levels_give_the_lower_level() -> None:
    flat = Thresholds(team_max_cost=Decimal("100"), directorate_max_cost=Decimal("100"),
                      executive_max_cost=Decimal("100"), team_max_risk=Risk.HIGH,
                      directorate_max_risk=Risk.HIGH, executive_max_risk=Risk.HIGH)

    assert required_authority(Decimal("100"), Risk.HIGH, flat) is Authority.TEAM
    assert required_authority(Decimal("100.01"), Risk.LOW, flat) is Authority.BOARD


def test_zero_limits_send_everything_with_a_cost_to_the_board() -> None:
    nothing_delegated = Thresholds(team_max_cost=Decimal(0), directorate_max_cost=Decimal(0),
                                   executive_max_cost=Decimal(0))

    assert required_authority(Decimal("0"), Risk.LOW, nothing_delegated) is Authority.TEAM
    assert required_authority(Decimal("0.01"), Risk.LOW, nothing_delegated) is Authority.BOARD


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"team_max_cost": Decimal("-1")}, "must not be negative"),
        ({"team_max_cost": Decimal("-1"), "directorate_max_cost": Decimal("-1"),
          "executive_max_cost": Decimal("-1")}, "must not be negative"),
        ({"team_max_cost": 5}, "must be finite amounts"),
        ({"team_max_cost": Decimal("200000")}, "cost limits must rise"),
        ({"directorate_max_cost": Decimal("2000000")}, "cost limits must rise"),
        ({"team_max_risk": Risk.HIGH}, "risk limits must rise"),
        ({"directorate_max_risk": Risk.VERY_HIGH}, "risk limits must rise"),
        ({"executive_max_risk": Risk.LOW}, "risk limits must rise"),
    ],
)
def test_invalid_thresholds_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as info:
        Thresholds(**fields)  # type: ignore[arg-type]
    assert info.value.field == "thresholds"
    assert info.value.code == "VALIDATION"


def test_a_cost_limit_that_is_not_a_number_is_refused_as_invalid() -> None:
    with pytest.raises(ValidationFailed):
        Thresholds(team_max_cost=Decimal("NaN"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"team_max_cost": Decimal("0.001")}, "at most two decimal places"),
        ({"executive_max_cost": Decimal("1000000000.01")}, "must be at most"),
    ],
)
def test_new_cost_limits_that_are_not_money_are_refused_by_the_commands(
        fields: dict[str, Decimal], message: str) -> None:
    thresholds = Thresholds(**fields)  # type: ignore[arg-type]
    for build in (
            lambda: c.ChangeThresholds(organisation_id=uuid4(), thresholds=thresholds,
                                       reason="r"),
            lambda: c.RegisterOrganisation(name="n", kind=OrganisationKind.TRUST,
                                           thresholds=thresholds)):
        with pytest.raises(ValidationFailed, match=message) as info:
            build()
        assert info.value.field == "thresholds"


def test_limits_stored_before_they_were_checked_as_money_still_load() -> None:
    """Events are never changed: a limit accepted once is replayed as it was."""
    record = DEFAULT.to_record() | {"team_max_cost": "0.001",
                                    "executive_max_cost": "2000000000"}
    loaded = Thresholds.from_record(record)
    assert loaded.team_max_cost == Decimal("0.001")
    assert loaded.executive_max_cost == Decimal("2000000000")


def test_thresholds_survive_their_stored_record() -> None:
    assert Thresholds.from_record(CUSTOM.to_record()) == CUSTOM
    assert Thresholds.from_record(DEFAULT.to_record()) == DEFAULT


def test_a_stored_record_with_invalid_limits_is_refused() -> None:
    record = DEFAULT.to_record() | {"team_max_cost": "-5"}

    with pytest.raises(ValidationFailed, match="must not be negative"):
        Thresholds.from_record(record)


@pytest.mark.parametrize("level", list(Authority), ids=str)
def test_a_decision_at_exactly_the_required_level_is_allowed_and_not_escalated(
        level: Authority) -> None:
    assert check_authority(level, level) is False


@pytest.mark.parametrize(
    ("taken", "required"),
    [
        (Authority.DIRECTORATE, Authority.TEAM),
        (Authority.BOARD, Authority.TEAM),
        (Authority.EXECUTIVE, Authority.DIRECTORATE),
        (Authority.BOARD, Authority.EXECUTIVE),
    ],
)
def test_a_decision_above_the_required_level_is_escalated(taken: Authority,
                                                          required: Authority) -> None:
    assert check_authority(taken, required) is True


@pytest.mark.parametrize(
    ("taken", "required"),
    [
        (Authority.TEAM, Authority.DIRECTORATE),
        (Authority.TEAM, Authority.BOARD),
        (Authority.DIRECTORATE, Authority.EXECUTIVE),
        (Authority.EXECUTIVE, Authority.BOARD),
    ],
)
def test_a_decision_below_the_required_level_is_refused(taken: Authority,
                                                        required: Authority) -> None:
    with pytest.raises(InsufficientAuthority,
                       match=f"requires {required.value} authority; "
                             f"it was taken at {taken.value} level") as info:
        check_authority(taken, required)
    assert (info.value.required, info.value.taken) == (required, taken)
    assert info.value.code == "INSUFFICIENT_AUTHORITY"


def test_authority_levels_are_ordered_team_to_board_by_less_than() -> None:
    # As strings, "board" < "directorate" < "executive" < "team": the order must be the rank.
    assert Authority.TEAM < Authority.DIRECTORATE < Authority.EXECUTIVE < Authority.BOARD
    assert not Authority.BOARD < Authority.TEAM
    assert Authority.TEAM <= Authority.TEAM
    assert not Authority.BOARD <= Authority.EXECUTIVE
    assert sorted([Authority.BOARD, Authority.TEAM, Authority.EXECUTIVE]) == [
        Authority.TEAM, Authority.EXECUTIVE, Authority.BOARD]
    assert [a.rank for a in Authority] == [0, 1, 2, 3]


def test_authority_greater_than_follows_the_rank_too() -> None:
    assert Authority.BOARD > Authority.TEAM
    assert Authority.EXECUTIVE >= Authority.DIRECTORATE
    assert not Authority.TEAM > Authority.BOARD
    assert max(Authority) is Authority.BOARD


def test_risk_levels_are_ordered_low_to_very_high() -> None:
    assert [r.rank for r in (Risk.LOW, Risk.MEDIUM, Risk.HIGH, Risk.VERY_HIGH)] == [0, 1, 2, 3]
