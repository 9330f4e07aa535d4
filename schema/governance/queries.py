"""Governance's queries: the decision register and the use of each governance level, for the
caller's own organisation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from lifecycle import validation as v
from lifecycle.audit.as_of import position_at
from projections.governance import queries as decision_queries
from schema import arguments, pagination
from schema.context import Context
from schema.governance.types import AuthorityStats, Decision
from schema.pagination import Connection
from schema.reads import ConsistentWith

DECISIONS_ORDER = "DECIDED_DESC"
DECISIONS_MODEL = "decisions"


@strawberry.type
class GovernanceQueries:
    @strawberry.field(description="The decisions register, newest first.")
    async def decisions(self, info: strawberry.Info[Context, None],
                        escalated: bool | None = None, first: int | None = None,
                        after: str | None = None,
                        consistent_with: ConsistentWith = None,
                        as_of: Annotated[datetime | None, strawberry.argument(description=(
                            "The register as the log had recorded it at this time (the "
                            "database's clock)."))] = None) -> Connection[Decision]:
        ctx = info.context
        with arguments.checked():
            size = pagination.page_size(first)
            keyset = pagination.decode(DECISIONS_ORDER, after, timestamp=True)
            moment = None if as_of is None else v.moment("asOf", as_of)
        await ctx.read_at(consistent_with, DECISIONS_MODEL)
        at_most = None if moment is None else \
            await ctx.service.run(position_at, ctx.service.app, moment)
        # The register then is the read model's decisions up to that position: wait for it.
        await ctx.reads.consistent_with(DECISIONS_MODEL, at_most)
        async with ctx.reads.pool.acquire() as conn:
            rows = await decision_queries.decisions(
                conn, organisation_id=ctx.actor.viewers, escalated=escalated,
                after=keyset, first=size + 1, at_most=at_most)
        return pagination.connection(
            [(Decision.of(r), pagination.encode(DECISIONS_ORDER, r.decided_at, r.decision_id))
             for r in rows], size, keyset is not None)

    @strawberry.field(description="Per governance level: decisions, escalations, time taken.")
    async def governance(self, info: strawberry.Info[Context, None],
                         decided_from: date | None = None,
                         decided_to: date | None = None,
                         consistent_with: ConsistentWith = None) -> list[AuthorityStats]:
        ctx = info.context
        with arguments.checked():
            arguments.period("decidedFrom", decided_from, "decidedTo", decided_to)
        await ctx.read_at(consistent_with, "decisions")
        async with ctx.reads.pool.acquire() as conn:
            rows = await decision_queries.governance_summary(
                conn, organisation_id=ctx.actor.viewers, decided_from=decided_from,
                decided_to=decided_to)
        return [AuthorityStats.of(r) for r in rows]
