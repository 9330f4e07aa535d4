"""What every capability's part of the innovation builds on: the base class of the innovation's
events, and the state its events set and its command methods read.

The ``Innovation`` aggregate (``innovation.py``) is one class composed of parts, one a capability
(``ideas/events.py``, ``development/events.py``...): each part holds its capability's events, as
nested classes, and the command methods that record them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

from lifecycle.aggregate import LifecycleAggregate
from lifecycle.governance.authority import Risk
from lifecycle.innovations import stage as stages
from lifecycle.innovations.stage import Stage

if TYPE_CHECKING:
    from lifecycle.actor import CommandContext


class InnovationEvent(LifecycleAggregate.Event):
    """An event of an innovation: every part's events derive from it. Applying one moves the
    stage by the one stage machine (``Innovation.Event.apply``), then ``fold`` changes the rest
    of the state."""

    def fold(self, agg: InnovationState) -> None:
        """Change the innovation's state other than its stage (which only the stage machine,
        ``transitions.stage_after``, moves)."""


class ReasonedEvent(InnovationEvent):
    """An event of a decision a person made about an innovation (a ``ReasonedCommand``'s):
    ``reason`` is why, in their words."""

    reason: str


class InnovationState:
    """The innovation's state, declared once for every part; the aggregate gives it its first
    values (``Innovation.__init__``) and its events change it."""

    organisation_id: UUID
    site: str | None
    challenge_id: UUID | None
    title: str
    problem: str
    proposal: str
    tags: list[str]
    innovation_class: str
    submitter: str
    staff_group: str | None
    stage: Stage
    stage_before_park: Stage | None
    owner: str | None
    team: list[str]
    endorsers: set[str]
    comments: int
    prototypes: dict[UUID, dict[str, Any]]
    evaluations: dict[UUID, date]
    latest_evaluation: tuple[Decimal, Risk, date] | None
    decisions: list[UUID]
    adoptions: dict[UUID, dict[str, Any]]
    shared_with: dict[UUID, str]
    funding: dict[UUID, Decimal]

    if TYPE_CHECKING:  # what the aggregate (``LifecycleAggregate``) provides
        id: UUID
        version: int

        @classmethod
        def _begin(cls, event_class: type[LifecycleAggregate.Created], ctx: CommandContext,
                   ident: UUID, **fields: Any) -> Self: ...

        def _record(self, event_class: type[LifecycleAggregate.Event], ctx: CommandContext,
                    **fields: Any) -> None: ...

    def _act(self, action: str, event_class: type[LifecycleAggregate.Event], ctx: CommandContext,
             **fields: Any) -> None:
        """Record ``event_class`` with ``fields`` if the stage machine allows ``action`` from the
        innovation's stage (``stage.ALLOWED_FROM``); else raise ``WrongStage`` naming the stages
        that would have allowed it."""
        stages.require(action, self.stage)
        self._record(event_class, ctx, **fields)
