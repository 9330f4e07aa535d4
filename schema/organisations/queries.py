"""The directory of organisations: whom work can be shared with or spread to."""

from __future__ import annotations

import strawberry

from projections.directory import queries as q
from schema.context import Context
from schema.organisations.types import Organisation, organisation_from_row


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
