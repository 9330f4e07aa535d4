"""Development's queries: the funding secured by the caller's organisation."""

from __future__ import annotations

import strawberry

from projections.development import queries as funding_queries
from schema.context import Context
from schema.development.types import FundingSummary

DECISIONS_ORDER = "DECIDED_DESC"


@strawberry.type
class FundingQueries:
    @strawberry.field(description="Funding secured, by source.")
    async def funding(self, info: strawberry.Info[Context, None]) -> FundingSummary:
        ctx = info.context
        async with ctx.reads.pool.acquire() as conn:
            value = await funding_queries.funding_summary(
                conn, organisation_id=ctx.actor.viewers)
        return FundingSummary.of(value)
