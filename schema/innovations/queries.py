"""Queries about innovations."""

from __future__ import annotations

from uuid import UUID

import strawberry

from lifecycle import policy
from lifecycle.errors import DomainError
from lifecycle.innovation import Innovation as InnovationAggregate
from schema.context import Context
from schema.innovations.types import Innovation


@strawberry.type
class InnovationQueries:
    @strawberry.field(description="One innovation, if it exists and the caller may see it.")
    async def innovation(self, info: strawberry.Info[Context, None],
                         id: strawberry.ID) -> Innovation | None:
        actor = info.context.actor
        try:
            ident = UUID(str(id))
        except ValueError:
            return None
        try:
            agg = await info.context.service.load(InnovationAggregate, ident)
            policy.visible(actor, agg)
        except DomainError:
            return None
        return Innovation.from_aggregate(agg)
