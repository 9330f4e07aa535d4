"""The typed refusals of the write side.

Every command that cannot be carried out raises one of these before anything is stored. The API
turns each into a member of a mutation's payload union, so the names and fields are part of the
contract with clients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:  # lifecycle.actor imports this module
    from lifecycle.actor import Authority


class DomainError(Exception):
    """A command was refused; nothing was stored."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """An input value is out of range, empty, too long or inconsistent with another.

    ``field`` names the value in the domain's words, as the commands name it (``closes_on``,
    ``observations[2024-01-01]``); a ``reason`` that names other fields has ``{0}``, ``{1}``...
    in their place and the names in ``others``. Whoever shows the refusal in other words (the
    API's camelCase: ``schema/errors.py``) renames them all by ``said_as``."""

    code = "VALIDATION"

    def __init__(self, field: str, reason: str, *others: str) -> None:
        self.field = field
        self.others = others
        self._template = reason
        self.reason = reason.format(*others) if others else reason
        super().__init__(f"{field}: {self.reason}")

    def said_as(self, name: Callable[[str], str]) -> tuple[str, str]:
        """The field and the message with every field renamed by ``name``."""
        field = name(self.field)
        reason = self._template.format(*map(name, self.others)) if self.others else self.reason
        return field, f"{field}: {reason}"


class NotFound(DomainError):
    """The command names something that does not exist (or that the caller may not see)."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, ident: UUID | str) -> None:
        super().__init__(f"{kind} {ident} does not exist")
        self.kind = kind
        self.ident = str(ident)


class WrongStage(DomainError):
    """The innovation's stage does not allow the command."""

    code = "WRONG_STAGE"

    def __init__(self, action: str, stage: str, allowed_from: Iterable[str]) -> None:
        allowed = sorted(allowed_from)
        super().__init__(
            f"cannot {action} while the innovation is {stage}; "
            f"allowed from: {', '.join(allowed) or 'no stage'}"
        )
        self.action = action
        self.stage = stage
        self.allowed_from = allowed


class InvalidState(DomainError):
    """The command conflicts with the current state other than its stage (e.g. a second
    endorsement by the same person, completing a prototype twice)."""

    code = "INVALID_STATE"


class AlreadyErased(InvalidState):
    """The person named was erased before: there is nothing left of them to forget."""

    code = "ALREADY_ERASED"

    def __init__(self, subject: str) -> None:
        super().__init__(f"person {subject} is already erased")
        self.subject = subject


class InsufficientAuthority(DomainError):
    """A decision was taken below the authority that its cost and risk require."""

    code = "INSUFFICIENT_AUTHORITY"

    def __init__(self, required: Authority, taken: Authority) -> None:
        super().__init__(
            f"this decision requires {required.value} authority; it was taken at "
            f"{taken.value} level"
        )
        self.required = required
        self.taken = taken


class Forbidden(DomainError):
    """The caller's role or organisation does not permit the command."""

    code = "FORBIDDEN"


class VersionConflict(DomainError):
    """The aggregate has moved on since the version the client expected."""

    code = "VERSION_CONFLICT"

    def __init__(self, ident: UUID, expected: int, actual: int | None) -> None:
        super().__init__(
            f"{ident} is at version {actual if actual is not None else 'unknown'}, "
            f"not the expected {expected}; reload and try again"
        )
        self.ident = str(ident)
        self.expected = expected
        self.actual = actual


class IdempotencyKeyReused(DomainError):
    """The idempotency key was already used by this caller for a different request."""

    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different request; "
            "use a new key for a new request"
        )
        self.key = key
