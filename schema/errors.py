"""Typed errors that mutations return as members of their payload unions.

Clients switch on ``__typename``; every error also has a ``message`` for people and a stable
``code`` for programs. ``carry_out`` is the one path from a mutation's input to its payload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar
from uuid import UUID

import strawberry

from lifecycle import errors as domain
from lifecycle.application import Outcome
from lifecycle.commands import Command
from schema.context import Context
from schema.ids import uuid_or_none


@strawberry.interface(description="A refusal: nothing was stored.")
class UserError:
    message: str
    code: str


@strawberry.type
class ValidationError(UserError):
    field: str


@strawberry.type
class NotFoundError(UserError):
    kind: str
    ident: strawberry.ID


@strawberry.type
class WrongStageError(UserError):
    stage: str
    allowed_from: list[str]


@strawberry.type
class InvalidStateError(UserError):
    pass


@strawberry.type
class InsufficientAuthorityError(UserError):
    required: str
    taken: str


@strawberry.type
class ForbiddenError(UserError):
    pass


@strawberry.type
class VersionConflictError(UserError):
    expected: int
    actual: int | None


@strawberry.type
class IdempotencyKeyReusedError(UserError):
    key: str


CommandError = (ValidationError | NotFoundError | WrongStageError | InvalidStateError
                | InsufficientAuthorityError | ForbiddenError | VersionConflictError
                | IdempotencyKeyReusedError)


def from_domain(error: domain.DomainError) -> CommandError:
    """The GraphQL type of a domain refusal."""
    m, code = error.message, error.code
    match error:
        case domain.ValidationFailed():
            return ValidationError(message=m, code=code, field=error.field)
        case domain.NotFound():
            return NotFoundError(message=m, code=code, kind=error.kind,
                                 ident=strawberry.ID(error.ident))
        case domain.WrongStage():
            return WrongStageError(message=m, code=code, stage=error.stage,
                                   allowed_from=error.allowed_from)
        case domain.InsufficientAuthority():
            return InsufficientAuthorityError(message=m, code=code, required=error.required,
                                              taken=error.taken)
        case domain.Forbidden():
            return ForbiddenError(message=m, code=code)
        case domain.VersionConflict():
            return VersionConflictError(message=m, code=code, expected=error.expected,
                                        actual=error.actual)
        case domain.IdempotencyKeyReused():
            return IdempotencyKeyReusedError(message=m, code=code, key=error.key)
        case _:
            return InvalidStateError(message=m, code=code)


# -- carrying out a command ------------------------------------------------------------------------
S = TypeVar("S")


class Request(Protocol):
    """A mutation's input: every one may carry an idempotency key."""

    @property
    def idempotency_key(self) -> str | None: ...


def key_field() -> Any:
    """The ``idempotencyKey`` field every mutation input has."""
    return strawberry.field(default=None, description=(
        "Send the same key again to repeat the request safely: it is carried out once and the "
        "original result returned (with replayed: true)."))


def version_field() -> Any:
    """The ``expectedVersion`` field of inputs addressed to an existing aggregate."""
    return strawberry.field(default=None, description=(
        "The version you last saw; if it has changed since, the answer is a "
        "VersionConflictError and nothing is stored."))


async def carry_out(ctx: Context, request: Request, build: Callable[[], Command],
                    present: Callable[[Context, Outcome], Awaitable[S]]) -> S | CommandError:
    """Build the command (input checks run here), execute it as the caller and present the
    outcome; any refusal on the way becomes the payload's typed error, with nothing stored.
    An anonymous caller gets the authentication error before any input is looked at."""
    # Only inputs addressed to an existing aggregate have an expected version.
    expected: int | None = getattr(request, "expected_version", None)
    caller = ctx.command(idempotency_key=request.idempotency_key, expected_version=expected)
    try:
        outcome = await ctx.service.execute(build(), caller)
        return await present(ctx, outcome)
    except domain.DomainError as error:
        return from_domain(error)


def required_id(field: str, value: strawberry.ID) -> UUID:
    """A client's id that the command needs, or a validation refusal naming ``field``."""
    ident = uuid_or_none(field, value)
    if ident is None:
        raise domain.ValidationFailed(field, "is required")
    return ident
