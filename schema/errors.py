"""Typed errors that mutations return as members of their payload unions, and the one place the
domain's names of inputs become the API's.

Clients switch on ``__typename``; every error also has a ``message`` for people and a stable
``code`` for programs.
"""

from __future__ import annotations

import re

import strawberry

from lifecycle import errors as domain
from lifecycle.actor import Authority
from lifecycle.innovations.stage import Stage


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
    stage: Stage
    allowed_from: list[Stage]


@strawberry.type
class InvalidStateError(UserError):
    pass


@strawberry.type
class InsufficientAuthorityError(UserError):
    required: Authority = strawberry.field(
        description="The least authority the decision needs (as Decision.requiredAuthority).")
    taken: Authority = strawberry.field(description="The authority it was taken at.")


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


_SNAKE = re.compile(r"_([a-z0-9])")


def graphql_name(field: str) -> str:
    """The API's name of an input the domain names in snake_case: ``closes_on`` is ``closesOn``,
    ``filter.submitted_from`` is ``filter.submittedFrom``; a name already in camelCase, and what
    a name carries in brackets (``observations[2024-01-01]``), stay as they are."""
    name, bracket, rest = field.partition("[")
    return _SNAKE.sub(lambda m: m[1].upper(), name) + bracket + rest


def said(error: domain.DomainError) -> str:
    """A refusal's message as the API says it: with the API's names of the inputs it names."""
    if isinstance(error, domain.ValidationFailed):
        return error.said_as(graphql_name)[1]
    return error.message


def from_domain(error: domain.DomainError) -> CommandError:
    """The GraphQL type of a domain refusal (a ``ValidationError``'s field and message name the
    input as the API does: ``graphql_name``)."""
    m, code = said(error), error.code
    match error:
        case domain.ValidationFailed():
            return ValidationError(message=m, code=code, field=graphql_name(error.field))
        case domain.NotFound():
            return NotFoundError(message=m, code=code, kind=error.kind,
                                 ident=strawberry.ID(error.ident))
        case domain.WrongStage():
            return WrongStageError(message=m, code=code, stage=Stage(error.stage),
                                   allowed_from=[Stage(s) for s in error.allowed_from])
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
