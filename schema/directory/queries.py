"""The directory: every organisation (whom work can be shared with or spread to), the caller's
organisation's challenges, and the caller (``me``)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from projections.directory import queries as q
from schema.context import Context
from schema.directory.types import (
    Challenge,
    Organisation,
    challenge_from_row,
    organisation_from_row,
)
from schema.reads import ConsistentWith


@strawberry.type
class OrganisationQueries:
    @strawberry.field(description="Every organisation, by name: trusts, universities, "
                      "industry, charities, government.")
    async def organisations(self, info: strawberry.Info[Context, None],
                            consistent_with: ConsistentWith = None) -> list[Organisation]:
        ctx = info.context
        await ctx.read_at(consistent_with, "directory")
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.organisations(conn)
        return [organisation_from_row(r) for r in rows]


@strawberry.type
class ChallengeQueries:
    @strawberry.field(description="Your organisation's challenges, newest first.")
    async def challenges(self, info: strawberry.Info[Context, None],
                         open_only: bool = False,
                         consistent_with: ConsistentWith = None) -> list[Challenge]:
        ctx = info.context
        await ctx.read_at(consistent_with, "directory")
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.challenges(conn, ctx.actor.viewers, open_only=open_only)
        return [challenge_from_row(r) for r in rows]


@strawberry.type(description="The caller, as their token presents them.")
class Me:
    subject: strawberry.ID = strawberry.field(description="The caller's opaque person id.")
    organisation_id: strawberry.ID
    roles: list[str]
    staff_group: str | None
    name: str | None

    @strawberry.field(description="The caller's organisation as the directory holds it (its "
                                  "sites and thresholds); null until the directory has it.")
    async def organisation(self, info: strawberry.Info[Context, None]) -> Organisation | None:
        found: Organisation | None = await info.context.loaders.organisation.load(
            UUID(str(self.organisation_id)))
        return found


@strawberry.type
class MeQueries:
    @strawberry.field(description="The authenticated caller.")
    async def me(self, info: strawberry.Info[Context, None],
                 consistent_with: ConsistentWith = None) -> Me:
        ctx = info.context
        await ctx.read_at(consistent_with, "directory")  # refuses anonymous callers first
        identity, actor = ctx.identity, ctx.actor
        return Me(subject=strawberry.ID(actor.subject),
                  organisation_id=strawberry.ID(str(actor.organisation)),
                  roles=sorted(r.value for r in actor.roles), staff_group=actor.staff_group,
                  name=identity.name if identity else None)
