"""Ids from clients, checked before they reach a command."""

from __future__ import annotations

from uuid import UUID

import strawberry

from lifecycle.errors import ValidationFailed


def parsed(value: strawberry.ID) -> UUID | None:
    """The id a client gave, or None when it is not one: a lookup by a malformed id finds
    nothing, as one by an id never issued."""
    try:
        return UUID(str(value))
    except ValueError:
        return None


def uuid_or_none(field: str, value: strawberry.ID | None) -> UUID | None:
    """A client's optional id, or a validation refusal naming ``field`` when it is not one."""
    if value is None:
        return None
    ident = parsed(value)
    if ident is None:
        raise ValidationFailed(field, "is not a valid id")
    return ident


def required_id(field: str, value: strawberry.ID) -> UUID:
    """A client's id that the command needs, or a validation refusal naming ``field``."""
    ident = uuid_or_none(field, value)
    if ident is None:
        raise ValidationFailed(field, "is required")
    return ident
