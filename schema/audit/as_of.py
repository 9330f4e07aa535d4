"""An innovation as it was recorded at a past moment (``innovation(id, asOf)``), folded from
the log by ``lifecycle.audit.as_of``. Whether it exists for the caller, and at which scope, is
decided now, by the one visibility rule in SQL (``projections/visibility.py``, through the
read model's row), before anything of its past is read: a record hidden from the caller answers
exactly as an id never used, whatever it was at that moment."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from uuid import UUID

from graphql import GraphQLError

from lifecycle import validation as v
from lifecycle.audit.as_of import NotYetRecorded, recall
from lifecycle.visibility import Scope
from projections.innovations import queries as q
from schema import arguments
from schema.context import Context
from schema.innovations.types import Innovation, Related


class NotFoundAtThatTime(GraphQLError):
    """The innovation exists for the caller now, but had not been recorded at ``asOf``."""

    def __init__(self, refused: NotYetRecorded) -> None:
        super().__init__(refused.message, extensions={
            "code": refused.code, "firstRecordedAt": refused.first_recorded.isoformat()})


async def innovation_as_of(ctx: Context, ident: UUID, as_of: datetime) -> Innovation | None:
    """The innovation ``ident`` as recorded at ``as_of``, as the caller may see it now; None
    where it does not exist for the caller. Raises ``NotFoundAtThatTime`` where it was first
    recorded after ``as_of``, and ``Refused`` for a time without its UTC offset."""
    with arguments.checked():
        moment = v.moment("asOf", as_of)
    viewer = ctx.actor.viewers
    async with ctx.reads.pool.acquire() as conn:
        row = (await q.innovations_by_id(conn, viewer, [ident])).get(ident)
    if row is None:
        return None
    try:
        recalled = await ctx.service.run(recall, ctx.service.app, ident, moment)
    except NotYetRecorded as refused:
        raise NotFoundAtThatTime(refused) from None
    agg = recalled.aggregate
    # The scope is today's (the row's); the fields are the folded state's.
    shown = dataclasses.replace(
        Innovation.from_aggregate(agg, Related(agg.organisation_id, loaders=ctx.loaders)),
        scope=Scope(row["scope"]), latest_decision=recalled.latest_decision, latest_verdict=None,
        updated_at=recalled.recorded_at, **recalled.counts)
    return shown
