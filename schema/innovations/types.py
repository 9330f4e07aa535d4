"""GraphQL types of innovations, resolved from plain objects (no per-field async work)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from lifecycle.innovation import Innovation as InnovationAggregate
from lifecycle.stage import Stage as DomainStage
from lifecycle.vocabulary import InnovationClass as DomainInnovationClass
from schema.errors import CommandError

# The domain's enums, registered as GraphQL enums (strawberry.enum marks the class itself).
strawberry.enum(DomainStage, name="Stage", description="Where an innovation is in its lifecycle.")
strawberry.enum(DomainInnovationClass, name="InnovationClass",
                description="Incremental improvement or system-level innovation.")
Stage = DomainStage
InnovationClass = DomainInnovationClass


@strawberry.type(description="An innovation: one identity from idea to embedded practice.")
class Innovation:
    id: strawberry.ID
    version: int
    title: str
    problem: str
    proposal: str
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

    @classmethod
    def from_aggregate(cls, agg: InnovationAggregate) -> Innovation:
        return cls(
            id=strawberry.ID(str(agg.id)), version=agg.version, title=agg.title,
            problem=agg.problem, proposal=agg.proposal, stage=agg.stage,
            innovation_class=DomainInnovationClass(agg.innovation_class), tags=list(agg.tags),
            organisation_id=strawberry.ID(str(agg.organisation_id)), site=agg.site,
            challenge_id=strawberry.ID(str(agg.challenge_id)) if agg.challenge_id else None,
            submitted_by=strawberry.ID(agg.submitter), staff_group=agg.staff_group,
            owner=strawberry.ID(agg.owner) if agg.owner else None,
            endorsements=len(agg.endorsers), comments=agg.comments,
            submitted_at=agg.created_on,
        )


@strawberry.type(description="The idea was stored (or had already been, under this key).")
class IdeaSubmitted:
    innovation: Innovation
    position: str = strawberry.field(
        description="Opaque cursor of the log position of the command's last event.")
    replayed: bool = strawberry.field(
        description="True when this repeats an earlier request with the same idempotency key.")


SubmitIdeaPayload = Annotated[IdeaSubmitted | CommandError,
                              strawberry.union("SubmitIdeaPayload")]
