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
from lifecycle.governance.events import GovernancePart
from lifecycle.ideas.events import IdeasPart
from lifecycle.innovations.events import InnovationsPart
from lifecycle.innovations.part import InnovationEvent
from lifecycle.innovations.transitions import stage_after
from lifecycle.spread.events import SpreadPart


@stable_name("Innovation")
class Innovation(IdeasPart, DevelopmentPart, GovernancePart, SpreadPart, InnovationsPart,
                 LifecycleAggregate):
    # eventsourcing's aggregate metaclass redefines every event of the parts (the direct bases)
    # as a subclass of this class and sets it here: ``Innovation.IdeaRevised`` is that class,
    # what the stored events decode to.
    class Event(InnovationEvent):
        def apply(self, agg: Innovation) -> None:
            """The one stage machine moves the stage (``transitions.stage_after``); the
            event's own ``fold`` changes the rest."""
            before = None if isinstance(self, LifecycleAggregate.Created) else agg.stage
            after, agg.stage_before_park = stage_after(self, before, agg.stage_before_park)
            assert after is not None  # an innovation's first event is its submission
            agg.stage = after
            self.fold(agg)

    if not TYPE_CHECKING:  # (for mypy it is the part's, as every other event is)
        # The event that creates an innovation: the metaclass takes it from the class's own
        # namespace (and makes it an ``Event`` too).
        IdeaSubmitted = IdeasPart.IdeaSubmitted

    def __init__(self) -> None:
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
