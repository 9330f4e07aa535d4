"""Ids from clients, checked before they reach a command."""

from __future__ import annotations

from uuid import UUID

import strawberry

from lifecycle.errors import ValidationFailed


def uuid_or_none(field: str, value: strawberry.ID | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(field, "is not a valid id") from None


def required_id(field: str, value: strawberry.ID) -> UUID:
    """A client's id that the command needs, or a validation refusal naming ``field``."""
    ident = uuid_or_none(field, value)
    if ident is None:
        raise ValidationFailed(field, "is required")
    return ident
