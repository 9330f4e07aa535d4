"""Development's queries: the funding secured by the caller's organisation, and the learning
library: what was tried, across every prototype the caller's organisation may read (its own, and
innovations shared with it in full), whatever came of it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from lifecycle import validation as v
from lifecycle.vocabulary import InnovationClass
from projections.development import queries as funding_queries
from projections.development import queries as q
from projections.innovations import queries as innovation_queries
from schema import arguments, pagination
from schema.context import Context
from schema.development.types import FundingSummary, Prototype, PrototypeOutcome
from schema.documents._graphql_internals import selected
from schema.ids import uuid_or_none
from schema.innovations.types import READ_MODELS, Innovation, Related
from schema.pagination import Connection
from schema.reads import ConsistentWith

LISTING = "learning"
Search = Annotated[str | None, strawberry.argument(
    description="Words in the prototype's title, learning, hypothesis, result or plan.")]


@strawberry.input(description="Every condition given must hold.")
class LearningFilter:
    outcomes: list[PrototypeOutcome] | None = strawberry.field(
        default=None, description="Only prototypes that came out so (FAILED: what did not "
                                  "work); omit for every outcome.")
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only innovations of this organisation.")
    innovation_class: InnovationClass | None = None
    tag: str | None = None
    completed_from: date | None = None
    completed_to: date | None = None

    def to_query(self, search: str | None) -> q.LearningFilter:
        """The conditions as the read model takes them; raises ``ValidationFailed`` naming
        ``filter.<field>`` or ``search``."""
        completed_from, completed_to = arguments.period(
            "filter.completedFrom", self.completed_from, "filter.completedTo", self.completed_to)
        return q.LearningFilter(
            outcomes=tuple(o.value for o in self.outcomes or ()),
            organisation_id=uuid_or_none("filter.organisationId", self.organisation_id),
            innovation_class=self.innovation_class.value if self.innovation_class else None,
            tag=v.tag("filter.tag", self.tag), completed_from=completed_from,
            completed_to=completed_to, search=v.search("search", search))


@strawberry.type(description="A completed prototype in the learning library, and the innovation "
                             "it tested.")
class Lesson:
    prototype: Prototype
    innovation: Innovation


@strawberry.type
class FundingQueries:
    @strawberry.field(description="Funding secured, by source.")
    async def funding(self, info: strawberry.Info[Context, None],
                      consistent_with: ConsistentWith = None) -> FundingSummary:
        ctx = info.context
        await ctx.read_at(consistent_with, "funding", "directory")
        async with ctx.reads.pool.acquire() as conn:
            value = await funding_queries.funding_summary(
                conn, organisation_id=ctx.actor.viewers)
        return FundingSummary.of(value)


@strawberry.type
class LearningQueries:
    @strawberry.field(description="The learning library: completed prototypes (failed ones as "
                      "much as any) of your organisation's innovations and of those shared with "
                      "it in full, the latest completed first.")
    async def learning(self, info: strawberry.Info[Context, None],
                       filter: LearningFilter | None = None,
                       search: Search = None,
                       first: int | None = None, after: str | None = None,
                       consistent_with: ConsistentWith = None) -> Connection[Lesson]:
        ctx = info.context
        viewer = ctx.actor.viewers
        with arguments.checked():
            size = pagination.page_size(first)
            start = pagination.decode_position(LISTING, after)
            conditions = (filter or LearningFilter()).to_query(search)
        await ctx.read_at(consistent_with, *READ_MODELS)
        wanted = selected(info.selected_fields, info.field_name, "edges", "node", "innovation")
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.learning(conn, viewer, conditions, after=start, first=size + 1)
            innovations = await innovation_queries.innovations_by_id(
                conn, viewer, list({r["innovation_id"] for r in rows}))
            related = await Related.fetch(conn, viewer, list(innovations.values()), wanted)
        return pagination.connection(
            [(Lesson(prototype=Prototype.from_row(r),
                     innovation=Innovation.from_row(innovations[r["innovation_id"]], related)),
              pagination.encode_position(LISTING, r["completed_position"])) for r in rows],
            size, start is not None)
