"""Mutations on ideas: submit, and before and around triage revise, endorse, comment, accept, ask
for more, merge, decline, assign an owner, record involvement."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.application import Outcome
from lifecycle.vocabulary import InvolvementKind as DomainInvolvementKind
from schema.commands import Change, carry_out, key_field, version_field
from schema.context import Context
from schema.ideas.payloads import (
    AcceptIdeaPayload,
    AssignOwnerPayload,
    CommentAdded,
    CommentOnIdeaPayload,
    DeclineIdeaPayload,
    EndorseIdeaPayload,
    IdeaAccepted,
    IdeaDeclined,
    IdeaEndorsed,
    IdeaMerged,
    IdeaRevised,
    InformationRequested,
    InvolvementRecorded,
    MergeIdeaPayload,
    OwnerAssigned,
    RecordInvolvementPayload,
    RequestInformationPayload,
    ReviseIdeaPayload,
)
from schema.ids import required_id, uuid_or_none
from schema.innovations.payloads import changed, target
from schema.innovations.types import IdeaSubmitted, InnovationClass, SubmitIdeaPayload

InvolvementKind = DomainInvolvementKind
Info = strawberry.Info[Context, None]


@strawberry.input
class ReviseIdeaInput:
    innovation_id: strawberry.ID
    title: str
    problem: str
    proposal: str
    tags: list[str] = strawberry.field(default_factory=list)
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class EndorseIdeaInput:
    innovation_id: strawberry.ID
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class CommentOnIdeaInput:
    innovation_id: strawberry.ID
    text: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input(description="A triage decision, which must say why.")
class TriageInput:
    innovation_id: strawberry.ID
    reason: str
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class AcceptIdeaInput(TriageInput):
    pass


@strawberry.input
class RequestInformationInput(TriageInput):
    pass


@strawberry.input
class DeclineIdeaInput(TriageInput):
    pass


@strawberry.input
class MergeIdeaInput(TriageInput):
    into_id: strawberry.ID = strawberry.field(description="The idea this one duplicates.")


@strawberry.input
class AssignOwnerInput:
    innovation_id: strawberry.ID
    owner: strawberry.ID = strawberry.field(description="The owner's opaque person id.")
    team: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Opaque person ids, at most 50.")
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class RecordInvolvementInput:
    innovation_id: strawberry.ID
    kind: InvolvementKind
    group: str
    description: str
    involved_on: date
    expected_version: int | None = version_field()
    idempotency_key: str | None = key_field()


@strawberry.input
class SubmitIdeaInput:
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: list[str] = strawberry.field(default_factory=list)
    site: str | None = None
    challenge_id: strawberry.ID | None = None
    staff_group: str | None = None
    idempotency_key: str | None = key_field()

    def to_command(self) -> commands.SubmitIdea:
        return commands.SubmitIdea(
            title=self.title, problem=self.problem, proposal=self.proposal,
            innovation_class=self.innovation_class, tags=tuple(self.tags), site=self.site,
            challenge_id=uuid_or_none("challengeId", self.challenge_id),
            staff_group=self.staff_group)


async def _submitted(ctx: Context, outcome: Outcome) -> IdeaSubmitted:
    return IdeaSubmitted(innovation=await changed(ctx, outcome), **Change.receipt(ctx, outcome))


@strawberry.type
class IdeaMutations:
    @strawberry.mutation(description="Submit an idea (optionally in answer to a challenge).")
    async def submit_idea(self, info: strawberry.Info[Context, None],
                          input: SubmitIdeaInput) -> SubmitIdeaPayload:
        return await carry_out(info.context, input, input.to_command, _submitted)

    @strawberry.mutation(description="Revise an idea (its submitter or an innovation lead).")
    async def revise_idea(self, info: Info, input: ReviseIdeaInput) -> ReviseIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.ReviseIdea(
            target(input), title=input.title, problem=input.problem, proposal=input.proposal,
            tags=tuple(input.tags)), IdeaRevised.of)

    @strawberry.mutation(description="Endorse an idea, once per person.")
    async def endorse_idea(self, info: Info, input: EndorseIdeaInput) -> EndorseIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.EndorseIdea(target(input)),
                               IdeaEndorsed.of)

    @strawberry.mutation(description="Comment on an idea.")
    async def comment_on_idea(self, info: Info,
                              input: CommentOnIdeaInput) -> CommentOnIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.CommentOnIdea(
            target(input), text=input.text), CommentAdded.of)

    @strawberry.mutation(description="Accept a submitted idea for development (innovation leads).")
    async def accept_idea(self, info: Info, input: AcceptIdeaInput) -> AcceptIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.AcceptIdea(
            target(input), reason=input.reason), IdeaAccepted.of)

    @strawberry.mutation(description="Ask the submitter for more information before triage.")
    async def request_information(self, info: Info, input: RequestInformationInput
                                  ) -> RequestInformationPayload:
        return await carry_out(info.context, input, lambda: commands.RequestInformation(
            target(input), reason=input.reason), InformationRequested.of)

    @strawberry.mutation(description="Merge a submitted idea into another of your organisation.")
    async def merge_idea(self, info: Info, input: MergeIdeaInput) -> MergeIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.MergeIdea(
            target(input), reason=input.reason, into_id=required_id("intoId", input.into_id)),
            IdeaMerged.of)

    @strawberry.mutation(description="Decline a submitted idea; say why.")
    async def decline_idea(self, info: Info, input: DeclineIdeaInput) -> DeclineIdeaPayload:
        return await carry_out(info.context, input, lambda: commands.DeclineIdea(
            target(input), reason=input.reason), IdeaDeclined.of)

    @strawberry.mutation(description="Assign the innovation's owner and team.")
    async def assign_owner(self, info: Info, input: AssignOwnerInput) -> AssignOwnerPayload:
        return await carry_out(info.context, input, lambda: commands.AssignOwner(
            target(input), owner=str(input.owner), team=tuple(str(t) for t in input.team)),
            OwnerAssigned.of)

    @strawberry.mutation(description="Record stakeholder or patient and public involvement.")
    async def record_involvement(self, info: Info, input: RecordInvolvementInput
                                 ) -> RecordInvolvementPayload:
        return await carry_out(info.context, input, lambda: commands.RecordInvolvement(
            target(input), kind=input.kind, group=input.group, description=input.description,
            involved_on=input.involved_on), InvolvementRecorded.of)
