"""Queries about measures: their series, limits, signals and verdict (the improvement read
model)."""

from __future__ import annotations

import strawberry

from lifecycle.errors import DomainError
from projections.improvement import queries as q
from schema.context import Context
from schema.ids import parsed, uuid_or_none
from schema.improvement.types import Measure, visible_measure
from schema.reads import ConsistentWith, Refused


@strawberry.type
class MeasureQueries:
    @strawberry.field(description="One measure, if the caller may see it.")
    async def measure(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                      consistent_with: ConsistentWith = None) -> Measure | None:
        ident = parsed(id)
        if ident is None:
            return None
        await info.context.read_at(consistent_with, "improvement")
        return await visible_measure(info.context, ident)

    @strawberry.field(description="An innovation's measures, at every site the caller may see.")
    async def measures(self, info: strawberry.Info[Context, None],
                       innovation_id: strawberry.ID,
                       consistent_with: ConsistentWith = None) -> list[Measure]:
        ctx = info.context
        try:
            innovation = uuid_or_none("innovationId", innovation_id)
        except DomainError as error:
            raise Refused(error) from None
        assert innovation is not None
        await ctx.read_at(consistent_with, "improvement")
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.measures_of(conn, ctx.actor.viewers, innovation)
        return [Measure.from_row(r) for r in rows]
