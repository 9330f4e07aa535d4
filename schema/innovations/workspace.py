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


def _records(table: str, listing: str, build: Callable[[Any], T], description: str,
             concerning: str | None = None) -> Any:
    """A workspace field: a connection over ``table``'s records of the innovation, oldest
    first, each made by ``build`` from its row, paged by ``first`` and ``after`` (a cursor of
    ``listing``), read through the table's DataLoader (``concerning``: the column that names
    the organisation a record is about, for a table a partner sees only its own part of)."""

    async def page(root: Workspace, info: Info, first: int | None = None,
                   after: str | None = None) -> Connection[T]:
        with arguments.checked():
            size = pagination.page_size(first)
            start = pagination.decode_position(listing, after)
        rows = await info.context.loaders.records(table, root.viewer, concerning).load(
            (root.innovation_id, size + 1, start))
        return pagination.connection(
            [(build(r), pagination.encode_position(listing, r["position"])) for r in rows],
            size, start is not None)

    return strawberry.field(resolver=page, description=description)


@strawberry.type(description="What the innovation's team recorded, as it was recorded: "
                             "the idea's revisions, prototypes, evaluations, comments, "
                             "endorsements, involvement, funding awards, owners with their "
                             "history, and the judgements made about it.")
class Workspace:
    innovation_id: strawberry.Private[UUID]
    viewer: strawberry.Private[tuple[UUID, ...]]

    revisions: Connection[Revision] = _records(
        ideas.REVISIONS, "revisions", Revision.from_row,
        "The idea's text as submitted, then as each revision left it.")

    prototypes: Connection[Prototype] = _records(
        development.PROTOTYPES, "prototypes", Prototype.from_row,
        "Prototypes (PDSA cycles), in the order they were started.")

    evaluations: Connection[Evaluation] = _records(
        governance.EVALUATIONS, "evaluations", Evaluation.from_row,
        "Evaluations, in the order they were recorded.")

    comments: Connection[Comment] = _records(
        ideas.COMMENTS, "comments", Comment.from_row,
        "Comments, oldest first.")

    endorsements: Connection[Endorsement] = _records(
        ideas.ENDORSEMENTS, "endorsements", Endorsement.from_row,
        "Endorsements, oldest first.")

    involvement: Connection[Involvement] = _records(
        ideas.INVOLVEMENT, "involvement", Involvement.from_row,
        "Stakeholder, and patient and public, involvement, in the "
        "order it was recorded.")

    funding: Connection[FundingAward] = _records(
        development.FUNDING, "funding", FundingAward.from_row,
        "Funding awards, in the order they were recorded.")

    owners: Connection[OwnerAssignment] = _records(
        ideas.OWNER_HISTORY, "owners", OwnerAssignment.from_row,
        "Every assignment of an owner and team, oldest first: the "
        "last is the current owner.")

    judgements: Connection[Judgement] = _records(
        ideas.JUDGEMENTS, "judgements", Judgement.from_row,
        "The judgements made about it, oldest first: triage, "
        "parking, reopening, closing (with its learning), embedding.")

    shares: Connection[ShareChange] = _records(
        spread.SHARE_HISTORY, "shares", ShareChange.from_row,
        "Every share and revocation, oldest first: with whom, at "
        "which scope, who, when and why. Its owner sees all of them; "
        "a partner only those about itself.", concerning="organisation_id")
