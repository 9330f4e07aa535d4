"""What the mutations on an innovation return: a past-tense fact carrying the innovation as it now
is, the log position of the command's last event, and the id of anything the command created.
(And ``target``, the innovation an input addresses.)"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Protocol, Self
from uuid import UUID

import strawberry

from lifecycle.application import Outcome
from lifecycle.errors import NotFound
from projections.innovations import queries as innovation_queries
from schema.commands import Change, now_description, read_position
from schema.context import Context
from schema.errors import CommandError
from schema.ids import required_id
from schema.innovations.types import READ_MODELS, Innovation, Related


class Addressed(Protocol):
    @property
    def innovation_id(self) -> strawberry.ID: ...


def target(input: Addressed) -> UUID:
    """The innovation an input addresses."""
    return required_id("innovationId", input.innovation_id)


@strawberry.interface(description="A command changed an innovation.")
class InnovationChange(Change):
    innovation: Innovation = strawberry.field(description=now_description("innovation"))

    # The field, if any, that carries the id of what the command created (``Outcome.created_id``).
    created: ClassVar[str | None] = None

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Self:
        ids: dict[str, Any] = (
            {cls.created: strawberry.ID(str(outcome.created_id))} if cls.created else {})
        return cls(innovation=await changed(ctx, outcome),
                   **Change.receipt(ctx, outcome), **ids)


async def changed(ctx: Context, outcome: Outcome) -> Innovation:
    """The innovation a command changed, as it now is and as the caller sees it: read from the
    read models once they hold the command's events (``read_position``), so that a payload
    answers every field exactly as a query made after it would. A replay whose innovation no
    longer exists for the caller (its share was revoked) answers ``NotFound``, as for an id
    never used: the payload's innovation cannot be null. Raises ``NotYetConsistent`` (retryable:
    repeat the request with its idempotency key) if the read models do not get there in time."""
    viewer, ident = ctx.actor.organisation, outcome.aggregate_id
    await ctx.reads.consistent_with(READ_MODELS, await read_position(ctx, outcome))
    async with ctx.reads.pool.acquire() as conn:
        row = (await innovation_queries.innovations_by_id(conn, viewer, [ident])).get(ident)
    if row is None:
        raise NotFound("innovation", ident)
    return Innovation.from_row(row, Related(viewer, loaders=ctx.loaders))


# -- ideas -----------------------------------------------------------------------------------------
@strawberry.type(description="The idea's text was revised.")
class IdeaRevised(InnovationChange):
    pass


@strawberry.type(description="The caller endorsed the idea.")
class IdeaEndorsed(InnovationChange):
    pass


@strawberry.type(description="A comment was added to the idea.")
class CommentAdded(InnovationChange):
    created = "comment_id"
    comment_id: strawberry.ID


@strawberry.type(description="The idea was accepted for development (now a CONCEPT).")
class IdeaAccepted(InnovationChange):
    pass


@strawberry.type(description="The submitter was asked for more information.")
class InformationRequested(InnovationChange):
    pass


@strawberry.type(description="The idea was merged into another and closed.")
class IdeaMerged(InnovationChange):
    pass


@strawberry.type(description="The idea was declined and closed.")
class IdeaDeclined(InnovationChange):
    pass


@strawberry.type(description="An owner (and team) was assigned.")
class OwnerAssigned(InnovationChange):
    pass


@strawberry.type(description="Stakeholder or patient and public involvement was recorded.")
class InvolvementRecorded(InnovationChange):
    pass


# -- prototypes, evaluation, funding -------------------------------------------------------------
@strawberry.type(description="A prototype was started (the innovation is PROTOTYPING).")
class PrototypeStarted(InnovationChange):
    created = "prototype_id"
    prototype_id: strawberry.ID


@strawberry.type(description="A prototype was completed with its result and learning.")
class PrototypeCompleted(InnovationChange):
    created = "prototype_id"
    prototype_id: strawberry.ID


@strawberry.type(description="An evaluation was recorded (the innovation is EVALUATING).")
class EvaluationRecorded(InnovationChange):
    created = "evaluation_id"
    evaluation_id: strawberry.ID


@strawberry.type(description="Funding was recorded.")
class FundingRecorded(InnovationChange):
    created = "funding_id"
    funding_id: strawberry.ID


# -- governance and spread -----------------------------------------------------------------------
@strawberry.type(description="An adoption decision was taken at sufficient authority.")
class AdoptionDecided(InnovationChange):
    created = "decision_id"
    decision_id: strawberry.ID


@strawberry.type(description="The innovation was shared with another organisation.")
class InnovationShared(InnovationChange):
    pass


@strawberry.type(description="Sharing with an organisation was revoked.")
class SharingRevoked(InnovationChange):
    pass


@strawberry.type(description="An organisation started adopting the innovation at a site.")
class AdoptionStarted(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="An adoption was judged sustained.")
class AdoptionSustained(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="An adoption was abandoned.")
class AdoptionAbandoned(InnovationChange):
    created = "adoption_id"
    adoption_id: strawberry.ID


@strawberry.type(description="The innovation became embedded practice.")
class InnovationEmbedded(InnovationChange):
    pass


@strawberry.type(description="The innovation was parked; reopening returns it to its stage.")
class InnovationParked(InnovationChange):
    pass


@strawberry.type(description="The parked innovation was reopened.")
class InnovationReopened(InnovationChange):
    pass


@strawberry.type(description="The innovation was closed, with its learning.")
class InnovationClosed(InnovationChange):
    pass


ReviseIdeaPayload = Annotated[IdeaRevised | CommandError, strawberry.union("ReviseIdeaPayload")]
EndorseIdeaPayload = Annotated[IdeaEndorsed | CommandError,
                               strawberry.union("EndorseIdeaPayload")]
CommentOnIdeaPayload = Annotated[CommentAdded | CommandError,
                                 strawberry.union("CommentOnIdeaPayload")]
AcceptIdeaPayload = Annotated[IdeaAccepted | CommandError, strawberry.union("AcceptIdeaPayload")]
RequestInformationPayload = Annotated[InformationRequested | CommandError,
                                      strawberry.union("RequestInformationPayload")]
MergeIdeaPayload = Annotated[IdeaMerged | CommandError, strawberry.union("MergeIdeaPayload")]
DeclineIdeaPayload = Annotated[IdeaDeclined | CommandError,
                               strawberry.union("DeclineIdeaPayload")]
AssignOwnerPayload = Annotated[OwnerAssigned | CommandError,
                               strawberry.union("AssignOwnerPayload")]
RecordInvolvementPayload = Annotated[InvolvementRecorded | CommandError,
                                     strawberry.union("RecordInvolvementPayload")]
StartPrototypePayload = Annotated[PrototypeStarted | CommandError,
                                  strawberry.union("StartPrototypePayload")]
CompletePrototypePayload = Annotated[PrototypeCompleted | CommandError,
                                     strawberry.union("CompletePrototypePayload")]
RecordEvaluationPayload = Annotated[EvaluationRecorded | CommandError,
                                    strawberry.union("RecordEvaluationPayload")]
RecordFundingPayload = Annotated[FundingRecorded | CommandError,
                                 strawberry.union("RecordFundingPayload")]
DecideAdoptionPayload = Annotated[AdoptionDecided | CommandError,
                                  strawberry.union("DecideAdoptionPayload")]
ShareInnovationPayload = Annotated[InnovationShared | CommandError,
                                   strawberry.union("ShareInnovationPayload")]
RevokeSharingPayload = Annotated[SharingRevoked | CommandError,
                                 strawberry.union("RevokeSharingPayload")]
StartAdoptionPayload = Annotated[AdoptionStarted | CommandError,
                                 strawberry.union("StartAdoptionPayload")]
SustainAdoptionPayload = Annotated[AdoptionSustained | CommandError,
                                   strawberry.union("SustainAdoptionPayload")]
AbandonAdoptionPayload = Annotated[AdoptionAbandoned | CommandError,
                                   strawberry.union("AbandonAdoptionPayload")]
EmbedInnovationPayload = Annotated[InnovationEmbedded | CommandError,
                                   strawberry.union("EmbedInnovationPayload")]
ParkInnovationPayload = Annotated[InnovationParked | CommandError,
                                  strawberry.union("ParkInnovationPayload")]
ReopenInnovationPayload = Annotated[InnovationReopened | CommandError,
                                    strawberry.union("ReopenInnovationPayload")]
CloseInnovationPayload = Annotated[InnovationClosed | CommandError,
                                   strawberry.union("CloseInnovationPayload")]
