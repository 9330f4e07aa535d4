"""The innovation's ideas part: submitting an idea, revising, endorsing and commenting on it,
triage (accept, ask for more information, merge, decline), its owner and team, and the
involvement of stakeholders, patients and the public."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import LifecycleAggregate, NoFingerprint, topic
from lifecycle.errors import InvalidState, ValidationFailed
from lifecycle.innovations import stage as stages
from lifecycle.innovations.part import InnovationEvent, InnovationState, ReasonedEvent
from lifecycle.innovations.stage import Stage


class IdeasPart(InnovationState):
    class IdeaSubmitted(NoFingerprint, InnovationEvent, LifecycleAggregate.Created):
        TOPIC = topic("IdeaSubmitted")
        organisation_id: UUID
        site: str | None
        challenge_id: UUID | None
        title: str
        problem: str
        proposal: str
        tags: list[str]
        innovation_class: str
        staff_group: str | None

        def fold(self, agg: InnovationState) -> None:
            self.keep(agg, "organisation_id", "site", "challenge_id", "title", "problem",
                      "proposal", "innovation_class", "staff_group")
            agg.tags = list(self.tags)
            agg.submitter = self.actor

    class IdeaRevised(InnovationEvent):
        TOPIC = topic("IdeaRevised")
        title: str
        problem: str
        proposal: str
        tags: list[str]

        def fold(self, agg: InnovationState) -> None:
            agg.title, agg.problem, agg.proposal = self.title, self.problem, self.proposal
            agg.tags = list(self.tags)

    class IdeaEndorsed(InnovationEvent):
        TOPIC = topic("IdeaEndorsed")

        def fold(self, agg: InnovationState) -> None:
            agg.endorsers.add(self.actor)

    class CommentAdded(InnovationEvent):
        TOPIC = topic("CommentAdded")
        comment_id: UUID
        text: str

        def fold(self, agg: InnovationState) -> None:
            agg.comments += 1

    class IdeaAccepted(ReasonedEvent):
        """Triage accepted the idea: it becomes a concept (CONCEPT)."""

        TOPIC = topic("IdeaAccepted")

    class InformationRequested(ReasonedEvent):
        """Triage asked for more information before deciding; the idea stays SUBMITTED."""

        TOPIC = topic("InformationRequested")

    class IdeaMerged(InnovationEvent):
        """Triage merged the idea, a duplicate, into the innovation ``into_id`` (of the same
        organisation, not closed), saying why: the idea is CLOSED."""

        TOPIC = topic("IdeaMerged")
        into_id: UUID
        reason: str

    class IdeaDeclined(ReasonedEvent):
        """Triage declined the idea: it is CLOSED."""

        TOPIC = topic("IdeaDeclined")

    class OwnerAssigned(InnovationEvent):
        TOPIC = topic("OwnerAssigned")
        owner: str
        team: list[str]

        def fold(self, agg: InnovationState) -> None:
            agg.owner = self.owner
            agg.team = list(self.team)

    class InvolvementRecorded(InnovationEvent):
        TOPIC = topic("InvolvementRecorded")
        kind: str
        group: str
        description: str
        involved_on: date

    @classmethod
    def submit(cls, ctx: CommandContext, ident: UUID, *, organisation_id: UUID, site: str | None,
               challenge_id: UUID | None, title: str, problem: str, proposal: str,
               tags: tuple[str, ...], innovation_class: str, staff_group: str | None) -> Self:
        return cls._begin(
            cls.IdeaSubmitted, ctx, ident, organisation_id=organisation_id, site=site,
            challenge_id=challenge_id, title=title, problem=problem, proposal=proposal,
            tags=list(tags), innovation_class=innovation_class, staff_group=staff_group
        )

    def revise(self, ctx: CommandContext, *, title: str, problem: str, proposal: str,
               tags: tuple[str, ...]) -> None:
        self._act("revise", self.IdeaRevised, ctx, title=title, problem=problem,
                  proposal=proposal, tags=list(tags))

    def endorse(self, ctx: CommandContext) -> None:
        stages.require("endorse", self.stage)
        if ctx.actor.subject in self.endorsers:
            raise InvalidState("you have already endorsed this innovation")
        self._record(self.IdeaEndorsed, ctx)

    def comment(self, ctx: CommandContext, *, comment_id: UUID, text: str) -> None:
        self._act("comment", self.CommentAdded, ctx, comment_id=comment_id, text=text)

    def accept(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("triage", self.IdeaAccepted, ctx, reason=reason)

    def request_information(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("triage", self.InformationRequested, ctx, reason=reason)

    def merge_into(self, ctx: CommandContext, *, target: InnovationState, reason: str) -> None:
        stages.require("triage", self.stage)
        if target.id == self.id:
            raise ValidationFailed("into_id", "an idea cannot be merged into itself")
        if target.stage is Stage.CLOSED:
            raise InvalidState("cannot merge into an innovation that is closed")
        if target.organisation_id != self.organisation_id:
            raise ValidationFailed("into_id",
                                   "can only merge into an idea of the same organisation")
        self._record(self.IdeaMerged, ctx, into_id=target.id, reason=reason)

    def decline(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("triage", self.IdeaDeclined, ctx, reason=reason)

    def assign_owner(self, ctx: CommandContext, *, owner: str, team: tuple[str, ...]) -> None:
        self._act("assign owner", self.OwnerAssigned, ctx, owner=owner, team=list(team))

    def record_involvement(self, ctx: CommandContext, *, kind: str, group: str,
                           description: str, involved_on: date) -> None:
        self._act("record involvement", self.InvolvementRecorded, ctx, kind=kind, group=group,
                  description=description, involved_on=involved_on)
