"""Erasing a person (UK GDPR Article 17) through the API: the ``erasePerson`` mutation, which
only a platform administrator may call (``lifecycle.directory.handlers.erase_person``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry

from lifecycle import commands
from lifecycle.application import Outcome
from lifecycle.directory.erasure import PersonErasure
from schema.commands import Change, carry_out, key_field
from schema.context import Context
from schema.errors import CommandError

Info = strawberry.Info[Context, None]


@strawberry.input
class ErasePersonInput:
    subject: strawberry.ID = strawberry.field(description="The person's opaque id.")
    idempotency_key: str | None = key_field()


@strawberry.type(description=(
    "The person was erased: their key, name and contact details are deleted for good, and the "
    "log records that the id leads to no one. Everything else they did stays, under their id."))
class PersonErased(Change):
    subject: strawberry.ID = strawberry.field(description="The erased person's opaque id.")
    erased_at: datetime = strawberry.field(description="When the log recorded the erasure.")

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        erasure = await ctx.service.load(PersonErasure, outcome.aggregate_id)
        return cls(subject=strawberry.ID(erasure.subject), erased_at=erasure.created_on,
                   **Change.receipt(ctx, outcome))


ErasePersonPayload = Annotated[PersonErased | CommandError, strawberry.union("ErasePersonPayload")]


@strawberry.type
class PersonMutations:
    @strawberry.mutation(description=(
        "Erase a person (platform administrators): delete their name and contact details for "
        "good. Erasing someone unknown is a NotFoundError; someone already erased, an "
        "InvalidStateError with code ALREADY_ERASED."))
    async def erase_person(self, info: Info, input: ErasePersonInput) -> ErasePersonPayload:
        return await carry_out(info.context, input, lambda: commands.ErasePerson(
            str(input.subject)), PersonErased.of)
