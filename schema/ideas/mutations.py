"""Mutations on ideas: submit, and before and around triage revise, endorse, comment, accept, ask
for more, merge, decline, assign an owner, record involvement."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import InvolvementKind as DomainInvolvementKind
from schema.commands import CommandInput, ReasonedInput, command_input, mutation
from schema.ideas.payloads import (
    CommentAdded,
    IdeaAccepted,
    IdeaDeclined,
    IdeaEndorsed,
    IdeaMerged,
    IdeaRevised,
    InformationRequested,
    InvolvementRecorded,
    OwnerAssigned,
)
from schema.innovations.payloads import IdeaSubmitted
from schema.innovations.types import InnovationClass

InvolvementKind = DomainInvolvementKind


@command_input(commands.ReviseIdea)
class ReviseIdeaInput(CommandInput):
    title: str
    problem: str
    proposal: str
    tags: list[str] = strawberry.field(default_factory=list)


@command_input(commands.EndorseIdea)
class EndorseIdeaInput(CommandInput):
    pass


@command_input(commands.CommentOnIdea)
class CommentOnIdeaInput(CommandInput):
    text: str


@command_input(commands.AcceptIdea)
class AcceptIdeaInput(ReasonedInput):
    pass


@command_input(commands.RequestInformation)
class RequestInformationInput(ReasonedInput):
    pass


@command_input(commands.DeclineIdea)
class DeclineIdeaInput(ReasonedInput):
    pass


@command_input(commands.MergeIdea)
class MergeIdeaInput(ReasonedInput):
    into_id: strawberry.ID = strawberry.field(description="The idea this one duplicates.")


@command_input(commands.AssignOwner)
class AssignOwnerInput(CommandInput):
    owner: strawberry.ID = strawberry.field(description="The owner's opaque person id.")
    team: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Opaque person ids, at most 50.")


@command_input(commands.RecordInvolvement)
class RecordInvolvementInput(CommandInput):
    kind: InvolvementKind
    group: str
    description: str
    involved_on: date


@command_input(commands.SubmitIdea)
class SubmitIdeaInput(CommandInput):
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: list[str] = strawberry.field(default_factory=list)
    site: str | None = None
    challenge_id: strawberry.ID | None = None
    staff_group: str | None = None


@strawberry.type
class IdeaMutations:
    submit_idea = mutation(SubmitIdeaInput, IdeaSubmitted,
                           "Submit an idea (optionally in answer to a challenge).")
    revise_idea = mutation(ReviseIdeaInput, IdeaRevised,
                           "Revise an idea (its submitter or an innovation lead).")
    endorse_idea = mutation(EndorseIdeaInput, IdeaEndorsed,
                            "Endorse an idea, once per person.")
    comment_on_idea = mutation(CommentOnIdeaInput, CommentAdded,
                               "Comment on an idea.")
    accept_idea = mutation(AcceptIdeaInput, IdeaAccepted,
                           "Accept a submitted idea for development (innovation leads).")
    request_information = mutation(
        RequestInformationInput, InformationRequested,
        "Ask the submitter for more information before triage.")
    merge_idea = mutation(MergeIdeaInput, IdeaMerged,
                          "Merge a submitted idea into another of your organisation.")
    decline_idea = mutation(DeclineIdeaInput, IdeaDeclined,
                            "Decline a submitted idea; say why.")
    assign_owner = mutation(AssignOwnerInput, OwnerAssigned,
                            "Assign the innovation's owner and team.")
    record_involvement = mutation(
        RecordInvolvementInput, InvolvementRecorded,
        "Record stakeholder or patient and public involvement.")
