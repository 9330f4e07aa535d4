"""The commands about ideas: submit, revise, endorse, comment on, triage one (accept, ask for more
information, merge, decline), assign its owner, record involvement."""

from __future__ import annotations

from dataclasses import field
from uuid import UUID

from lifecycle import validation as v
from lifecycle.checks import Day, LongProse, Name, OptionalName, StaffGroup, Subject, Tags, Title
from lifecycle.command import Command
from lifecycle.errors import ValidationFailed
from lifecycle.innovations.commands import InnovationCommand, ReasonedCommand
from lifecycle.vocabulary import (
    InnovationClass,
    InvolvementKind,
)


class SubmitIdea(Command):
    title: Title
    problem: LongProse
    proposal: LongProse
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: Tags = ()
    site: OptionalName = None
    challenge_id: UUID | None = None
    staff_group: StaffGroup = None


class ReviseIdea(InnovationCommand):
    title: Title
    problem: LongProse
    proposal: LongProse
    tags: Tags = ()


class EndorseIdea(InnovationCommand):
    """Endorse an idea of one's own organisation (once a person, while it is open)."""


class CommentOnIdea(InnovationCommand):
    text: LongProse


class AcceptIdea(ReasonedCommand):
    """Triage: accept the submitted idea as a concept (CONCEPT)."""


class RequestInformation(ReasonedCommand):
    """Triage: ask for more information before deciding; the idea stays SUBMITTED."""


class DeclineIdea(ReasonedCommand):
    """Triage: decline the submitted idea, which closes it (CLOSED)."""


class MergeIdea(ReasonedCommand):
    into_id: UUID = field(kw_only=True)


class AssignOwner(InnovationCommand):
    owner: Subject
    team: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.team) > 50:
            raise ValidationFailed("team", "at most 50 members")
        self._set("team", tuple(dict.fromkeys(v.subject("team", t) for t in self.team)))


class RecordInvolvement(InnovationCommand):
    kind: InvolvementKind
    group: Name
    description: LongProse
    involved_on: Day
