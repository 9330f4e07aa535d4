"""GraphQL types of innovations, resolved from plain objects (no per-field async work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
import strawberry

from lifecycle.innovations.stage import Stage as DomainStage
from lifecycle.visibility import Scope
from lifecycle.vocabulary import InnovationClass as DomainInnovationClass
from projections.improvement.signals import Classification
from projections.innovations import queries as innovation_queries
from schema.directory.types import Organisation, organisation_from_row
from schema.documents._graphql_internals import Deferred
from schema.innovations import workspace
from schema.innovations.workspace import Workspace
from schema.loaders import Loaders
from schema.node import Node
from schema.visibility import detail

# The read models an innovation's fields are read from (by projection name): what a query
# returning innovations waits for under ``consistentWith``.
READ_MODELS = ("innovations", "directory", "improvement", *workspace.READ_MODELS)

# The domain's enums are GraphQL enums too (registered in schema.enums).
Stage = DomainStage
InnovationClass = DomainInnovationClass


@strawberry.type(description="The latest verdict of an innovation's own measures.")
class Verdict:
    measure_id: strawberry.ID
    measure: str
    verdict: Classification = strawberry.field(description=(
        "The class of the measure's latest point (its currentVariation.classification)."))
    latest_on: date | None


def verdict_from_row(row: Any) -> Verdict:
    return Verdict(measure_id=strawberry.ID(str(row["measure_id"])), measure=row["name"],
                   verdict=Classification(row["verdict"]), latest_on=row["latest_on"])


@dataclass
class Related:
    """Where an innovation's related objects come from: for a page, organisations by id and
    latest verdicts by innovation id (as the ids appear in the GraphQL objects), fetched at
    once, or None for what the query does not select; for an innovation that came alone, the
    per-request DataLoaders."""

    viewer: tuple[UUID, ...]  # the caller's ``Actor.viewers``
    organisations: dict[str, Organisation] | None = None
    verdicts: dict[str, Verdict] | None = None
    loaders: Loaders | None = None

    @classmethod
    async def fetch(cls, conn: asyncpg.Connection, viewer: tuple[UUID, ...], rows: list[Any],
                    wanted: set[str]) -> Related:
        """What the query selects (``wanted``) of ``rows``' related objects, as ``viewer``
        sees them."""
        related = cls(viewer)
        if "organisation" in wanted:
            found = await innovation_queries.organisations_by_id(
                conn, list({r["organisation_id"] for r in rows}))
            related.organisations = {str(k): organisation_from_row(v) for k, v in found.items()}
        if "latestVerdict" in wanted:
            verdicts = await innovation_queries.latest_verdicts(conn, viewer,
                                                                [r["id"] for r in rows])
            related.verdicts = {str(k): verdict_from_row(v) for k, v in verdicts.items()}
        return related

    def organisation(self, organisation_id: str) -> Organisation | Deferred[Organisation] | None:
        if self.organisations is not None:
            return self.organisations.get(organisation_id)
        loaders = self.loaders
        if loaders is None:  # the query does not select it
            return None
        return Deferred(lambda: loaders.organisation.load(UUID(organisation_id)))

    def verdict(self, innovation_id: str) -> Verdict | Deferred[Verdict] | None:
        if self.verdicts is not None:
            return self.verdicts.get(innovation_id)
        loaders = self.loaders
        if loaders is None:
            return None
        verdicts = loaders.latest_verdict(self.viewer)
        return Deferred(lambda: verdicts.load(UUID(innovation_id)))


@strawberry.type(description="An innovation: one identity from idea to embedded practice. "
                             "Shared with your organisation as a summary, its detail fields "
                             "are null.")
class Innovation(Node):
    # How much of it the caller sees (``schema/visibility.py`` decides the fields by it).
    scope: strawberry.Private[Scope]
    id: strawberry.ID
    version: int
    title: str
    problem: str | None = detail(
        description="Null where the innovation is shared with your organisation as a summary.")
    proposal: str | None = detail(
        description="Null where the innovation is shared with your organisation as a summary.")
    stage: Stage
    innovation_class: InnovationClass
    tags: list[str]
    organisation_id: strawberry.ID
    site: str | None
    challenge_id: strawberry.ID | None
    submitted_by: strawberry.ID = strawberry.field(
        description="The submitter's opaque person id.")
    staff_group: str | None
    owner: strawberry.ID | None
    endorsements: int
    comments: int
    submitted_at: datetime
    stage_entered_at: datetime | None = None
    prototypes: int | None = None
    evaluations: int | None = None
    adoptions: int | None = None
    live_adoptions: int | None = None
    funding_total: Decimal | None = detail(
        default=None,
        description="Null where the innovation is shared with your organisation as a summary.")
    latest_decision: str | None = None
    updated_at: datetime | None = None

    # Related objects are plain attributes, not resolvers (a page has one of each per row): the
    # object itself, or a Deferred that graphql-core awaits if the query selects the field.
    organisation: Organisation | Deferred[Organisation] | None = strawberry.field(
        default=None, graphql_type=Organisation | None,
        description="The organisation whose innovation this is.")
    latest_verdict: Verdict | Deferred[Verdict] | None = detail(
        default=None, graphql_type=Verdict | None,
        description="The latest verdict of its own organisation's measures; null "
                    "where the innovation is shared with your organisation as a summary.")
    workspace: Workspace | None = detail(
        default=None, description="What its team recorded, as recorded; null where the "
                                  "innovation is shared with your organisation as a summary.")

    @classmethod
    def from_row(cls, row: Any, related: Related) -> Innovation:
        """From a row of the read model that a viewer's query found, with its ``scope``."""
        ident = str(row["id"])
        organisation_id = str(row["organisation_id"])
        return cls(
            scope=Scope(row["scope"]), organisation=related.organisation(organisation_id),
            latest_verdict=related.verdict(ident), id=strawberry.ID(ident),
            workspace=Workspace(innovation_id=row["id"], viewer=related.viewer),
            version=row["version"], title=row["title"], problem=row["problem"],
            proposal=row["proposal"], stage=DomainStage(row["stage"]),
            innovation_class=DomainInnovationClass(row["innovation_class"]),
            tags=list(row["tags"]), organisation_id=strawberry.ID(organisation_id),
            site=row["site"],
            challenge_id=strawberry.ID(str(row["challenge_id"])) if row["challenge_id"] else None,
            submitted_by=strawberry.ID(row["submitter"]), staff_group=row["staff_group"],
            owner=strawberry.ID(row["owner"]) if row["owner"] else None,
            endorsements=row["endorsements"], comments=row["comments"],
            submitted_at=row["submitted_at"], stage_entered_at=row["stage_entered_at"],
            prototypes=row["prototypes"], evaluations=row["evaluations"],
            adoptions=row["adoptions"], live_adoptions=row["live_adoptions"],
            funding_total=row["funding_total"], latest_decision=row["latest_decision"],
            updated_at=row["updated_at"],
        )
