"""Input limits, checked before any command reaches an aggregate.

The limits are part of the API contract and are documented in the README.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from lifecycle.errors import ValidationFailed

TITLE_MAX = 200
NAME_MAX = 200
SHORT_TEXT_MAX = 2_000
LONG_TEXT_MAX = 10_000
TAG_MAX = 40
TAGS_MAX = 20
MONEY_MAX = Decimal("1000000000")
IDEMPOTENCY_KEY_MAX = 200


# Control characters other than tab, newline and carriage return: NUL cannot be stored in a
# PostgreSQL text column at all (a read model would stop on it), and none belongs in prose.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    """Strip surrounding space; refuse empty (when required), over-long, or control characters."""
    if not isinstance(value, str):
        raise ValidationFailed(field, "must be text")
    if _CONTROL.search(value):
        raise ValidationFailed(field, "must not contain control characters")
    stripped = value.strip()
    if required and not stripped:
        raise ValidationFailed(field, "must not be empty")
    if len(stripped) > limit:
        raise ValidationFailed(field, f"must be at most {limit} characters (got {len(stripped)})")
    return stripped


def optional_text(field: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return text(field, value, limit, required=False) or None


def tags(field: str, values: Sequence[str]) -> tuple[str, ...]:
    if len(values) > TAGS_MAX:
        raise ValidationFailed(field, f"at most {TAGS_MAX} tags")
    cleaned = [text(field, v, TAG_MAX).lower() for v in values]
    return tuple(dict.fromkeys(cleaned))


def money(field: str, value: Decimal | str | int | float) -> Decimal:
    """A non-negative amount in pounds with at most two decimal places."""
    if isinstance(value, bool):
        raise ValidationFailed(field, "must be an amount of money")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(field, f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValidationFailed(field, "must be a finite amount")
    if amount < 0:
        raise ValidationFailed(field, "must not be negative")
    if amount > MONEY_MAX:
        raise ValidationFailed(field, f"must be at most {MONEY_MAX}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(field, "must have at most two decimal places (pence)")
    # abs() of zero drops the sign of "-0", which would otherwise be stored as "-0.00".
    return (abs(amount) if amount == 0 else amount).quantize(Decimal("0.01"))


def date_order(first_field: str, first: date | None, last_field: str, last: date | None) -> None:
    if first is not None and last is not None and last < first:
        raise ValidationFailed(last_field, f"must not be before {first_field}")


def idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    return text("idempotencyKey", value, IDEMPOTENCY_KEY_MAX)
