"""Carrying out a command from a mutation: ``carry_out`` is the one path from a mutation's input
to its payload; the input fields every mutation shares; and ``Change``, what every success
payload carries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

import strawberry

from lifecycle import errors as domain
from lifecycle.application import Outcome
from lifecycle.commands import Command
from schema import positions
from schema.context import Context
from schema.errors import CommandError, from_domain

S = TypeVar("S")


@strawberry.interface(description="A command was carried out: where its events are in the log.")
class Change:
    position: str = strawberry.field(
        description="Opaque cursor of the log position of the command's last event.")
    replayed: bool = strawberry.field(
        description="True when this repeats an earlier request with the same idempotency key.")

    @staticmethod
    def receipt(ctx: Context, outcome: Outcome) -> dict[str, Any]:
        """The ``Change`` fields of a payload for ``outcome``."""
        return {"position": positions.encode(ctx.service.epoch, outcome.position),
                "replayed": outcome.replayed}


async def read_position(ctx: Context, outcome: Outcome) -> int:
    """The log position a payload's object is read at (from the read models, once they reach
    it): the command's own last event, or for a replay, whose position is the original write's,
    the log's head now, so that the object is as it now is."""
    return await ctx.service.head() if outcome.replayed else outcome.position


def now_description(noun: str) -> str:
    """How a payload describes the object a command changed."""
    return (f"The {noun} as it is now: after the change, or its current state when the request "
            "is a replay (whose position is the original write's).")


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


@strawberry.input(description="A decision about an innovation, which must say why.")
class ReasonedInput:
    innovation_id: strawberry.ID
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()
