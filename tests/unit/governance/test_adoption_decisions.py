"""Adoption decisions on the innovation aggregate: outcomes, evidence, required authority.

The aggregate is built in memory (no store), given earlier commands
(tests/unit/innovations/steps.py), when one command, then the events it left pending (or the
refusal, with nothing left pending).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from lifecycle.actor import Authority
from lifecycle.errors import InsufficientAuthority, NotFound, ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from tests.unit.innovations.steps import (
    BOARD,
    LEAD,
    TEAM,
    complete_prototype,
    decide,
    evaluate,
    evaluating,
    given,
    recorded,
    refused,
    stage_of,
    start_prototype,
)


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
