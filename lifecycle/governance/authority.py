"""Proportionate governance: the least authority a decision needs, from its cost and risk.

The board guide's complaint is that executive approval is demanded for proposals that do not need
it; so the system computes the minimum level, refuses a decision taken below it, and records one
taken above it as escalated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from lifecycle import validation
from lifecycle.actor import Authority
from lifecycle.errors import InsufficientAuthority, ValidationFailed


class Risk(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"

    @property
    def rank(self) -> int:
        return list(Risk).index(self)


class DecisionOutcome(StrEnum):
    ADOPT = "ADOPT"
    ADAPT = "ADAPT"
    PILOT_FURTHER = "PILOT_FURTHER"
    REJECT = "REJECT"
    DEFER = "DEFER"


@dataclass(frozen=True)
class Thresholds:
    """The most a level may approve alone; anything above the executive's goes to the board."""

    team_max_cost: Decimal = Decimal("10000")
    team_max_risk: Risk = Risk.LOW
    directorate_max_cost: Decimal = Decimal("100000")
    directorate_max_risk: Risk = Risk.MEDIUM
    executive_max_cost: Decimal = Decimal("1000000")
    executive_max_risk: Risk = Risk.HIGH

    def __post_init__(self) -> None:
        costs = [self.team_max_cost, self.directorate_max_cost, self.executive_max_cost]
        # Lenient on purpose: thresholds are rebuilt from every stored event, so what was once
        # accepted must load forever. Commands check new limits as money (``checked_money``).
        if not all(isinstance(c, Decimal) and c.is_finite() for c in costs):
            raise ValidationFailed("thresholds", "cost limits must be finite amounts")
        if any(c < 0 for c in costs):
            raise ValidationFailed("thresholds", "cost limits must not be negative")
        if costs != sorted(costs):
            raise ValidationFailed("thresholds", "cost limits must rise from team to executive")
        risks = [self.team_max_risk.rank, self.directorate_max_risk.rank,
                 self.executive_max_risk.rank]
        if risks != sorted(risks):
            raise ValidationFailed("thresholds", "risk limits must rise from team to executive")

    def checked_money(self) -> None:
        """Refuse new cost limits that are not amounts of money (pounds and pence, at most the
        money limit), as every other amount is."""
        for cost in (self.team_max_cost, self.directorate_max_cost, self.executive_max_cost):
            validation.money("thresholds", cost)

    def to_record(self) -> dict[str, str]:
        return {k: v.value if isinstance(v, Risk) else str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Thresholds:
        return cls(
            team_max_cost=Decimal(record["team_max_cost"]),
            team_max_risk=Risk(record["team_max_risk"]),
            directorate_max_cost=Decimal(record["directorate_max_cost"]),
            directorate_max_risk=Risk(record["directorate_max_risk"]),
            executive_max_cost=Decimal(record["executive_max_cost"]),
            executive_max_risk=Risk(record["executive_max_risk"]),
        )


def required_authority(cost: Decimal, risk: Risk, thresholds: Thresholds) -> Authority:
    """The lowest level whose cost and risk limits both cover the proposal."""
    limits = [
        (Authority.TEAM, thresholds.team_max_cost, thresholds.team_max_risk),
        (Authority.DIRECTORATE, thresholds.directorate_max_cost, thresholds.directorate_max_risk),
        (Authority.EXECUTIVE, thresholds.executive_max_cost, thresholds.executive_max_risk),
    ]
    for level, max_cost, max_risk in limits:
        if cost <= max_cost and risk.rank <= max_risk.rank:
            return level
    return Authority.BOARD


def check_authority(taken: Authority, required: Authority) -> bool:
    """Refuse a decision below ``required``; return whether it was escalated above it."""
    if taken < required:
        raise InsufficientAuthority(required, taken)
    return required < taken
