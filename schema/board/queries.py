"""The board's queries. Each answers for the caller's own organisation only."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import validation as v
from lifecycle.vocabulary import InnovationClass
from projections.board import culture, pipeline
from projections.development import queries as funding_queries
from projections.governance import queries as decision_queries
from schema import arguments, pagination
from schema.board.types import AuthorityStats, Culture, Decision, FundingSummary, Pipeline
from schema.context import Context
from schema.ids import uuid_or_none
from schema.pagination import Connection
from schema.reads import ConsistentWith

DECISIONS_ORDER = "DECIDED_DESC"


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
                conn, organisation_id=ctx.actor.organisation, site=site, challenge_id=challenge,
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
            value = await culture.culture(conn, organisation_id=ctx.actor.organisation,
                                          submitted_from=submitted_from,
                                          submitted_to=submitted_to)
        return Culture.of(value)

    @strawberry.field(description="Funding secured, by source.")
    async def funding(self, info: strawberry.Info[Context, None],
                      consistent_with: ConsistentWith = None) -> FundingSummary:
        ctx = info.context
        await ctx.read_at(consistent_with, "funding", "directory")
        async with ctx.reads.pool.acquire() as conn:
            value = await funding_queries.funding_summary(
                conn, organisation_id=ctx.actor.organisation)
        return FundingSummary.of(value)

    @strawberry.field(description="The decisions register, newest first.")
    async def decisions(self, info: strawberry.Info[Context, None],
                        escalated: bool | None = None, first: int | None = None,
                        after: str | None = None,
                        consistent_with: ConsistentWith = None) -> Connection[Decision]:
        ctx = info.context
        with arguments.checked():
            size = pagination.page_size(first)
            keyset = pagination.decode(DECISIONS_ORDER, after, timestamp=True)
        await ctx.read_at(consistent_with, "decisions")
        async with ctx.reads.pool.acquire() as conn:
            rows = await decision_queries.decisions(
                conn, organisation_id=ctx.actor.organisation, escalated=escalated,
                after=keyset, first=size + 1)
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
                conn, organisation_id=ctx.actor.organisation, decided_from=decided_from,
                decided_to=decided_to)
        return [AuthorityStats.of(r) for r in rows]
