"""The innovation aggregate, command by command: given events / when command / then events.

Every test builds its aggregate in memory (no store): the "given" is a helper that runs earlier
commands and clears their pending events, the "when" is one command, and the "then" is the list
of events the command left pending (or the refusal, with nothing left pending).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar
from uuid import UUID, uuid4

import pytest

from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.errors import (
    DomainError,
    InsufficientAuthority,
    InvalidState,
    NotFound,
    ValidationFailed,
    WrongStage,
)
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.part import InnovationState
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import AdoptionStatus, SharingScope

ORG = uuid4()
PARTNER_ORG = uuid4()
OTHER_ORG = uuid4()

DAY = date(2024, 3, 1)
LATER = DAY + timedelta(days=30)
EARLIER = DAY - timedelta(days=1)

E = TypeVar("E", bound=LifecycleAggregate.Event)
X = TypeVar("X", bound=DomainError)


def context(subject: str, *roles: Role, organisation: UUID = ORG,
            key: str | None = None) -> CommandContext:
    return CommandContext(Actor(subject, organisation, frozenset(roles)), idempotency_key=key)


SUBMITTER = context("staff-submitter", Role.STAFF)
COLLEAGUE = context("staff-colleague", Role.STAFF)
LEAD = context("lead-1", Role.INNOVATION_LEAD)
TEAM = context("gov-team", Role.GOVERNANCE_TEAM)
BOARD = context("gov-board", Role.GOVERNANCE_BOARD)
PARTNER_LEAD = context("partner-lead", Role.PARTNER, organisation=PARTNER_ORG)


# -- then: what a command left pending -------------------------------------------------------------
def recorded(agg: LifecycleAggregate, kind: type[E]) -> E:
    """The single event the command recorded, checked to be of ``kind``."""
    events = agg.collect_events()
    assert [type(e).__name__ for e in events] == [kind.__name__]
    event = events[0]
    assert isinstance(event, kind)
    return event


@contextmanager
def refused(agg: Innovation, error: type[X],
            match: str | None = None) -> Iterator[pytest.ExceptionInfo[X]]:
    """The command inside is refused with ``error`` and leaves nothing to store."""
    version, stage = agg.version, agg.stage
    with pytest.raises(error, match=match) as info:
        yield info
    assert agg.pending_events == []
    assert agg.version == version
    assert agg.stage is stage


# -- given: innovations at each point of their life ------------------------------------------------
def given(innovation: Innovation) -> Innovation:
    """The history so far: its events are treated as already stored."""
    innovation.collect_events()
    return innovation


def submit(ctx: CommandContext = SUBMITTER, organisation: UUID = ORG) -> Innovation:
    return Innovation.submit(
        ctx, uuid4(), organisation_id=organisation, site="Royal Glamorgan", challenge_id=None,
        title="Virtual frailty ward rounds", problem="Frail patients wait for review",
        proposal="Daily video rounds with the frailty team", tags=("frailty", "digital"),
        innovation_class="IMPROVEMENT", staff_group="nursing_and_midwifery")


def submitted() -> Innovation:
    return given(submit())


def in_concept() -> Innovation:
    innovation = submitted()
    innovation.accept(LEAD, reason="fits the frailty strategy")
    return given(innovation)


def start_prototype(innovation: Innovation, started_on: date = DAY) -> UUID:
    prototype_id = uuid4()
    innovation.start_prototype(LEAD, prototype_id=prototype_id, title="PDSA 1",
                               hypothesis="rounds cut waits", plan="two wards for a month",
                               started_on=started_on)
    return prototype_id


def complete_prototype(innovation: Innovation, prototype_id: UUID) -> None:
    innovation.complete_prototype(LEAD, prototype_id=prototype_id, outcome="SUCCEEDED",
                                  result="waits halved", learning="needs a booking slot",
                                  completed_on=LATER)


def prototyping() -> tuple[Innovation, UUID]:
    """In PROTOTYPING with one prototype running."""
    innovation = in_concept()
    prototype_id = start_prototype(innovation)
    return given(innovation), prototype_id


def prototype_completed() -> Innovation:
    """In PROTOTYPING with one completed prototype: ready to be evaluated."""
    innovation, prototype_id = prototyping()
    complete_prototype(innovation, prototype_id)
    return given(innovation)


def evaluate(innovation: Innovation, cost: Decimal = Decimal("5000.00"),
             risk: Risk = Risk.LOW) -> UUID:
    evaluation_id = uuid4()
    innovation.record_evaluation(
        LEAD, evaluation_id=evaluation_id, method="SERVICE_EVALUATION",
        scores={"PATIENT_OUTCOMES": 4, "SAFETY": 5}, evidence="audit of 120 patients",
        recommendation="adopt", estimated_cost=cost, risk=risk, evaluated_on=LATER)
    return evaluation_id


def evaluating(cost: Decimal = Decimal("5000.00"),
               risk: Risk = Risk.LOW) -> tuple[Innovation, UUID]:
    """In EVALUATING with one evaluation (by default within a team's authority)."""
    innovation = prototype_completed()
    evaluation_id = evaluate(innovation, cost, risk)
    return given(innovation), evaluation_id


def decide(innovation: Innovation, outcome: DecisionOutcome,
           authority: Authority = Authority.TEAM, ctx: CommandContext = TEAM,
           conditions: str | None = None, evidence: tuple[UUID, ...] = (),
           thresholds: Thresholds | None = None) -> None:
    innovation.decide_adoption(ctx, decision_id=uuid4(), outcome=outcome, authority=authority,
                               rationale="the evaluation supports it", conditions=conditions,
                               evidence=evidence, thresholds=thresholds or Thresholds())


def adopted() -> Innovation:
    innovation, _ = evaluating()
    decide(innovation, DecisionOutcome.ADOPT)
    return given(innovation)


def start_adoption(innovation: Innovation, organisation: UUID = ORG,
                   site: str | None = "Prince Charles", ctx: CommandContext = LEAD) -> UUID:
    adoption_id = uuid4()
    innovation.start_adoption(ctx, adoption_id=adoption_id, organisation_id=organisation,
                              site=site, adaptation="evening rounds instead", started_on=DAY)
    return adoption_id


def spreading() -> tuple[Innovation, UUID]:
    """In SPREADING with one live adoption at another site of the owning organisation."""
    innovation = adopted()
    adoption_id = start_adoption(innovation)
    return given(innovation), adoption_id


def embedded() -> Innovation:
    innovation, _ = spreading()
    innovation.embed(LEAD, reason="business as usual on both sites")
    return given(innovation)


def parked() -> Innovation:
    """Parked from CONCEPT."""
    innovation = in_concept()
    innovation.park(LEAD, reason="no capacity this year")
    return given(innovation)


def closed() -> Innovation:
    innovation = submitted()
    innovation.decline(LEAD, reason="already national policy")
    return given(innovation)


def at_stage(stage: Stage) -> Innovation:
    builders: dict[Stage, Callable[[], Innovation]] = {
        Stage.SUBMITTED: submitted,
        Stage.CONCEPT: in_concept,
        Stage.PROTOTYPING: lambda: prototyping()[0],
        Stage.EVALUATING: lambda: evaluating()[0],
        Stage.ADOPTED: adopted,
        Stage.SPREADING: lambda: spreading()[0],
        Stage.EMBEDDED: embedded,
        Stage.PARKED: parked,
        Stage.CLOSED: closed,
    }
    innovation = builders[stage]()
    assert innovation.stage is stage
    assert innovation.pending_events == []
    return innovation


def stage_of(innovation: Innovation) -> Stage:
    """The stage now (a call, so that a type checker does not carry an earlier check over)."""
    return innovation.stage


OPEN = {Stage.SUBMITTED, Stage.CONCEPT, Stage.PROTOTYPING, Stage.EVALUATING, Stage.ADOPTED,
        Stage.SPREADING, Stage.EMBEDDED}
NOT_CLOSED = OPEN | {Stage.PARKED}


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


# -- revise ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("build", [submitted, in_concept], ids=["SUBMITTED", "CONCEPT"])
def test_revise_records_the_new_text_and_keeps_the_stage(build: Callable[[], Innovation]) -> None:
    innovation = build()
    stage = innovation.stage

    innovation.revise(SUBMITTER, title="New title", problem="New problem",
                      proposal="New proposal", tags=("wards",))

    event = recorded(innovation, Innovation.IdeaRevised)
    assert (event.title, event.problem, event.proposal, event.tags) == (
        "New title", "New problem", "New proposal", ["wards"])
    assert (innovation.title, innovation.problem, innovation.proposal) == (
        "New title", "New problem", "New proposal")
    assert innovation.tags == ["wards"]
    assert innovation.stage is stage


# -- endorse and comment ---------------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(OPEN), ids=str)
def test_endorse_records_the_endorser_in_any_open_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.endorse(COLLEAGUE)

    event = recorded(innovation, Innovation.IdeaEndorsed)
    assert event.actor == "staff-colleague"
    assert innovation.endorsers == {"staff-colleague"}
    assert innovation.stage is stage


def test_different_people_may_each_endorse() -> None:
    innovation = submitted()
    innovation.endorse(COLLEAGUE)
    given(innovation)

    innovation.endorse(SUBMITTER)

    recorded(innovation, Innovation.IdeaEndorsed)
    assert innovation.endorsers == {"staff-colleague", "staff-submitter"}


def test_second_endorsement_by_the_same_person_is_refused() -> None:
    innovation = submitted()
    innovation.endorse(COLLEAGUE)
    given(innovation)

    with refused(innovation, InvalidState, match="already endorsed"):
        innovation.endorse(COLLEAGUE)
    assert innovation.endorsers == {"staff-colleague"}


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_comment_is_recorded_in_every_stage_even_closed(stage: Stage) -> None:
    innovation = at_stage(stage)
    comment_id = uuid4()

    innovation.comment(COLLEAGUE, comment_id=comment_id, text="We tried this in 2019")

    event = recorded(innovation, Innovation.CommentAdded)
    assert (event.comment_id, event.text) == (comment_id, "We tried this in 2019")
    assert innovation.comments == 1
    assert innovation.stage is stage


# -- triage ---------------------------------------------------------------------------------------
def test_accept_moves_the_idea_to_concept() -> None:
    innovation = submitted()

    innovation.accept(LEAD, reason="fits the frailty strategy")

    event = recorded(innovation, Innovation.IdeaAccepted)
    assert event.reason == "fits the frailty strategy"
    assert innovation.stage is Stage.CONCEPT


def test_request_information_keeps_the_idea_submitted() -> None:
    innovation = submitted()

    innovation.request_information(LEAD, reason="which wards?")

    event = recorded(innovation, Innovation.InformationRequested)
    assert event.reason == "which wards?"
    assert innovation.stage is Stage.SUBMITTED


def test_merge_closes_the_duplicate_and_points_at_the_original() -> None:
    original = submitted()
    duplicate = submitted()

    duplicate.merge_into(LEAD, target=original, reason="same idea")

    event = recorded(duplicate, Innovation.IdeaMerged)
    assert (event.into_id, event.reason) == (original.id, "same idea")
    assert duplicate.stage is Stage.CLOSED
    assert original.pending_events == []


def test_merge_into_an_idea_further_on_is_allowed() -> None:
    original = adopted()
    duplicate = submitted()

    duplicate.merge_into(LEAD, target=original, reason="already adopted")

    assert recorded(duplicate, Innovation.IdeaMerged).into_id == original.id


def test_merge_into_itself_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, ValidationFailed, match="merged into itself") as info:
        innovation.merge_into(LEAD, target=innovation, reason="r")
    assert info.value.field == "into_id"


def test_merge_into_a_closed_innovation_is_refused() -> None:
    innovation = submitted()
    target = closed()

    with refused(innovation, InvalidState, match="closed"):
        innovation.merge_into(LEAD, target=target, reason="r")


def test_merge_into_another_organisations_idea_is_refused() -> None:
    innovation = submitted()
    target = given(submit(context("other", Role.STAFF, organisation=OTHER_ORG), OTHER_ORG))

    with refused(innovation, ValidationFailed, match="same organisation") as info:
        innovation.merge_into(LEAD, target=target, reason="r")
    assert info.value.field == "into_id"


def test_decline_closes_the_idea_with_its_reason() -> None:
    innovation = submitted()

    innovation.decline(LEAD, reason="already national policy")

    event = recorded(innovation, Innovation.IdeaDeclined)
    assert event.reason == "already national policy"
    assert innovation.stage is Stage.CLOSED


# -- owners and involvement -------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(NOT_CLOSED), ids=str)
def test_assign_owner_records_owner_and_team(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.assign_owner(LEAD, owner="person-7", team=("person-8", "person-9"))

    event = recorded(innovation, Innovation.OwnerAssigned)
    assert (event.owner, event.team) == ("person-7", ["person-8", "person-9"])
    assert (innovation.owner, innovation.team) == ("person-7", ["person-8", "person-9"])
    assert innovation.stage is stage


def test_record_involvement_records_who_was_involved_and_when() -> None:
    innovation = in_concept()

    innovation.record_involvement(LEAD, kind="PATIENT_PUBLIC", group="Frailty patient panel",
                                  description="co-designed the script", involved_on=DAY)

    event = recorded(innovation, Innovation.InvolvementRecorded)
    assert (event.kind, event.group, event.description, event.involved_on) == (
        "PATIENT_PUBLIC", "Frailty patient panel", "co-designed the script", DAY)
    assert innovation.stage is Stage.CONCEPT


# -- prototypes -----------------------------------------------------------------------------------
def test_start_prototype_moves_concept_to_prototyping() -> None:
    innovation = in_concept()
    prototype_id = uuid4()

    innovation.start_prototype(LEAD, prototype_id=prototype_id, title="PDSA 1",
                               hypothesis="rounds cut waits", plan="two wards",
                               started_on=DAY)

    event = recorded(innovation, Innovation.PrototypeStarted)
    assert event.prototype_id == prototype_id
    assert (event.title, event.hypothesis, event.plan, event.started_on) == (
        "PDSA 1", "rounds cut waits", "two wards", DAY)
    assert innovation.stage is Stage.PROTOTYPING
    assert innovation.prototypes[prototype_id] == {"started_on": DAY, "done": False}


def test_further_prototypes_may_be_started_while_prototyping() -> None:
    innovation, first = prototyping()

    second = start_prototype(innovation)

    assert recorded(innovation, Innovation.PrototypeStarted).prototype_id == second
    assert set(innovation.prototypes) == {first, second}
    assert innovation.stage is Stage.PROTOTYPING


def test_complete_prototype_records_its_outcome_and_learning() -> None:
    innovation, prototype_id = prototyping()

    innovation.complete_prototype(LEAD, prototype_id=prototype_id, outcome="FAILED",
                                  result="no change in waits", learning="wrong time of day",
                                  completed_on=LATER)

    event = recorded(innovation, Innovation.PrototypeCompleted)
    assert event.prototype_id == prototype_id
    assert (event.outcome, event.result, event.learning, event.completed_on) == (
        "FAILED", "no change in waits", "wrong time of day", LATER)
    assert innovation.prototypes[prototype_id]["done"] is True
    assert innovation.stage is Stage.PROTOTYPING


def test_a_prototype_may_complete_on_the_day_it_started() -> None:
    innovation, prototype_id = prototyping()

    innovation.complete_prototype(LEAD, prototype_id=prototype_id, outcome="INCONCLUSIVE",
                                  result="r", learning="l", completed_on=DAY)

    assert recorded(innovation, Innovation.PrototypeCompleted).completed_on == DAY


def test_completing_an_unknown_prototype_is_refused() -> None:
    innovation, _ = prototyping()
    unknown = uuid4()

    with refused(innovation, NotFound, match=f"prototype {unknown} does not exist") as info:
        innovation.complete_prototype(LEAD, prototype_id=unknown, outcome="FAILED",
                                      result="r", learning="l", completed_on=LATER)
    assert (info.value.kind, info.value.ident) == ("prototype", str(unknown))


def test_completing_a_prototype_twice_is_refused() -> None:
    innovation, prototype_id = prototyping()
    complete_prototype(innovation, prototype_id)
    given(innovation)

    with refused(innovation, InvalidState, match="already completed"):
        complete_prototype(innovation, prototype_id)


def test_completing_a_prototype_before_it_started_is_refused() -> None:
    innovation, prototype_id = prototyping()

    with refused(innovation, ValidationFailed, match="before the prototype started") as info:
        innovation.complete_prototype(LEAD, prototype_id=prototype_id, outcome="FAILED",
                                      result="r", learning="l", completed_on=EARLIER)
    assert info.value.field == "completed_on"
    assert innovation.prototypes[prototype_id]["done"] is False


# -- evaluation -----------------------------------------------------------------------------------
def test_record_evaluation_moves_prototyping_to_evaluating() -> None:
    innovation = prototype_completed()
    evaluation_id = uuid4()

    innovation.record_evaluation(
        LEAD, evaluation_id=evaluation_id, method="DEVELOPMENTAL_EVALUATION",
        scores={"SAFETY": 5, "EQUITY_AND_INCLUSION": 2}, evidence="ward audit",
        recommendation="adopt on two wards", estimated_cost=Decimal("25000.00"),
        risk=Risk.MEDIUM, evaluated_on=LATER)

    event = recorded(innovation, Innovation.EvaluationRecorded)
    assert event.evaluation_id == evaluation_id
    assert event.method == "DEVELOPMENTAL_EVALUATION"
    assert event.scores == {"SAFETY": 5, "EQUITY_AND_INCLUSION": 2}
    assert (event.evidence, event.recommendation) == ("ward audit", "adopt on two wards")
    assert event.estimated_cost == Decimal("25000.00")
    assert event.risk == "MEDIUM"
    assert event.evaluated_on == LATER
    assert innovation.stage is Stage.EVALUATING
    assert innovation.evaluations == {evaluation_id: LATER}
    assert innovation.latest_evaluation == (Decimal("25000.00"), Risk.MEDIUM, LATER)


def test_an_evaluation_without_a_completed_prototype_is_refused() -> None:
    innovation, _ = prototyping()

    with refused(innovation, InvalidState, match="at least one completed prototype"):
        evaluate(innovation)
    assert innovation.evaluations == {}


def test_a_further_evaluation_becomes_the_basis_of_the_decision() -> None:
    innovation, first = evaluating(cost=Decimal("5000.00"), risk=Risk.LOW)
    assert innovation.required_authority(Thresholds()) is Authority.TEAM

    second = evaluate(innovation, cost=Decimal("500000.00"), risk=Risk.HIGH)

    recorded(innovation, Innovation.EvaluationRecorded)
    assert set(innovation.evaluations) == {first, second}
    assert innovation.stage is Stage.EVALUATING
    assert innovation.required_authority(Thresholds()) is Authority.EXECUTIVE


def test_required_authority_without_an_evaluation_is_refused() -> None:
    innovation = in_concept()

    with pytest.raises(InvalidState, match="needs an evaluation"):
        innovation.required_authority(Thresholds())


# -- funding --------------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", sorted(NOT_CLOSED), ids=str)
def test_record_funding_records_the_grant_and_keeps_the_stage(stage: Stage) -> None:
    innovation = at_stage(stage)
    funding_id = uuid4()

    innovation.record_funding(LEAD, funding_id=funding_id, source="SBRI", funder="SBRI Wales",
                              programme="Frailty 2024", amount=Decimal("40000.00"),
                              starts_on=DAY, ends_on=LATER)

    event = recorded(innovation, Innovation.FundingRecorded)
    assert event.funding_id == funding_id
    assert (event.source, event.funder, event.programme) == ("SBRI", "SBRI Wales",
                                                             "Frailty 2024")
    assert (event.amount, event.starts_on, event.ends_on) == (Decimal("40000.00"), DAY, LATER)
    assert innovation.funding == {funding_id: Decimal("40000.00")}
    assert innovation.stage is stage


# -- adoption decisions ---------------------------------------------------------------------------
def test_adopt_decision_records_the_governance_facts_and_adopts() -> None:
    innovation, evaluation_id = evaluating(cost=Decimal("5000.00"), risk=Risk.LOW)
    decision_id = uuid4()

    innovation.decide_adoption(TEAM, decision_id=decision_id, outcome=DecisionOutcome.ADOPT,
                               authority=Authority.TEAM, rationale="safe and cheap",
                               conditions=None, evidence=(), thresholds=Thresholds())

    event = recorded(innovation, Innovation.AdoptionDecided)
    assert event.decision_id == decision_id
    assert event.outcome == "ADOPT"
    assert event.authority == "team"
    assert event.required_authority == "team"
    assert event.escalated is False
    assert event.rationale == "safe and cheap"
    assert event.conditions is None
    assert event.evidence == [evaluation_id]  # no evidence named: every evaluation
    assert (event.estimated_cost, event.risk) == (Decimal("5000.00"), "LOW")
    assert innovation.stage is Stage.ADOPTED
    assert innovation.decisions == [decision_id]


def test_decision_records_the_evidence_it_names() -> None:
    innovation, first = evaluating()
    evaluate(innovation)
    given(innovation)

    decide(innovation, DecisionOutcome.ADOPT, evidence=(first,))

    assert recorded(innovation, Innovation.AdoptionDecided).evidence == [first]


def test_decision_naming_an_unknown_evaluation_is_refused() -> None:
    innovation, evaluation_id = evaluating()
    unknown = uuid4()

    with refused(innovation, NotFound, match=f"evaluation {unknown} does not exist"):
        decide(innovation, DecisionOutcome.ADOPT, evidence=(evaluation_id, unknown))


def test_adapt_decision_with_its_adaptations_adopts() -> None:
    innovation, _ = evaluating()

    decide(innovation, DecisionOutcome.ADAPT, conditions="weekday rounds only")

    event = recorded(innovation, Innovation.AdoptionDecided)
    assert (event.outcome, event.conditions) == ("ADAPT", "weekday rounds only")
    assert innovation.stage is Stage.ADOPTED


@pytest.mark.parametrize("conditions", [None, ""])
def test_adapt_decision_without_its_adaptations_is_refused(conditions: str | None) -> None:
    innovation, _ = evaluating()

    with refused(innovation, ValidationFailed, match="must state its adaptations") as info:
        decide(innovation, DecisionOutcome.ADAPT, conditions=conditions)
    assert info.value.field == "conditions"


def test_pilot_further_decision_returns_to_prototyping() -> None:
    innovation, _ = evaluating()

    decide(innovation, DecisionOutcome.PILOT_FURTHER)

    assert recorded(innovation, Innovation.AdoptionDecided).outcome == "PILOT_FURTHER"
    assert innovation.stage is Stage.PROTOTYPING


def test_reject_decision_closes_the_innovation() -> None:
    innovation, _ = evaluating()

    decide(innovation, DecisionOutcome.REJECT)

    assert recorded(innovation, Innovation.AdoptionDecided).outcome == "REJECT"
    assert innovation.stage is Stage.CLOSED


def test_defer_decision_parks_and_reopening_returns_to_evaluating() -> None:
    innovation, _ = evaluating()

    decide(innovation, DecisionOutcome.DEFER)

    assert recorded(innovation, Innovation.AdoptionDecided).outcome == "DEFER"
    assert stage_of(innovation) is Stage.PARKED

    innovation.reopen(LEAD, reason="budget released")

    recorded(innovation, Innovation.InnovationReopened)
    assert innovation.stage is Stage.EVALUATING


@pytest.mark.parametrize(
    ("cost", "risk", "taken", "required"),
    [
        ("10000.01", Risk.LOW, Authority.TEAM, "directorate"),
        ("0.00", Risk.MEDIUM, Authority.TEAM, "directorate"),
        ("500000.00", Risk.LOW, Authority.DIRECTORATE, "executive"),
        ("100.00", Risk.VERY_HIGH, Authority.EXECUTIVE, "board"),
        ("1000000.01", Risk.LOW, Authority.EXECUTIVE, "board"),
    ],
)
def test_decision_below_required_authority_is_refused(cost: str, risk: Risk, taken: Authority,
                                                      required: str) -> None:
    innovation, _ = evaluating(cost=Decimal(cost), risk=risk)

    with refused(innovation, InsufficientAuthority,
                 match=f"requires {required} authority; it was taken at {taken.value} level"
                 ) as info:
        decide(innovation, DecisionOutcome.ADOPT, authority=taken)
    assert (info.value.required, info.value.taken) == (Authority(required), taken)
    assert isinstance(info.value.required, Authority)  # the enum, as the decision records it
    assert innovation.decisions == []


def test_a_refusal_for_authority_applies_to_every_outcome() -> None:
    innovation, _ = evaluating(cost=Decimal("50000.00"), risk=Risk.LOW)

    with refused(innovation, InsufficientAuthority):
        decide(innovation, DecisionOutcome.REJECT, authority=Authority.TEAM)


def test_decision_above_required_authority_is_marked_escalated() -> None:
    innovation, _ = evaluating(cost=Decimal("5000.00"), risk=Risk.LOW)

    decide(innovation, DecisionOutcome.ADOPT, authority=Authority.BOARD, ctx=BOARD)

    event = recorded(innovation, Innovation.AdoptionDecided)
    assert event.escalated is True
    assert (event.authority, event.required_authority) == ("board", "team")
    assert event.actor_role == "governance_board"
    assert innovation.stage is Stage.ADOPTED


def test_decision_at_exactly_the_required_authority_is_not_escalated() -> None:
    innovation, _ = evaluating(cost=Decimal("50000.00"), risk=Risk.MEDIUM)

    decide(innovation, DecisionOutcome.ADOPT, authority=Authority.DIRECTORATE)

    event = recorded(innovation, Innovation.AdoptionDecided)
    assert (event.authority, event.required_authority, event.escalated) == (
        "directorate", "directorate", False)


def test_decision_uses_the_organisations_own_thresholds() -> None:
    strict = Thresholds(team_max_cost=Decimal("1000"))
    innovation, _ = evaluating(cost=Decimal("5000.00"), risk=Risk.LOW)

    with refused(innovation, InsufficientAuthority, match="requires directorate authority"):
        decide(innovation, DecisionOutcome.ADOPT, authority=Authority.TEAM, thresholds=strict)

    decide(innovation, DecisionOutcome.ADOPT, authority=Authority.DIRECTORATE,
           thresholds=strict)
    assert recorded(innovation, Innovation.AdoptionDecided).required_authority == "directorate"


def test_after_piloting_further_a_new_evaluation_allows_a_new_decision() -> None:
    innovation, _ = evaluating()
    decide(innovation, DecisionOutcome.PILOT_FURTHER)
    start_prototype(innovation)
    given(innovation)
    second_prototype = next(p for p, s in innovation.prototypes.items() if not s["done"])
    complete_prototype(innovation, second_prototype)
    evaluate(innovation)
    given(innovation)
    assert stage_of(innovation) is Stage.EVALUATING

    decide(innovation, DecisionOutcome.ADOPT)

    recorded(innovation, Innovation.AdoptionDecided)
    assert innovation.stage is Stage.ADOPTED
    assert len(innovation.decisions) == 2


# -- sharing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_share_records_the_partner_and_scope_in_every_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)

    event = recorded(innovation, Innovation.SharedWith)
    assert (event.organisation_id, event.scope) == (PARTNER_ORG, "SUMMARY")
    assert innovation.shared_with == {PARTNER_ORG: "SUMMARY"}
    assert innovation.stage is stage


def test_sharing_again_at_a_different_scope_changes_the_scope() -> None:
    innovation = submitted()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)
    given(innovation)

    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)

    assert recorded(innovation, Innovation.SharedWith).scope == "FULL"
    assert innovation.shared_with == {PARTNER_ORG: "FULL"}


def test_sharing_again_at_the_same_scope_is_refused() -> None:
    innovation = submitted()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)
    given(innovation)

    with refused(innovation, InvalidState, match="already shared"):
        innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)


def test_sharing_with_the_owning_organisation_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, ValidationFailed, match="already sees its own work") as info:
        innovation.share(LEAD, organisation_id=ORG, scope=SharingScope.FULL)
    assert info.value.field == "organisation_id"
    assert innovation.shared_with == {}


def test_revoke_sharing_removes_the_partner() -> None:
    innovation = closed()
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.FULL)
    given(innovation)

    innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="project ended")

    event = recorded(innovation, Innovation.SharingRevoked)
    assert (event.organisation_id, event.reason) == (PARTNER_ORG, "project ended")
    assert innovation.shared_with == {}


def test_revoking_sharing_that_was_never_given_is_refused() -> None:
    innovation = submitted()

    with refused(innovation, InvalidState, match="not shared with that organisation"):
        innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="r")


def shared_in_full(innovation: Innovation, organisation: UUID = PARTNER_ORG) -> Innovation:
    innovation.share(LEAD, organisation_id=organisation, scope=SharingScope.FULL)
    return given(innovation)


def test_revoking_sharing_from_a_partner_with_a_live_adoption_is_refused() -> None:
    innovation = shared_in_full(adopted())
    start_adoption(innovation, organisation=PARTNER_ORG, site=None, ctx=PARTNER_LEAD)
    given(innovation)

    with refused(innovation, InvalidState, match="live adoption; abandon it first"):
        innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="r")
    assert PARTNER_ORG in innovation.shared_with


def test_revoking_sharing_after_the_partner_abandoned_its_adoption_is_allowed() -> None:
    innovation = shared_in_full(adopted())
    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)
    innovation.abandon_adoption(PARTNER_LEAD, adoption_id=adoption_id, reason="no staff",
                                abandoned_on=LATER)
    given(innovation)

    innovation.revoke_sharing(LEAD, organisation_id=PARTNER_ORG, reason="adoption ended")

    recorded(innovation, Innovation.SharingRevoked)
    assert innovation.shared_with == {}


# -- spread ---------------------------------------------------------------------------------------
def test_first_adoption_moves_adopted_to_spreading() -> None:
    innovation = adopted()
    adoption_id = uuid4()

    innovation.start_adoption(LEAD, adoption_id=adoption_id, organisation_id=ORG,
                              site="Prince Charles", adaptation="evening rounds",
                              started_on=DAY)

    event = recorded(innovation, Innovation.AdoptionStarted)
    assert event.adoption_id == adoption_id
    assert (event.organisation_id, event.site) == (ORG, "Prince Charles")
    assert (event.adaptation, event.started_on) == ("evening rounds", DAY)
    assert innovation.stage is Stage.SPREADING
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.STARTED
    assert innovation.shared_with == {}  # the owner needs no sharing


def test_adoption_by_a_partner_it_is_shared_with_in_full_records_only_the_adoption() -> None:
    innovation = shared_in_full(adopted())

    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)

    started = recorded(innovation, Innovation.AdoptionStarted)
    assert (started.adoption_id, started.organisation_id) == (adoption_id, PARTNER_ORG)
    assert innovation.shared_with == {PARTNER_ORG: "FULL"}


@pytest.mark.parametrize("scope", [None, SharingScope.SUMMARY], ids=["not-shared", "summary"])
@pytest.mark.parametrize("ctx", [PARTNER_LEAD, LEAD], ids=["by-the-partner", "by-the-owner"])
def test_another_organisation_adopts_only_what_is_shared_with_it_in_full_and_gains_nothing(
        scope: SharingScope | None, ctx: CommandContext) -> None:
    innovation = adopted()
    if scope is not None:
        innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=scope)
    given(innovation)
    before = dict(innovation.shared_with)

    with refused(innovation, InvalidState, match="adopts only an innovation shared with it in "
                                                 "full"):
        start_adoption(innovation, organisation=PARTNER_ORG, site=None, ctx=ctx)
    assert innovation.shared_with == before


def test_abandoning_an_adoption_leaves_the_share_as_its_owner_set_it() -> None:
    innovation = shared_in_full(adopted())
    adoption_id = start_adoption(innovation, organisation=PARTNER_ORG, site=None,
                                 ctx=PARTNER_LEAD)
    innovation.share(LEAD, organisation_id=PARTNER_ORG, scope=SharingScope.SUMMARY)
    given(innovation)

    innovation.abandon_adoption(PARTNER_LEAD, adoption_id=adoption_id, reason="no staff",
                                abandoned_on=LATER)

    recorded(innovation, Innovation.AdoptionAbandoned)
    assert innovation.shared_with == {PARTNER_ORG: "SUMMARY"}


@pytest.mark.parametrize("stage", [Stage.SPREADING, Stage.EMBEDDED], ids=str)
def test_later_adoptions_keep_the_stage(stage: Stage) -> None:
    innovation = at_stage(stage)

    start_adoption(innovation, site="Royal Glamorgan")

    recorded(innovation, Innovation.AdoptionStarted)
    assert innovation.stage is stage
    assert len(innovation.adoptions) == 2


def test_a_second_live_adoption_at_the_same_site_is_refused() -> None:
    innovation, _ = spreading()

    with refused(innovation, InvalidState, match="already has a live adoption"):
        start_adoption(innovation, site="Prince Charles")


def test_a_site_may_adopt_again_after_abandoning() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="staff left",
                                abandoned_on=LATER)
    given(innovation)

    again = start_adoption(innovation, site="Prince Charles")

    assert recorded(innovation, Innovation.AdoptionStarted).adoption_id == again


def test_sustain_adoption_records_that_it_lasted() -> None:
    innovation, adoption_id = spreading()

    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="a year on",
                                sustained_on=LATER)

    event = recorded(innovation, Innovation.AdoptionSustained)
    assert (event.adoption_id, event.reason, event.sustained_on) == (adoption_id, "a year on",
                                                                    LATER)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.SUSTAINED
    assert innovation.stage is Stage.SPREADING


def test_sustaining_an_unknown_adoption_is_refused() -> None:
    innovation, _ = spreading()
    unknown = uuid4()

    with refused(innovation, NotFound, match=f"adoption {unknown} does not exist"):
        innovation.sustain_adoption(LEAD, adoption_id=unknown, reason="r", sustained_on=LATER)


def test_sustaining_an_abandoned_adoption_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="was abandoned"):
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=LATER)


def test_sustaining_an_adoption_twice_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r", sustained_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="already sustained"):
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=LATER)


def test_sustaining_before_the_adoption_started_is_refused() -> None:
    innovation, adoption_id = spreading()

    with refused(innovation, ValidationFailed, match="before the adoption started") as info:
        innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    sustained_on=EARLIER)
    assert info.value.field == "sustained_on"


def test_abandon_adoption_records_why() -> None:
    innovation, adoption_id = spreading()

    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="no local champion",
                                abandoned_on=LATER)

    event = recorded(innovation, Innovation.AdoptionAbandoned)
    assert (event.adoption_id, event.reason, event.abandoned_on) == (
        adoption_id, "no local champion", LATER)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.ABANDONED
    assert innovation.stage is Stage.SPREADING


def test_a_sustained_adoption_may_later_be_abandoned() -> None:
    innovation, adoption_id = spreading()
    innovation.sustain_adoption(LEAD, adoption_id=adoption_id, reason="r", sustained_on=LATER)
    given(innovation)

    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)

    recorded(innovation, Innovation.AdoptionAbandoned)
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.ABANDONED


def test_abandoning_an_unknown_adoption_is_refused() -> None:
    innovation, _ = spreading()

    with refused(innovation, NotFound, match="adoption .* does not exist"):
        innovation.abandon_adoption(LEAD, adoption_id=uuid4(), reason="r", abandoned_on=LATER)


def test_abandoning_an_adoption_twice_is_refused() -> None:
    innovation, adoption_id = spreading()
    innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r", abandoned_on=LATER)
    given(innovation)

    with refused(innovation, InvalidState, match="was abandoned"):
        innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    abandoned_on=LATER)


def test_abandoning_before_the_adoption_started_is_refused() -> None:
    innovation, adoption_id = spreading()

    with refused(innovation, ValidationFailed, match="before the adoption started") as info:
        innovation.abandon_adoption(LEAD, adoption_id=adoption_id, reason="r",
                                    abandoned_on=EARLIER)
    assert info.value.field == "abandoned_on"
    assert innovation.adoptions[adoption_id]["status"] is AdoptionStatus.STARTED


@pytest.mark.parametrize("stage", [Stage.ADOPTED, Stage.SPREADING], ids=str)
def test_embed_records_the_innovation_as_embedded(stage: Stage) -> None:
    innovation = at_stage(stage)

    innovation.embed(LEAD, reason="in the standard operating procedure")

    event = recorded(innovation, Innovation.InnovationEmbedded)
    assert event.reason == "in the standard operating procedure"
    assert innovation.stage is Stage.EMBEDDED


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
