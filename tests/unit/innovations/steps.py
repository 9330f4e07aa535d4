"""The given and the then of the innovation aggregate's unit tests.

Every test builds its aggregate in memory (no store): the "given" is a helper here that runs
earlier commands and clears their pending events, the "when" is one command, and the "then" is
the list of events the command left pending (``recorded``), or the refusal, with nothing left
pending (``refused``).
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
from lifecycle.errors import DomainError
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage

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
