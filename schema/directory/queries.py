"""The directory: every organisation (whom work can be shared with or spread to), the caller's
organisation's challenges, and the caller (``me``)."""

from __future__ import annotations

import strawberry

from projections.directory import queries as q
from schema.context import Context
from schema.directory.types import (
    Challenge,
    Organisation,
    challenge_from_row,
    organisation_from_row,
)


@strawberry.type
class OrganisationQueries:
    @strawberry.field(description="Every organisation, by name: trusts, universities, "
                      "industry, charities, government.")
    async def organisations(self, info: strawberry.Info[Context, None]) -> list[Organisation]:
        ctx = info.context
        ctx.actor  # noqa: B018 (refuses anonymous callers)
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.organisations(conn)
        return [organisation_from_row(r) for r in rows]


@strawberry.type
class ChallengeQueries:
    @strawberry.field(description="Your organisation's challenges, newest first.")
    async def challenges(self, info: strawberry.Info[Context, None],
                         open_only: bool = False) -> list[Challenge]:
        ctx = info.context
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


@strawberry.type
class MeQueries:
    @strawberry.field(description="The authenticated caller.")
    def me(self, info: strawberry.Info[Context, None]) -> Me:
        identity = info.context.identity
        actor = info.context.actor  # refuses anonymous callers
        return Me(subject=strawberry.ID(actor.subject),
                  organisation_id=strawberry.ID(str(actor.organisation)),
                  roles=sorted(r.value for r in actor.roles), staff_group=actor.staff_group,
                  name=identity.name if identity else None)
