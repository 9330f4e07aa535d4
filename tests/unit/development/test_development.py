"""Development on the innovation aggregate: prototypes, evaluations and funding.

The aggregate is built in memory (no store), given earlier commands
(tests/unit/innovations/steps.py), when one command, then the events it left pending (or the
refusal, with nothing left pending).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from lifecycle.actor import Authority
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.governance.authority import Risk, Thresholds
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from tests.unit.innovations.steps import (
    DAY,
    EARLIER,
    LATER,
    LEAD,
    NOT_CLOSED,
    at_stage,
    complete_prototype,
    evaluate,
    evaluating,
    given,
    in_concept,
    prototype_completed,
    prototyping,
    recorded,
    refused,
    start_prototype,
)


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
