"""The board's queries: pipeline and culture, each for the caller's own organisation only."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import validation as v
from lifecycle.vocabulary import InnovationClass
from projections.board import culture, pipeline
from schema import arguments
from schema.board.types import Culture, Pipeline
from schema.context import Context
from schema.ids import uuid_or_none
from schema.reads import ConsistentWith


@strawberry.type
class BoardQueries:
    @strawberry.field(description="Innovations per stage, days in stage and conversion.")
    async def pipeline(self, info: strawberry.Info[Context, None], site: str | None = None,
                       challenge_id: strawberry.ID | None = None,
                       staff_group: str | None = None,
                       innovation_class: InnovationClass | None = None,
                       submitted_from: date | None = None,
                       submitted_to: date | None = None,
                       consistent_with: ConsistentWith = None) -> Pipeline:
        ctx = info.context
        with arguments.checked():
            arguments.period("submittedFrom", submitted_from, "submittedTo", submitted_to)
            challenge = uuid_or_none("challengeId", challenge_id)
            site = arguments.site("site", site)
            staff_group = v.staff_group("staffGroup", staff_group)
        await ctx.read_at(consistent_with, "innovations", "directory")
        async with ctx.reads.pool.acquire() as conn:
            value = await pipeline.pipeline(
                conn, organisation_id=ctx.actor.viewers, site=site, challenge_id=challenge,
                staff_group=staff_group,
                innovation_class=innovation_class.value if innovation_class else None,
                submitted_from=submitted_from, submitted_to=submitted_to)
        return Pipeline.of(value)

    @strawberry.field(description="Who contributes ideas, and how fast they get an answer.")
    async def culture(self, info: strawberry.Info[Context, None],
                      submitted_from: date | None = None,
                      submitted_to: date | None = None,
                      consistent_with: ConsistentWith = None) -> Culture:
        ctx = info.context
        with arguments.checked():
            arguments.period("submittedFrom", submitted_from, "submittedTo", submitted_to)
        await ctx.read_at(consistent_with, "innovations")
        async with ctx.reads.pool.acquire() as conn:
            value = await culture.culture(conn, organisation_id=ctx.actor.viewers,
                                          submitted_from=submitted_from,
                                          submitted_to=submitted_to)
        return Culture.of(value)
