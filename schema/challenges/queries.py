"""The caller's organisation's innovation challenges."""

from __future__ import annotations

import strawberry

from projections.directory import queries as q
from schema.challenges.types import Challenge, challenge_from_row
from schema.context import Context


@strawberry.type
class ChallengeQueries:
    @strawberry.field(description="Your organisation's challenges, newest first.")
    async def challenges(self, info: strawberry.Info[Context, None],
                         open_only: bool = False) -> list[Challenge]:
        ctx = info.context
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.challenges(conn, ctx.actor.organisation, open_only=open_only)
        return [challenge_from_row(r) for r in rows]
