"""Mutations on ideas: submit, and before and around triage revise, endorse, comment, accept, ask
for more, merge, decline, assign an owner, record involvement."""

from __future__ import annotations

from datetime import date

import strawberry

from lifecycle import commands
from lifecycle.vocabulary import InvolvementKind
from schema.commands import CommandInput, ReasonedInput, command_input, mutations
from schema.innovations.payloads import IdeaSubmitted, InnovationChange
from schema.innovations.types import InnovationClass


@command_input(commands.ReviseIdea,
               InnovationChange.fact("IdeaRevised", "The idea's text was revised."),
               "Revise an idea (its submitter or an innovation lead).")
class ReviseIdeaInput(CommandInput):
    title: str
    problem: str
    proposal: str
    tags: list[str] = strawberry.field(default_factory=list)


@command_input(commands.EndorseIdea,
               InnovationChange.fact("IdeaEndorsed", "The caller endorsed the idea."),
               "Endorse an idea, once per person.")
class EndorseIdeaInput(CommandInput):
    pass


@command_input(commands.CommentOnIdea,
               InnovationChange.fact("CommentAdded", "A comment was added to the idea.",
                                     created="comment_id"),
               "Comment on an idea.")
class CommentOnIdeaInput(CommandInput):
    text: str


@command_input(commands.AcceptIdea,
               InnovationChange.fact("IdeaAccepted",
                                     "The idea was accepted for development (now a CONCEPT)."),
               "Accept a submitted idea for development (innovation leads).")
class AcceptIdeaInput(ReasonedInput):
    pass


@command_input(commands.RequestInformation,
               InnovationChange.fact("InformationRequested",
                                     "The submitter was asked for more information."),
               "Ask the submitter for more information before triage.")
class RequestInformationInput(ReasonedInput):
    pass


@command_input(commands.DeclineIdea,
               InnovationChange.fact("IdeaDeclined", "The idea was declined and closed."),
               "Decline a submitted idea; say why.")
class DeclineIdeaInput(ReasonedInput):
    pass


@command_input(commands.MergeIdea,
               InnovationChange.fact("IdeaMerged", "The idea was merged into another and closed."),
               "Merge a submitted idea into another of your organisation.")
class MergeIdeaInput(ReasonedInput):
    into_id: strawberry.ID = strawberry.field(description="The idea this one duplicates.")


@command_input(commands.AssignOwner,
               InnovationChange.fact("OwnerAssigned", "An owner (and team) was assigned."),
               "Assign the innovation's owner and team.")
class AssignOwnerInput(CommandInput):
    owner: strawberry.ID = strawberry.field(description="The owner's opaque person id.")
    team: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Opaque person ids, at most 50.")


@command_input(commands.RecordInvolvement,
               InnovationChange.fact("InvolvementRecorded",
                                     "Stakeholder or patient and public involvement was recorded."),
               "Record stakeholder or patient and public involvement.")
class RecordInvolvementInput(CommandInput):
    kind: InvolvementKind
    group: str
    description: str
    involved_on: date


@command_input(commands.SubmitIdea, IdeaSubmitted,
               "Submit an idea (optionally in answer to a challenge).")
class SubmitIdeaInput(CommandInput):
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: list[str] = strawberry.field(default_factory=list)
    site: str | None = None
    challenge_id: strawberry.ID | None = None
    staff_group: str | None = None


@mutations(
    SubmitIdeaInput, ReviseIdeaInput, EndorseIdeaInput, CommentOnIdeaInput, AcceptIdeaInput,
    RequestInformationInput, MergeIdeaInput, DeclineIdeaInput, AssignOwnerInput,
    RecordInvolvementInput)
class IdeaMutations:
    """The mutations declared with the inputs above, in the order listed."""
