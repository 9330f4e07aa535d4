"""``node(id)``: one object by its id, whatever its type, if the caller may see it."""

from __future__ import annotations

import strawberry

from projections.directory import queries as directory_queries
from projections.improvement import queries as measure_queries
from projections.innovations import queries as innovation_queries
from schema.context import Context
from schema.directory.types import challenge_from_row, organisation_from_row
from schema.ids import parsed
from schema.improvement.types import Measure
from schema.innovations.types import READ_MODELS, Innovation, Related
from schema.node import Node
from schema.reads import ConsistentWith


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any innovation, measure, organisation or challenge by id.")
    async def node(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                   consistent_with: ConsistentWith = None) -> Node | None:
        ctx = info.context
        viewer = ctx.actor.viewers
        # Whatever the id turns out to be: an innovation, a measure, an organisation, a challenge.
        await ctx.read_at(consistent_with, *dict.fromkeys((*READ_MODELS, "improvement",
                                                            "directory")))
        ident = parsed(id)
        if ident is None:
            return None
        async with ctx.reads.pool.acquire() as conn:
            innovation = (await innovation_queries.innovations_by_id(conn, viewer, [ident]))
            if ident in innovation:
                return Innovation.from_row(innovation[ident], Related(viewer, loaders=ctx.loaders))
            measure = await measure_queries.measures_by_id(conn, viewer, [ident])
            if ident in measure:
                return Measure.from_row(measure[ident])
            organisation = await directory_queries.organisation(conn, ident)
            if organisation is not None:
                return organisation_from_row(organisation)
            challenge = await directory_queries.challenge(conn, viewer, ident)
            return challenge_from_row(challenge) if challenge is not None else None
