"""The stage machine of an innovation (ISO 56002 process as NHS trusts run it)."""

from __future__ import annotations

from enum import StrEnum

from lifecycle.errors import WrongStage


class Stage(StrEnum):
    SUBMITTED = "SUBMITTED"
    CONCEPT = "CONCEPT"
    PROTOTYPING = "PROTOTYPING"
    EVALUATING = "EVALUATING"
    ADOPTED = "ADOPTED"
    SPREADING = "SPREADING"
    EMBEDDED = "EMBEDDED"
    PARKED = "PARKED"
    CLOSED = "CLOSED"


PROGRESSION = (
    Stage.SUBMITTED,
    Stage.CONCEPT,
    Stage.PROTOTYPING,
    Stage.EVALUATING,
    Stage.ADOPTED,
    Stage.SPREADING,
    Stage.EMBEDDED,
)
OPEN = frozenset(PROGRESSION)
NOT_CLOSED = frozenset(OPEN | {Stage.PARKED})
ANY = frozenset(Stage)

# Which stages each action may be taken from. The aggregate checks every command against this
# table, so a refusal can always say what would have been allowed.
ALLOWED_FROM: dict[str, frozenset[Stage]] = {
    "revise": frozenset({Stage.SUBMITTED, Stage.CONCEPT}),
    "triage": frozenset({Stage.SUBMITTED}),
    "endorse": OPEN,
    "comment": ANY,
    "assign owner": NOT_CLOSED,
    "record involvement": OPEN,
    "start a prototype": frozenset({Stage.CONCEPT, Stage.PROTOTYPING}),
    "complete a prototype": frozenset({Stage.PROTOTYPING, Stage.EVALUATING}),
    "record an evaluation": frozenset({Stage.PROTOTYPING, Stage.EVALUATING}),
    "record funding": NOT_CLOSED,
    "decide adoption": frozenset({Stage.EVALUATING}),
    "share": ANY,
    "revoke sharing": ANY,
    "start an adoption": frozenset({Stage.ADOPTED, Stage.SPREADING, Stage.EMBEDDED}),
    "sustain an adoption": frozenset({Stage.SPREADING, Stage.EMBEDDED}),
    "abandon an adoption": frozenset({Stage.SPREADING, Stage.EMBEDDED}),
    "embed": frozenset({Stage.ADOPTED, Stage.SPREADING}),
    "park": OPEN,
    "reopen": frozenset({Stage.PARKED}),
    "close": NOT_CLOSED,
}


def require(action: str, stage: Stage) -> None:
    """Refuse ``action`` unless the stage allows it, naming what is allowed."""
    allowed = ALLOWED_FROM[action]
    if stage not in allowed:
        raise WrongStage(action, stage.value, (s.value for s in allowed))
