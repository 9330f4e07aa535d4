"""What the mutations on an innovation return: a past-tense fact carrying the innovation as it now
is, the log position of the command's last event, and the id of anything the command created.
Each fact is declared with its mutation's input (``InnovationChange.fact``)."""

from __future__ import annotations

from typing import Any, ClassVar, Self

import strawberry

from lifecycle.application import Outcome
from lifecycle.errors import NotFound
from projections.innovations import queries as innovation_queries
from schema.commands import Change, now_description, read_position
from schema.context import Context
from schema.innovations.types import READ_MODELS, Innovation, Related


@strawberry.interface(description="A command changed an innovation.")
class InnovationChange(Change):
    innovation: Innovation = strawberry.field(description=now_description("innovation"))

    # The field, if any, that carries the id of what the command created (``Outcome.created_id``).
    created: ClassVar[str | None] = None

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        ids: dict[str, Any] = (
            {cls.created: strawberry.ID(str(outcome.created_id))} if cls.created else {})
        return cls(innovation=await changed(ctx, outcome),
                   **Change.receipt(ctx, outcome), **ids)


async def changed(ctx: Context, outcome: Outcome) -> Innovation:
    """The innovation a command changed, as it now is and as the caller sees it: read from the
    read models once they hold the command's events (``read_position``), so that a payload
    answers every field exactly as a query made after it would. A replay whose innovation no
    longer exists for the caller (its share was revoked) answers ``NotFound``, as for an id
    never used: the payload's innovation cannot be null. Raises ``NotYetConsistent`` (retryable:
    repeat the request with its idempotency key) if the read models do not get there in time."""
    viewer, ident = ctx.actor.viewers, outcome.aggregate_id
    await ctx.reads.consistent_with(READ_MODELS, await read_position(ctx, outcome))
    async with ctx.reads.pool.acquire() as conn:
        row = (await innovation_queries.innovations_by_id(conn, viewer, [ident])).get(ident)
    if row is None:
        raise NotFound("innovation", ident)
    return Innovation.from_row(row, Related(viewer, loaders=ctx.loaders))


@strawberry.type(description="The idea was stored (or had already been, under this key).")
class IdeaSubmitted(Change):
    innovation: Innovation = strawberry.field(description=now_description("innovation"))

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        return cls(innovation=await changed(ctx, outcome), **Change.receipt(ctx, outcome))
