"""Queries about innovations, over the innovations read model."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import strawberry

from lifecycle import validation as v
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import InnovationClass
from projections.innovations import queries as q
from schema import arguments, pagination
from schema.audit.as_of import innovation_as_of
from schema.context import Context
from schema.documents._graphql_internals import selected
from schema.ids import parsed, uuid_or_none
from schema.innovations.types import READ_MODELS, Innovation, Related
from schema.pagination import Connection
from schema.reads import ConsistentWith

__all__ = ["ConsistentWith", "InnovationFilter", "InnovationOrder", "InnovationQueries"]


@strawberry.enum(description="How a list of innovations is ordered.")
class InnovationOrder(StrEnum):
    SUBMITTED_DESC = "SUBMITTED_DESC"
    SUBMITTED_ASC = "SUBMITTED_ASC"
    UPDATED_DESC = "UPDATED_DESC"
    TITLE_ASC = "TITLE_ASC"


@strawberry.input(description="Every condition given must hold.")
class InnovationFilter:
    stages: list[Stage] | None = None
    organisation_id: strawberry.ID | None = None
    site: str | None = None
    challenge_id: strawberry.ID | None = None
    innovation_class: InnovationClass | None = None
    tag: str | None = None
    owner: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description=(
        "Full-text search over title, tags, problem and proposal; over title and tags alone "
        "for innovations shared with your organisation as a summary."))
    submitted_from: date | None = None
    submitted_to: date | None = None

    def to_query(self) -> q.InnovationFilter:
        """The conditions as the read model takes them, each checked by the rule its input
        follows (site, tag, owner as a person id, search, dates); raises ``ValidationFailed``
        naming ``filter.<field>``."""
        submitted_from, submitted_to = arguments.period(
            "filter.submittedFrom", self.submitted_from, "filter.submittedTo", self.submitted_to)
        return q.InnovationFilter(
            stages=tuple(s.value for s in self.stages or ()),
            organisation_id=uuid_or_none("filter.organisationId", self.organisation_id),
            site=arguments.site("filter.site", self.site),
            challenge_id=uuid_or_none("filter.challengeId", self.challenge_id),
            innovation_class=self.innovation_class.value if self.innovation_class else None,
            tag=v.tag("filter.tag", self.tag),
            owner=None if self.owner is None else v.subject("filter.owner", self.owner),
            search=v.search("filter.search", self.search),
            submitted_from=submitted_from, submitted_to=submitted_to)


AsOf = Annotated[datetime | None, strawberry.argument(description=(
    "The innovation as the log had recorded it at this time (the database's clock), folded "
    "from its events: its stage, counts and latest decision then (latestVerdict, workspace "
    "and stageEnteredAt are null). Who may see it, and how much, is decided as of now. A time "
    "before its first event answers the error NOT_FOUND_AT_THAT_TIME."))]


@strawberry.type
class InnovationQueries:
    @strawberry.field(description="One innovation, if it exists and the caller may see it.")
    async def innovation(self, info: strawberry.Info[Context, None], id: strawberry.ID,
                         consistent_with: ConsistentWith = None,
                         as_of: AsOf = None) -> Innovation | None:
        ctx = info.context
        viewer = ctx.actor.viewers
        await ctx.read_at(consistent_with, *READ_MODELS)
        ident = parsed(id)
        if ident is None:
            return None
        if as_of is not None:
            return await innovation_as_of(ctx, ident, as_of)
        async with ctx.reads.pool.acquire() as conn:
            row = (await q.innovations_by_id(conn, viewer, [ident])).get(ident)
        return Innovation.from_row(row, Related(viewer, loaders=ctx.loaders)) if row else None

    @strawberry.field(description="Innovations the caller may see, newest first by default.")
    async def innovations(self, info: strawberry.Info[Context, None],
                          filter: InnovationFilter | None = None,
                          order_by: InnovationOrder = InnovationOrder.SUBMITTED_DESC,
                          first: int | None = None, after: str | None = None,
                          consistent_with: ConsistentWith = None,
                          ) -> Connection[Innovation]:
        ctx = info.context
        viewer = ctx.actor.viewers
        with arguments.checked():
            size = pagination.page_size(first)
            keyset = pagination.decode(order_by.value, after,
                                       timestamp=order_by is not InnovationOrder.TITLE_ASC)
            conditions = (filter or InnovationFilter()).to_query()
        await ctx.read_at(consistent_with, *READ_MODELS)
        wanted = selected(info.selected_fields, info.field_name, "edges", "node")
        async with ctx.reads.pool.acquire() as conn:
            rows = await q.innovations_page(conn, viewer, conditions, order=order_by.value,
                                            after=keyset, first=size)
            related = await Related.fetch(conn, viewer, rows[:size], wanted)
        return pagination.connection(
            [(Innovation.from_row(r, related),
              pagination.encode(order_by.value, r["cursor_value"], r["id"])) for r in rows],
            size, keyset is not None)
