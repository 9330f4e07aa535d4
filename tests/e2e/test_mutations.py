"""Every command as a GraphQL mutation, over real HTTP: an innovation's whole lifecycle, each typed
refusal, idempotent replays, and that every command is a mutation returning its fact or a typed
error. Each capability's own mutations are tested under its name (tests/e2e/<capability>/).

Each module of mutations over real HTTP runs with a trust of its own (``build_trust`` of
tests/e2e/mutating.py, registered as the module's ``trust`` fixture)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from lifecycle.handlers import HANDLERS
from tests.e2e.conftest import LiveServer
from tests.e2e.mutating import INNOVATION, Trust, adopted, at, build_trust, mutate, submit

trust = pytest.fixture(scope="module")(build_trust)


# -- the whole lifecycle ---------------------------------------------------------------------------
def test_an_innovation_walks_from_idea_to_embedded_practice(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    seen: list[int] = []

    def step(actor: Actor, name: str, typename: str, stage: str, extra: str = "",
             **input: Any) -> dict[str, Any]:
        payload = mutate(live, actor, name, INNOVATION + extra, **input)
        assert payload["__typename"] == typename, payload
        assert payload["innovation"]["stage"] == stage
        assert payload["replayed"] is False
        position = at(app, payload)
        assert position == app.store.head()  # the position of the command's last event
        assert not seen or position > seen[-1]
        seen.append(position)
        return payload

    ident = submit(live, trust.staff, site="Ysbyty Gwynedd")
    step(trust.lead, "acceptIdea", "IdeaAccepted", "CONCEPT", innovationId=ident,
         reason="Fits the flow programme")
    started = step(trust.lead, "startPrototype", "PrototypeStarted", "PROTOTYPING",
                   "... on PrototypeStarted { prototypeId }", innovationId=ident,
                   title="Lounge pilot", hypothesis="Beds free two hours earlier",
                   plan="Four weeks on two wards", startedOn="2025-01-06")
    step(trust.lead, "completePrototype", "PrototypeCompleted", "PROTOTYPING",
         innovationId=ident, prototypeId=started["prototypeId"], outcome="SUCCEEDED",
         result="Beds freed 2.5 hours earlier", learning="Pharmacy must come first",
         completedOn="2025-02-03")
    evaluated = step(trust.lead, "recordEvaluation", "EvaluationRecorded", "EVALUATING",
                     "... on EvaluationRecorded { evaluationId }", innovationId=ident,
                     method="SERVICE_EVALUATION",
                     scores=[{"criterion": "PATIENT_OUTCOMES", "score": 4},
                             {"criterion": "EFFICIENCY_AND_VALUE", "score": 5}],
                     evidence="Four-week audit", recommendation="Adopt trust-wide",
                     estimatedCost="48000.00", risk="MEDIUM", evaluatedOn="2025-02-20")
    decision = {"innovationId": ident, "outcome": "ADOPT", "rationale": "Frees beds cheaply",
                "evidence": [evaluated["evaluationId"]]}

    too_low = mutate(live, trust.team_governor, "decideAdoption", INNOVATION,
                     authority="TEAM", **decision)
    assert too_low["__typename"] == "InsufficientAuthorityError"
    # The Authority enum, as Decision.requiredAuthority says it.
    assert (too_low["required"], too_low["taken"]) == ("DIRECTORATE", "TEAM")
    assert app.store.head() == seen[-1]

    decided = step(trust.directorate_governor, "decideAdoption", "AdoptionDecided", "ADOPTED",
                   "... on AdoptionDecided { decisionId }", authority="DIRECTORATE", **decision)
    assert UUID(decided["decisionId"])
    adoption = step(trust.lead, "startAdoption", "AdoptionStarted", "SPREADING",
                    "... on AdoptionStarted { adoptionId }", innovationId=ident,
                    organisationId=str(trust.admin.organisation), site="Glan Clwyd",
                    adaptation="Lounge in the day unit", startedOn="2025-04-01")
    sustained = step(trust.lead, "sustainAdoption", "AdoptionSustained", "SPREADING",
                     "... on AdoptionSustained { adoptionId }", innovationId=ident,
                     adoptionId=adoption["adoptionId"], reason="Six months in use",
                     sustainedOn="2025-10-01")
    assert sustained["adoptionId"] == adoption["adoptionId"]
    embedded = step(trust.lead, "embedInnovation", "InnovationEmbedded", "EMBEDDED",
                    innovationId=ident, reason="Standard practice at two sites")
    assert embedded["innovation"]["version"] == app.repository.get(UUID(ident)).version


# -- typed refusals --------------------------------------------------------------------------------
def test_anonymous_mutation_is_unauthenticated_before_its_input_is_checked(
        live: LiveServer, app: LifecycleApplication) -> None:
    head = app.store.head()
    body = httpx.post(f"{live.url}/graphql", timeout=10, json={
        "query": "mutation($input: AcceptIdeaInput!) { acceptIdea(input: $input) { __typename } }",
        "variables": {"input": {"innovationId": "not-an-id", "reason": " "}}}).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert app.store.head() == head


def test_blank_reason_is_a_validation_error_naming_the_field_and_stores_nothing(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    head = app.store.head()
    payload = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                     reason="   ")
    assert (payload["__typename"], payload["field"], payload["code"]) == (
        "ValidationError", "reason", "VALIDATION")
    assert app.store.head() == head


@pytest.mark.parametrize(("name", "input", "field"), [
    ("acceptIdea", {"innovationId": "not-an-id", "reason": "r"}, "innovationId"),
    ("mergeIdea", {"innovationId": str(uuid4()), "intoId": "42", "reason": "r"}, "intoId"),
    ("decideAdoption", {"innovationId": str(uuid4()), "outcome": "ADOPT", "authority": "TEAM",
                        "rationale": "r", "evidence": ["evaluation-1"]}, "evidence"),
])
def test_malformed_id_is_a_validation_error_not_a_crash(
        live: LiveServer, trust: Trust, name: str, input: dict[str, Any], field: str) -> None:
    payload = mutate(live, trust.lead, name, INNOVATION, **input)
    assert (payload["__typename"], payload["field"]) == ("ValidationError", field)


def test_unknown_innovation_is_not_found(live: LiveServer, trust: Trust) -> None:
    missing = str(uuid4())
    payload = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=missing,
                     reason="r")
    assert (payload["__typename"], payload["kind"], payload["ident"]) == (
        "NotFoundError", "innovation", missing)


def test_command_in_the_wrong_stage_says_which_stages_allow_it(
        live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    payload = mutate(live, trust.lead, "embedInnovation", INNOVATION, innovationId=ident,
                     reason="Too soon")
    assert payload["__typename"] == "WrongStageError"
    assert payload["stage"] == "SUBMITTED"
    assert payload["allowedFrom"] == ["ADOPTED", "SPREADING"]


def test_auditor_writes_nothing(live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    payload = mutate(live, trust.auditor, "acceptIdea", INNOVATION, innovationId=ident,
                     reason="r")
    assert (payload["__typename"], payload["code"]) == ("ForbiddenError", "FORBIDDEN")


def test_staff_may_not_decide_adoption(live: LiveServer, app: LifecycleApplication,
                                       trust: Trust) -> None:
    ident = str(adopted(app, trust))
    payload = mutate(live, trust.staff, "decideAdoption", INNOVATION, innovationId=ident,
                     outcome="ADOPT", authority="TEAM", rationale="I like it")
    assert payload["__typename"] == "ForbiddenError"


def test_second_endorsement_by_the_same_person_is_invalid_state(
        live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    assert mutate(live, trust.colleague, "endorseIdea", INNOVATION,
                  innovationId=ident)["__typename"] == "IdeaEndorsed"
    again = mutate(live, trust.colleague, "endorseIdea", INNOVATION, innovationId=ident)
    assert (again["__typename"], again["code"]) == ("InvalidStateError", "INVALID_STATE")


def test_stale_expected_version_is_a_version_conflict(live: LiveServer, trust: Trust) -> None:
    ident = submit(live, trust.staff)
    stale = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident, reason="r",
                   expectedVersion=7)
    assert stale["__typename"] == "VersionConflictError"
    assert (stale["expected"], stale["actual"]) == (7, 1)
    fresh = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident, reason="r",
                   expectedVersion=1)
    assert (fresh["__typename"], fresh["innovation"]["version"]) == ("IdeaAccepted", 2)


def test_reused_key_for_a_different_change_is_refused(live: LiveServer, trust: Trust) -> None:
    ident, key = submit(live, trust.staff), f"key-{uuid4()}"
    first = mutate(live, trust.staff, "commentOnIdea", INNOVATION, innovationId=ident,
                   text="First", idempotencyKey=key)
    assert first["__typename"] == "CommentAdded"
    other = mutate(live, trust.staff, "commentOnIdea", INNOVATION, innovationId=ident,
                   text="Second", idempotencyKey=key)
    assert (other["__typename"], other["key"]) == ("IdempotencyKeyReusedError", key)


def test_repeating_a_change_with_its_key_replays_it_without_a_second_event(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    ident, key = submit(live, trust.staff), f"key-{uuid4()}"
    first = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                   reason="Fits", idempotencyKey=key)
    head = app.store.head()
    again = mutate(live, trust.lead, "acceptIdea", INNOVATION, innovationId=ident,
                   reason="Fits", idempotencyKey=key)
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["__typename"] == "IdeaAccepted"
    assert again["position"] == first["position"]
    assert app.store.head() == head
    assert app.repository.get(UUID(ident)).version == 2  # submitted, accepted once


# -- the contract ----------------------------------------------------------------------------------
INTROSPECT = """{ __schema {
  mutationType { fields { name args { name type { ofType { name } } } type { ofType { name } } } }
  types { name kind inputFields { name type { kind } } possibleTypes { name }
          fields { name type { kind ofType { name } } } } } }"""
ERROR_TYPES = {"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
               "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
               "IdempotencyKeyReusedError"}


def test_every_command_is_a_mutation_returning_its_fact_or_a_typed_error(
        live: LiveServer, trust: Trust) -> None:
    body = httpx.post(f"{live.url}/graphql", json={"query": INTROSPECT}, timeout=10).json()
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}
    fields = {f["name"]: f for f in body["data"]["__schema"]["mutationType"]["fields"]}
    for command in HANDLERS:
        name = command.__name__[0].lower() + command.__name__[1:]
        field = fields[name]
        (arg,) = field["args"]
        assert (arg["name"], arg["type"]["ofType"]["name"]) == ("input", f"{command.__name__}Input")
        inputs = {f["name"]: f["type"]["kind"] for f in types[f"{command.__name__}Input"][
            "inputFields"]}
        assert inputs["idempotencyKey"] == "SCALAR"
        assert ("expectedVersion" in inputs) is (command.address is not None), name
        payload = types[field["type"]["ofType"]["name"]]
        assert (payload["kind"], payload["name"]) == ("UNION", f"{command.__name__}Payload")
        members = {t["name"] for t in payload["possibleTypes"]}
        (success,) = members - ERROR_TYPES
        assert members - {success} == ERROR_TYPES
        shape = {f["name"]: (f["type"]["kind"], f["type"]["ofType"]["name"])
                 for f in types[success]["fields"]}
        assert shape["position"] == ("NON_NULL", "String"), name
        assert shape["replayed"] == ("NON_NULL", "Boolean"), name
