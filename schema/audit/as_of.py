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
    # The scope is today's (the row's); every other field is the folded state's, through the
    # one constructor the read model's rows use. The workspace and the latest verdict are not
    # folded here (they are read models' answers now), so they are null as of a past moment.
    folded = {
        "scope": row["scope"], "id": agg.id, "version": agg.version, "title": agg.title,
        "problem": agg.problem, "proposal": agg.proposal, "stage": agg.stage,
        "innovation_class": agg.innovation_class, "tags": agg.tags,
        "organisation_id": agg.organisation_id, "site": agg.site,
        "challenge_id": agg.challenge_id, "submitter": agg.submitter,
        "staff_group": agg.staff_group, "owner": agg.owner,
        "endorsements": len(agg.endorsers), "comments": agg.comments,
        "submitted_at": agg.created_on, "stage_entered_at": None,
        "latest_decision": recalled.latest_decision, "updated_at": recalled.recorded_at,
        **recalled.counts,
    }
    shown = Innovation.from_row(folded, Related(viewer, loaders=ctx.loaders))
    return dataclasses.replace(shown, latest_verdict=None, workspace=None)
