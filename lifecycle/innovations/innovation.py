"""The innovation: one identity from idea to embedded practice (or to a closure with its learning).

One aggregate, composed of one part per capability: each part holds that capability's events (as
nested classes, so that ``Innovation.IdeaSubmitted`` names one) and its command methods, which
check the stage machine (``stage.py``) and the aggregate's invariants, then record one event.
Inputs arrive already validated for shape (the commands).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lifecycle.aggregate import LifecycleAggregate, stable_name
from lifecycle.development.events import DevelopmentPart
from lifecycle.governance.authority import DecisionOutcome
from lifecycle.governance.events import GovernancePart
from lifecycle.ideas.events import IdeasPart
from lifecycle.innovations.events import InnovationsPart
from lifecycle.innovations.part import InnovationEvent
from lifecycle.innovations.stage import Stage
from lifecycle.spread.events import SpreadPart

_DECISION_STAGE = {
    DecisionOutcome.ADOPT: Stage.ADOPTED,
    DecisionOutcome.ADAPT: Stage.ADOPTED,
    DecisionOutcome.PILOT_FURTHER: Stage.PROTOTYPING,
    DecisionOutcome.REJECT: Stage.CLOSED,
    DecisionOutcome.DEFER: Stage.PARKED,
}


@stable_name("Innovation")
class Innovation(IdeasPart, DevelopmentPart, GovernancePart, SpreadPart, InnovationsPart,
                 LifecycleAggregate):
    # eventsourcing's aggregate metaclass redefines every event of the parts (the direct bases)
    # as a subclass of this class and sets it here: ``Innovation.IdeaRevised`` is that class,
    # what the stored events decode to.
    class Event(InnovationEvent):
        pass

    if not TYPE_CHECKING:  # (for mypy it is the part's, as every other event is)
        # The event that creates an innovation: the metaclass takes it from the class's own
        # namespace (and makes it an ``Event`` too).
        IdeaSubmitted = IdeasPart.IdeaSubmitted

    def __init__(self) -> None:
        self.stage = Stage.SUBMITTED
        self.stage_before_park = None
        self.owner = None
        self.team = []
        self.endorsers = set()
        self.comments = 0
        self.prototypes = {}
        self.evaluations = {}
        self.latest_evaluation = None
        self.decisions = []
        self.adoptions = {}
        self.shared_with = {}
        self.funding = {}
        self.awaiting_information = False
        self.merged_into = None


def stage_after(event: object, stage: Stage | None,
                parked_from: Stage | None) -> tuple[Stage | None, Stage | None]:
    """The stage (and the stage parked from) after ``event``: the stage machine's effect of each
    event, for readers that fold events without the aggregate (the read side)."""
    match event:
        case Innovation.IdeaSubmitted():
            return Stage.SUBMITTED, None
        case Innovation.IdeaAccepted():
            return Stage.CONCEPT, parked_from
        case Innovation.IdeaMerged() | Innovation.IdeaDeclined() | Innovation.InnovationClosed():
            return Stage.CLOSED, parked_from
        case Innovation.PrototypeStarted():
            return Stage.PROTOTYPING, parked_from
        case Innovation.EvaluationRecorded():
            return Stage.EVALUATING, parked_from
        case Innovation.AdoptionDecided():
            after = _DECISION_STAGE[DecisionOutcome(event.outcome)]
            return after, (stage if after is Stage.PARKED else parked_from)
        case Innovation.AdoptionStarted() if stage is Stage.ADOPTED:
            return Stage.SPREADING, parked_from
        case Innovation.InnovationEmbedded():
            return Stage.EMBEDDED, parked_from
        case Innovation.InnovationParked():
            return Stage.PARKED, stage
        case Innovation.InnovationReopened():
            return parked_from or Stage.SUBMITTED, None
    return stage, parked_from
