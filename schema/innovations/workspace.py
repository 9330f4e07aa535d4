"""An innovation's workspace: everything its team recorded, read back as Relay connections in the
order it was recorded (oldest first), each record as its capability's GraphQL type.

The workspace is part of an innovation's detail (``schema/visibility.py``: null for a summary
share), and every page is read under the SQL visibility rule too
(``projections/innovations/records``). Pages of many innovations' workspaces (a list) are read
through one DataLoader a table, one statement each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import strawberry

from projections.development import queries as development
from projections.governance import queries as governance
from projections.ideas import queries as ideas
from projections.spread import queries as spread
from schema import arguments, pagination
from schema.context import Context
from schema.development.types import Evaluation, FundingAward, Prototype
from schema.ideas.types import (
    Comment,
    Endorsement,
    Involvement,
    Judgement,
    OwnerAssignment,
    Revision,
)
from schema.pagination import Connection
from schema.spread.types import ShareChange

T = TypeVar("T")
Info = strawberry.Info[Context, None]
# The read models the workspace's records come from (by projection name).
READ_MODELS = ("ideas", "development", "funding", "decisions", "spread")


@strawberry.type(description="What the innovation's team recorded, as it was recorded: "
                             "the idea's revisions, prototypes, evaluations, comments, "
                             "endorsements, involvement, funding awards, owners with their "
                             "history, and the judgements made about it.")
class Workspace:
    innovation_id: strawberry.Private[UUID]
    viewer: strawberry.Private[tuple[UUID, ...]]

    async def _page(self, info: Info, table: str, listing: str, first: int | None,
                    after: str | None, build: Callable[[Any], T],
                    concerning: str | None = None) -> Connection[T]:
        with arguments.checked():
            size = pagination.page_size(first)
            start = pagination.decode_position(listing, after)
        rows = await info.context.loaders.records(table, self.viewer, concerning).load(
            (self.innovation_id, size + 1, start))
        return pagination.connection(
            [(build(r), pagination.encode_position(listing, r["position"])) for r in rows],
            size, start is not None)

    @strawberry.field(description="The idea's text as submitted, then as each revision left it.")
    async def revisions(self, info: Info, first: int | None = None,
                        after: str | None = None) -> Connection[Revision]:
        return await self._page(info, ideas.REVISIONS, "revisions", first, after,
                                Revision.from_row)

    @strawberry.field(description="Prototypes (PDSA cycles), in the order they were started.")
    async def prototypes(self, info: Info, first: int | None = None,
                         after: str | None = None) -> Connection[Prototype]:
        return await self._page(info, development.PROTOTYPES, "prototypes", first, after,
                                Prototype.from_row)

    @strawberry.field(description="Evaluations, in the order they were recorded.")
    async def evaluations(self, info: Info, first: int | None = None,
                          after: str | None = None) -> Connection[Evaluation]:
        return await self._page(info, governance.EVALUATIONS, "evaluations", first, after,
                                Evaluation.from_row)

    @strawberry.field(description="Comments, oldest first.")
    async def comments(self, info: Info, first: int | None = None,
                       after: str | None = None) -> Connection[Comment]:
        return await self._page(info, ideas.COMMENTS, "comments", first, after, Comment.from_row)

    @strawberry.field(description="Endorsements, oldest first.")
    async def endorsements(self, info: Info, first: int | None = None,
                           after: str | None = None) -> Connection[Endorsement]:
        return await self._page(info, ideas.ENDORSEMENTS, "endorsements", first, after,
                                Endorsement.from_row)

    @strawberry.field(description="Stakeholder, and patient and public, involvement, in the "
                                  "order it was recorded.")
    async def involvement(self, info: Info, first: int | None = None,
                          after: str | None = None) -> Connection[Involvement]:
        return await self._page(info, ideas.INVOLVEMENT, "involvement", first, after,
                                Involvement.from_row)

    @strawberry.field(description="Funding awards, in the order they were recorded.")
    async def funding(self, info: Info, first: int | None = None,
                      after: str | None = None) -> Connection[FundingAward]:
        return await self._page(info, development.FUNDING, "funding", first, after,
                                FundingAward.from_row)

    @strawberry.field(description="Every assignment of an owner and team, oldest first: the "
                                  "last is the current owner.")
    async def owners(self, info: Info, first: int | None = None,
                     after: str | None = None) -> Connection[OwnerAssignment]:
        return await self._page(info, ideas.OWNER_HISTORY, "owners", first, after,
                                OwnerAssignment.from_row)

    @strawberry.field(description="The judgements made about it, oldest first: triage, "
                                  "parking, reopening, closing (with its learning), embedding.")
    async def judgements(self, info: Info, first: int | None = None,
                         after: str | None = None) -> Connection[Judgement]:
        return await self._page(info, ideas.JUDGEMENTS, "judgements", first, after,
                                Judgement.from_row)

    @strawberry.field(description="Every share and revocation, oldest first: with whom, at "
                                  "which scope, who, when and why. Its owner sees all of them; "
                                  "a partner only those about itself.")
    async def shares(self, info: Info, first: int | None = None,
                     after: str | None = None) -> Connection[ShareChange]:
        return await self._page(info, spread.SHARE_HISTORY, "shares", first, after,
                                ShareChange.from_row, concerning="organisation_id")
