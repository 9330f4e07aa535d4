"""The innovation aggregate, command by command: given events / when command / then events.

Here: submitting, who acted, the stage machine's refusals, park / reopen / close and the whole
life. Each capability's commands are tested under its name (tests/unit/ideas/,
tests/unit/development/, tests/unit/governance/, tests/unit/spread/). Every test builds its
aggregate in memory (no store): the "given" is a helper (steps.py) that runs earlier commands and
clears their pending events, the "when" is one command, and the "then" is the list of events the
command left pending (or the refusal, with nothing left pending).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import uuid4

import pytest

from lifecycle.actor import Authority, Role
from lifecycle.errors import WrongStage
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.part import InnovationState
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import SharingScope
from tests.unit.innovations.steps import (
    BOARD,
    COLLEAGUE,
    DAY,
    LATER,
    LEAD,
    NOT_CLOSED,
    OPEN,
    ORG,
    PARTNER_LEAD,
    PARTNER_ORG,
    SUBMITTER,
    at_stage,
    closed,
    complete_prototype,
    context,
    decide,
    evaluate,
    recorded,
    refused,
    start_adoption,
    start_prototype,
    submit,
    submitted,
)


# -- submit ---------------------------------------------------------------------------------------
def test_submit_records_idea_submitted_and_starts_in_submitted() -> None:
    ident = uuid4()
    challenge = uuid4()
    innovation = Innovation.submit(
        SUBMITTER, ident, organisation_id=ORG, site=None, challenge_id=challenge, title="t",
        problem="p", proposal="q", tags=("a", "b"), innovation_class="INNOVATION",
        staff_group="medical_and_dental")

    event = recorded(innovation, Innovation.IdeaSubmitted)
    assert event.originator_id == ident
    assert event.originator_version == 1
    assert (event.organisation_id, event.site, event.challenge_id) == (ORG, None, challenge)
    assert (event.title, event.problem, event.proposal) == ("t", "p", "q")
    assert event.tags == ["a", "b"]
    assert event.innovation_class == "INNOVATION"
    assert event.staff_group == "medical_and_dental"
    assert innovation.id == ident
    assert innovation.stage is Stage.SUBMITTED
    assert innovation.submitter == "staff-submitter"
    assert innovation.organisation_id == ORG


def test_every_event_says_who_acted_for_which_request() -> None:
    ctx = context("lead-9", Role.STAFF, Role.INNOVATION_LEAD, key="key-1")
    innovation = submitted()

    innovation.accept(ctx, reason="fits")

    event = recorded(innovation, Innovation.IdeaAccepted)
    assert event.actor == "lead-9"
    assert event.actor_organisation == ORG
    assert event.actor_role == "innovation_lead"  # the most senior role held
    assert event.correlation_id == ctx.correlation_id
    assert event.idempotency_key == "key-1"


# -- the stage machine: refusals name the stage and what was allowed -------------------------------
ACTIONS: dict[str, Callable[[Innovation], object]] = {
    "revise": lambda i: i.revise(SUBMITTER, title="t", problem="p", proposal="q", tags=()),
    "endorse": lambda i: i.endorse(COLLEAGUE),
    "accept": lambda i: i.accept(LEAD, reason="r"),
    "request_information": lambda i: i.request_information(LEAD, reason="r"),
    "merge_into": lambda i: i.merge_into(LEAD, target=submitted(), reason="r"),
    "decline": lambda i: i.decline(LEAD, reason="r"),
    "assign_owner": lambda i: i.assign_owner(LEAD, owner="o", team=()),
    "record_involvement": lambda i: i.record_involvement(
        LEAD, kind="PATIENT_PUBLIC", group="g", description="d", involved_on=DAY),
    "start_prototype": lambda i: i.start_prototype(
        LEAD, prototype_id=uuid4(), title="t", hypothesis="h", plan="p", started_on=DAY),
    "complete_prototype": lambda i: i.complete_prototype(
        LEAD, prototype_id=uuid4(), outcome="FAILED", result="r", learning="l",
        completed_on=LATER),
    "record_evaluation": lambda i: i.record_evaluation(
        LEAD, evaluation_id=uuid4(), method="OUTCOME_MAPPING", scores={"SAFETY": 3},
        evidence="e", recommendation="r", estimated_cost=Decimal(1), risk=Risk.LOW,
        evaluated_on=DAY),
    "record_funding": lambda i: i.record_funding(
        LEAD, funding_id=uuid4(), source="CHARITY", funder="f", programme=None,
        amount=Decimal(1), starts_on=DAY, ends_on=None),
    "decide_adoption": lambda i: decide(i, DecisionOutcome.ADOPT, Authority.BOARD, BOARD),
    "start_adoption": lambda i: start_adoption(i, site="Somewhere new"),
    "sustain_adoption": lambda i: i.sustain_adoption(
        LEAD, adoption_id=uuid4(), reason="r", sustained_on=LATER),
    "abandon_adoption": lambda i: i.abandon_adoption(
        LEAD, adoption_id=uuid4(), reason="r", abandoned_on=LATER),
    "embed": lambda i: i.embed(LEAD, reason="r"),
    "park": lambda i: i.park(LEAD, reason="r"),
    "reopen": lambda i: i.reopen(LEAD, reason="r"),
    "close": lambda i: i.close(LEAD, reason="r", learning="l"),
}

# What docs/domain.md's stage table allows, written out here rather than read from
# lifecycle.stage.
EXPECTED_ALLOWED: dict[str, tuple[str, set[Stage]]] = {
    "revise": ("revise", {Stage.SUBMITTED, Stage.CONCEPT}),
    "endorse": ("endorse", OPEN),
    "accept": ("triage", {Stage.SUBMITTED}),
    "request_information": ("triage", {Stage.SUBMITTED}),
    "merge_into": ("triage", {Stage.SUBMITTED}),
    "decline": ("triage", {Stage.SUBMITTED}),
    "assign_owner": ("assign owner", NOT_CLOSED),
    "record_involvement": ("record involvement", OPEN),
    "start_prototype": ("start a prototype", {Stage.CONCEPT, Stage.PROTOTYPING}),
    "complete_prototype": ("complete a prototype", {Stage.PROTOTYPING, Stage.EVALUATING}),
    "record_evaluation": ("record an evaluation", {Stage.PROTOTYPING, Stage.EVALUATING}),
    "record_funding": ("record funding", NOT_CLOSED),
    "decide_adoption": ("decide adoption", {Stage.EVALUATING}),
    "start_adoption": ("start an adoption", {Stage.ADOPTED, Stage.SPREADING, Stage.EMBEDDED}),
    "sustain_adoption": ("sustain an adoption", {Stage.SPREADING, Stage.EMBEDDED}),
    "abandon_adoption": ("abandon an adoption", {Stage.SPREADING, Stage.EMBEDDED}),
    "embed": ("embed", {Stage.ADOPTED, Stage.SPREADING}),
    "park": ("park", OPEN),
    "reopen": ("reopen", {Stage.PARKED}),
    "close": ("close", NOT_CLOSED),
}

WRONG_STAGE_CASES = [
    pytest.param(command, stage, id=f"{command}-from-{stage.value}")
    for command, (_, allowed) in EXPECTED_ALLOWED.items()
    for stage in Stage
    if stage not in allowed
]


@pytest.mark.parametrize(("command", "stage"), WRONG_STAGE_CASES)
def test_command_from_a_stage_that_does_not_allow_it_is_refused(command: str,
                                                                stage: Stage) -> None:
    action, allowed = EXPECTED_ALLOWED[command]
    innovation = at_stage(stage)

    with refused(innovation, WrongStage,
                 match=f"cannot {action} while the innovation is {stage.value}; "
                       "allowed from: ") as info:
        ACTIONS[command](innovation)

    assert info.value.code == "WRONG_STAGE"
    assert info.value.action == action
    assert info.value.stage == stage.value
    assert info.value.allowed_from == sorted(s.value for s in allowed)


def test_wrong_stage_message_lists_the_allowed_stages() -> None:
    innovation = closed()

    with refused(innovation, WrongStage,
                 match=r"cannot revise while the innovation is CLOSED; "
                       r"allowed from: CONCEPT, SUBMITTED$"):
        innovation.revise(SUBMITTER, title="t", problem="p", proposal="q", tags=())


def test_every_command_is_covered_by_the_stage_table_test() -> None:
    # The command methods are the parts' (one a capability) that the aggregate is composed of.
    parts = [klass for klass in Innovation.__mro__ if issubclass(klass, InnovationState)]
    commands = {name for part in parts for name in vars(part)
                if not name.startswith("_") and callable(getattr(Innovation, name))
                and name not in {"submit", "comment", "share", "revoke_sharing",
                                 "required_authority", "collect_events", "trigger_event"}
                and not isinstance(getattr(Innovation, name), type)}
    assert commands == set(EXPECTED_ALLOWED) == set(ACTIONS)


# -- park, reopen, close ------------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(OPEN), ids=str)
def test_park_then_reopen_returns_to_the_stage_it_was_parked_from(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.park(LEAD, reason="no capacity")

    assert recorded(innovation, Innovation.InnovationParked).reason == "no capacity"
    assert innovation.stage is Stage.PARKED
    assert innovation.stage_before_park is stage

    innovation.reopen(LEAD, reason="capacity found")

    assert recorded(innovation, Innovation.InnovationReopened).reason == "capacity found"
    assert innovation.stage is stage
    assert innovation.stage_before_park is None


@pytest.mark.parametrize("stage", sorted(NOT_CLOSED), ids=str)
def test_close_keeps_the_learning_and_closes(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.close(LEAD, reason="superseded", learning="patients preferred phone calls")

    event = recorded(innovation, Innovation.InnovationClosed)
    assert (event.reason, event.learning) == ("superseded", "patients preferred phone calls")
    assert innovation.stage is Stage.CLOSED


# -- the whole life -------------------------------------------------------------------------------
def test_full_stage_walk_from_submitted_to_embedded() -> None:
    innovation = submit()
    stages = [innovation.stage]

    innovation.accept(LEAD, reason="fits")
    stages.append(innovation.stage)
    prototype_id = start_prototype(innovation)
    stages.append(innovation.stage)
    complete_prototype(innovation, prototype_id)
    evaluate(innovation)
    stages.append(innovation.stage)
    decide(innovation, DecisionOutcome.ADOPT)
    stages.append(innovation.stage)
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)
    start_adoption(innovation, organisation=PARTNER_ORG, site=None, ctx=PARTNER_LEAD)
    stages.append(innovation.stage)
    innovation.embed(LEAD, reason="standard practice")
    stages.append(innovation.stage)

    assert stages == [Stage.SUBMITTED, Stage.CONCEPT, Stage.PROTOTYPING, Stage.EVALUATING,
                      Stage.ADOPTED, Stage.SPREADING, Stage.EMBEDDED]
    events = innovation.collect_events()
    assert [type(e).__name__ for e in events] == [
        "IdeaSubmitted", "IdeaAccepted", "PrototypeStarted", "PrototypeCompleted",
        "EvaluationRecorded", "AdoptionDecided", "SharedWith", "AdoptionStarted",
        "InnovationEmbedded"]
    assert [e.originator_version for e in events] == list(range(1, 10))
    assert innovation.version == 9
