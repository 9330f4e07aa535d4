"""GraphQL types of development read back: the funding secured."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from projections.development import queries as f


@strawberry.type
class FundingTotal:
    key: str
    label: str | None
    amount: Decimal
    awards: int


@strawberry.type
class FundingSummary:
    amount: Decimal
    awards: int
    by_source: list[FundingTotal]

    @classmethod
    def of(cls, value: f.FundingSummary) -> FundingSummary:
        return cls(amount=value.amount, awards=value.awards,
                   by_source=[FundingTotal(key=str(t.key), label=t.label, amount=t.amount,
                                           awards=t.awards) for t in value.by_source])
