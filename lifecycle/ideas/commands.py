"""The commands about ideas: submit, revise, endorse, comment on, triage one (accept, ask for more
information, merge, decline), assign its owner, record involvement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from lifecycle import validation as v
from lifecycle.command import Command
from lifecycle.errors import ValidationFailed
from lifecycle.innovations.commands import InnovationCommand, ReasonedCommand
from lifecycle.vocabulary import (
    InnovationClass,
    InvolvementKind,
)


@dataclass(frozen=True)
class SubmitIdea(Command):
    title: str
    problem: str
    proposal: str
    innovation_class: InnovationClass = InnovationClass.IMPROVEMENT
    tags: tuple[str, ...] = ()
    site: str | None = None
    challenge_id: UUID | None = None
    staff_group: str | None = None

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._prose("proposal", v.LONG_TEXT_MAX)
        self._set("tags", v.tags("tags", self.tags))
        self._optional("site", v.NAME_MAX)
        v.staff_group("staff_group", self.staff_group)


@dataclass(frozen=True)
class ReviseIdea(InnovationCommand):
    title: str
    problem: str
    proposal: str
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._prose("proposal", v.LONG_TEXT_MAX)
        self._set("tags", v.tags("tags", self.tags))


@dataclass(frozen=True)
class EndorseIdea(InnovationCommand):
    pass


@dataclass(frozen=True)
class CommentOnIdea(InnovationCommand):
    text: str

    def __post_init__(self) -> None:
        self._prose("text", v.LONG_TEXT_MAX)


@dataclass(frozen=True)
class AcceptIdea(ReasonedCommand):
    pass


@dataclass(frozen=True)
class RequestInformation(ReasonedCommand):
    pass


@dataclass(frozen=True)
class DeclineIdea(ReasonedCommand):
    pass


@dataclass(frozen=True)
class MergeIdea(ReasonedCommand):
    into_id: UUID = field(kw_only=True)


@dataclass(frozen=True)
class AssignOwner(InnovationCommand):
    owner: str
    team: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._set("owner", v.subject("owner", self.owner))
        if len(self.team) > 50:
            raise ValidationFailed("team", "at most 50 members")
        self._set("team", tuple(dict.fromkeys(v.subject("team", t) for t in self.team)))


@dataclass(frozen=True)
class RecordInvolvement(InnovationCommand):
    kind: InvolvementKind
    group: str
    description: str
    involved_on: date

    def __post_init__(self) -> None:
        self._text("group", v.NAME_MAX)
        self._prose("description", v.LONG_TEXT_MAX)
        self._day("involved_on")
