"""Every mutation input is declared with ``command_input`` and becomes its command field by field:
the input has a field for each of the command's, the id of what the command changes comes first
and ``expectedVersion``/``idempotencyKey`` last, and a malformed id is refused naming the field
the client sent."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
import strawberry

from lifecycle import commands as c
from lifecycle.actor import Authority
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.service.settings import Mode, Settings
from lifecycle.vocabulary import Criterion, EvaluationMethod
from schema.commands import CommandInput
from schema.development.mutations import RecordEvaluationInput, ScoreInput
from schema.governance.mutations import DecideAdoptionInput
from schema.ideas.mutations import AssignOwnerInput
from schema.root import build
from schema.spread.mutations import SustainAdoptionInput

DAY = date(2024, 3, 1)


def _inputs() -> list[type[CommandInput]]:
    build(Settings(mode=Mode.DEVELOPMENT))  # every module that declares an input is imported

    def below(cls: type[CommandInput]) -> list[type[CommandInput]]:
        return [s for sub in cls.__subclasses__() for s in (sub, *below(sub))]

    return [i for i in dict.fromkeys(below(CommandInput)) if i.__name__ != "ReasonedInput"]


def _names(declared: type[CommandInput]) -> list[str]:
    fields: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(declared)  # type: ignore[arg-type]
    return [f.name for f in fields]


def test_every_input_has_a_field_for_each_field_of_its_command() -> None:
    inputs = _inputs()
    assert len(inputs) >= 36
    for declared in inputs:
        if "to_command" not in vars(declared):  # one that maps itself names fields its own way
            assert set(declared.command_fields) <= set(_names(declared)), declared


def test_an_input_starts_with_its_address_and_ends_with_version_and_key() -> None:
    for declared in _inputs():
        names, address = _names(declared), declared.command.address
        if address is None:
            assert "expected_version" not in names, declared
        else:
            assert names[0] == address, declared
            assert names[names.index("expected_version") + 1] == "idempotency_key", declared
        assert "idempotency_key" in names, declared


def test_an_input_becomes_its_command_with_ids_and_lists_converted() -> None:
    ident, evaluation = uuid4(), uuid4()
    decided = DecideAdoptionInput(  # type: ignore[call-arg]
        innovation_id=strawberry.ID(str(ident)), outcome=DecisionOutcome.ADOPT,
        authority=Authority.TEAM, rationale="r", evidence=[strawberry.ID(str(evaluation))])
    assert decided.to_command() == c.DecideAdoption(
        ident, outcome=DecisionOutcome.ADOPT, authority=Authority.TEAM, rationale="r",
        evidence=(evaluation,))
    owner = AssignOwnerInput(  # type: ignore[call-arg]
        innovation_id=strawberry.ID(str(ident)), owner=strawberry.ID("a"),
        team=[strawberry.ID("b")])
    assert owner.to_command() == c.AssignOwner(ident, owner="a", team=("b",))


def test_a_nested_input_becomes_its_domain_value() -> None:
    evaluation = RecordEvaluationInput(  # type: ignore[call-arg]
        innovation_id=strawberry.ID(str(uuid4())), method=EvaluationMethod.SERVICE_EVALUATION,
        scores=[ScoreInput(criterion=Criterion.PATIENT_OUTCOMES, score=3)], evidence="e",
        recommendation="r", estimated_cost=1, risk=Risk.LOW, evaluated_on=DAY)
    command = evaluation.to_command()
    assert isinstance(command, c.RecordEvaluation)
    assert command.scores == ((Criterion.PATIENT_OUTCOMES, 3),)


def test_a_malformed_id_is_refused_naming_the_field_the_client_sent() -> None:
    sustained = SustainAdoptionInput(  # type: ignore[call-arg]
        innovation_id=strawberry.ID(str(uuid4())), reason="r",
        adoption_id=strawberry.ID("nope"), sustained_on=DAY)
    with pytest.raises(ValidationFailed) as refused:
        sustained.to_command()
    assert refused.value.field == "adoptionId"
