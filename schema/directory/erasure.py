"""Erasing a person (UK GDPR Article 17) through the API: the ``erasePerson`` mutation, which
only a platform administrator may call (``lifecycle.directory.handlers.erase_person``); and
``erasedPeople``, which of the opaque person ids a client shows lead to no one any more."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from lifecycle import commands
from lifecycle import validation as v
from lifecycle.application import Outcome
from lifecycle.directory.erasure import PersonErasure
from lifecycle.errors import ValidationFailed
from projections.directory import people
from schema import arguments
from schema.commands import Change, CommandInput, command_input, mutations
from schema.context import Context
from schema.reads import ConsistentWith

MAX_SUBJECTS = 100  # ids asked about at once: a page of records' people

Info = strawberry.Info[Context, None]


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


@command_input(commands.ErasePerson, PersonErased,
               "Erase a person (platform administrators): delete their name and contact details "
               "for good. Erasing someone unknown is a NotFoundError; someone already erased, "
               "an InvalidStateError with code ALREADY_ERASED.")
class ErasePersonInput(CommandInput):
    subject: strawberry.ID = strawberry.field(description="The person's opaque id.")


@mutations(ErasePersonInput)
class PersonMutations:
    """The mutations declared with the inputs above, in the order listed."""


@strawberry.type(description="An opaque person id that leads to no one: the person was erased.")
class ErasedPerson:
    subject: strawberry.ID
    erased_at: datetime


@strawberry.type
class PersonQueries:
    @strawberry.field(description=(
        "Which of these opaque person ids (a submitter, an owner, a decision-maker...) belong "
        f"to people who were erased (at most {MAX_SUBJECTS} ids; the others are left out): "
        "show them as erased. Names are never served: the records hold ids only."))
    async def erased_people(self, info: Info, subjects: list[strawberry.ID],
                            consistent_with: ConsistentWith = None) -> list[ErasedPerson]:
        ctx = info.context
        with arguments.checked():
            if len(subjects) > MAX_SUBJECTS:
                raise ValidationFailed("subjects", f"at most {MAX_SUBJECTS} ids at once")
            wanted = [v.subject(f"subjects[{n}]", str(s)) for n, s in enumerate(subjects)]
        await ctx.read_at(consistent_with, "directory")  # refuses anonymous callers first
        async with ctx.reads.pool.acquire() as conn:
            rows = await people.erased(conn, wanted)
        return [ErasedPerson(subject=strawberry.ID(r["subject"]), erased_at=r["erased_at"])
                for r in rows]
