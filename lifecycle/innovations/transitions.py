"""The stage machine's moves: what each event does to an innovation's stage, in one function that
the aggregate applies every event through (``Innovation.Event.apply``) and that every read model
keeping a stage folds events with (``projections/innovations/projection.py``). Which actions each
stage allows is the other half of the machine, ``stage.py``'s ``ALLOWED_FROM``.

The stages are the ISO 56002 process as NHS trusts run it (docs/domain.md, "Stages").
"""

from __future__ import annotations

from lifecycle.development.events import DevelopmentPart as D
from lifecycle.governance.authority import DecisionOutcome
from lifecycle.governance.events import GovernancePart as G
from lifecycle.ideas.events import IdeasPart as I
from lifecycle.innovations.events import InnovationsPart as W
from lifecycle.innovations.stage import Stage
from lifecycle.spread.events import SpreadPart as S

DECISION_STAGE = {
    DecisionOutcome.ADOPT: Stage.ADOPTED,
    DecisionOutcome.ADAPT: Stage.ADOPTED,
    DecisionOutcome.PILOT_FURTHER: Stage.PROTOTYPING,
    DecisionOutcome.REJECT: Stage.CLOSED,
    DecisionOutcome.DEFER: Stage.PARKED,
}
"""Where an adoption decision takes the innovation."""


MOVES_TO = {
    I.IdeaAccepted: Stage.CONCEPT,
    I.IdeaMerged: Stage.CLOSED,
    I.IdeaDeclined: Stage.CLOSED,
    W.InnovationClosed: Stage.CLOSED,
    D.PrototypeStarted: Stage.PROTOTYPING,
    D.EvaluationRecorded: Stage.EVALUATING,
    S.InnovationEmbedded: Stage.EMBEDDED,
}
"""The events that take an innovation to one stage whatever stage it is at (the stage it was
parked from, if any, is kept)."""


def stage_after(event: object, stage: Stage | None,
                parked_from: Stage | None) -> tuple[Stage | None, Stage | None]:
    """The stage, and the stage it was parked from, after ``event`` happened to an innovation
    at ``stage`` (None before its first event) parked from ``parked_from`` (None unless
    parked). An event that does not move the stage leaves both as they were."""
    match event:
        case I.IdeaSubmitted():
            return Stage.SUBMITTED, None
        case G.AdoptionDecided():
            after = DECISION_STAGE[DecisionOutcome(event.outcome)]
            return after, (stage if after is Stage.PARKED else parked_from)
        case S.AdoptionStarted() if stage is Stage.ADOPTED:
            return Stage.SPREADING, parked_from
        case W.InnovationParked():
            return Stage.PARKED, stage
        case W.InnovationReopened():
            return parked_from or Stage.SUBMITTED, None
    for kind, after in MOVES_TO.items():
        if isinstance(event, kind):
            return after, parked_from
    return stage, parked_from
