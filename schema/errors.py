"""Typed errors that mutations return as members of their payload unions.

Clients switch on ``__typename``; every error also has a ``message`` for people and a stable
``code`` for programs.
"""

from __future__ import annotations

import strawberry

from lifecycle import errors as domain


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
