"""Authorisation over real HTTP, mutations: every mutation of the schema, asked by a caller of every
standing towards an innovation (its own organisation, that organisation's auditor, a partner it is
shared with in FULL, an adopter it is shared with in FULL, a partner it is shared with as a SUMMARY,
one whose share was revoked, one it was never shared with and that one's auditor, anonymous). Where
the target does not exist for the caller, its answer is compared with the answer for an id never
used: same shape, same error, nothing stored. The matrix is read from the schema itself, so a
mutation without an entry fails here.

Each of the matrix's modules (test_authorisation_queries.py, _mutations.py, _replays.py) runs on
a world of its own (``standings_world`` of tests/e2e/authorisation.py, registered as the module's
``world`` fixture), built by tests/e2e/standings.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull

from lifecycle import commands as c
from lifecycle.application import LifecycleApplication
from tests.e2e.authorisation import DETAIL, SCHEMA, mutation, send, standings_world, success_of
from tests.e2e.standings import (
    ADOPTER,
    ANONYMOUS,
    CLOSES,
    DAY,
    FULL,
    HIDDEN,
    NONE,
    OWN,
    STANDINGS,
    SUMMARY,
    World,
    assert_unauthenticated,
    post,
)

# -- 2. mutations -------------------------------------------------------------------------------
Build = Callable[[World, str], dict[str, Any]]

world = pytest.fixture(scope="module")(standings_world)


@dataclass(frozen=True)
class Case:
    """A mutation in the matrix: the input for a caller of each standing, who acts for the
    owning trust (a role name of ``World.people``), the input field naming its target (None: it
    creates one), and who besides the owning trust succeeds. Every other standing is refused:
    ``ForbiddenError`` where the target exists for it, else what an id never used gets."""

    build: Build
    own: str
    target: str | None = "innovationId"
    allowed: frozenset[str] = frozenset()
    hidden: frozenset[str] = HIDDEN
    visible_target: bool = False  # a public target (an organisation): never hidden
    per_standing: bool = False  # the input depends on the caller's standing

    def expected(self, standing: str) -> str:
        if standing == OWN or standing in self.allowed:
            return "success"
        if standing in self.hidden and self.target is not None and not self.visible_target:
            return "hidden"
        return "ForbiddenError"


def on(build: Callable[[World], UUID], **fields: Any) -> Build:
    return lambda w, _: {"innovationId": str(build(w)), **fields}


REASON = {"reason": "it fits the strategy"}


def _prototype(w: World, _: str) -> dict[str, Any]:
    ident, proto = w.prototyping()
    return {"innovationId": str(ident), "prototypeId": str(proto), "outcome": "SUCCEEDED",
            "result": "worked", "learning": "needs a nurse", "completedOn": DAY.isoformat()}


def _adoption(w: World, standing: str) -> dict[str, Any]:
    ident, adoption = w.adoption_for(standing)
    return {"innovationId": str(ident), "adoptionId": str(adoption), **REASON}


def _merge(w: World, _: str) -> dict[str, Any]:
    return {"innovationId": str(w.submitted()), "intoId": str(w.submitted()), **REASON}


def _revoke(w: World, _: str) -> dict[str, Any]:
    ident = w.submitted()
    w.run(c.ShareInnovation(ident, w.organisation("recipient")), w.people["lead"])
    return {"innovationId": str(ident), "organisationId": str(w.organisation("recipient")),
            **REASON}


def _adopt(w: World, standing: str) -> dict[str, Any]:
    adopter = w.organisation(standing if standing != ANONYMOUS else OWN)
    return {"innovationId": str(w.adopted()), "organisationId": str(adopter),
            "adaptation": "as piloted", "startedOn": DAY.isoformat()}


def _challenge(w: World, _: str) -> dict[str, Any]:
    challenge = w.run(c.OpenChallenge("Fewer falls", "Falls at night", DAY,
                                      CLOSES), w.people["lead"])
    return {"challengeId": str(challenge.aggregate_id), **REASON}


THRESHOLDS = {"teamMaxCost": "5000", "teamMaxRisk": "LOW", "directorateMaxCost": "50000",
              "directorateMaxRisk": "MEDIUM", "executiveMaxCost": "500000",
              "executiveMaxRisk": "HIGH"}

MUTATIONS: dict[str, Case] = {
    "reviseIdea": Case(on(World.submitted, title="Ward huddle board", problem="Handovers",
                          proposal="A board", tags=[]), own="author"),
    "endorseIdea": Case(on(World.submitted), own="staff"),
    "commentOnIdea": Case(on(World.submitted, text="We tried this on ward 3"), own="staff"),
    "acceptIdea": Case(on(World.submitted, **REASON), own="lead"),
    "requestInformation": Case(on(World.submitted, **REASON), own="lead"),
    "mergeIdea": Case(_merge, own="lead"),
    "declineIdea": Case(on(World.submitted, **REASON), own="lead"),
    "assignOwner": Case(on(World.submitted, owner="person-owner", team=[]), own="lead"),
    "recordInvolvement": Case(on(World.submitted, kind="STAKEHOLDER", group="Carers",
                                 description="A workshop", involvedOn=DAY.isoformat()),
                              own="lead"),
    "startPrototype": Case(on(World.concept, title="PDSA 2", hypothesis="h", plan="p",
                              startedOn=DAY.isoformat()), own="lead"),
    "completePrototype": Case(_prototype, own="lead"),
    "recordEvaluation": Case(on(World.tested, method="SERVICE_EVALUATION",
                                scores=[{"criterion": "SAFETY", "score": 4}], evidence="audit",
                                recommendation="adopt", estimatedCost="4000", risk="LOW",
                                evaluatedOn=DAY.isoformat()), own="lead"),
    "recordFunding": Case(on(World.submitted, source="CHARITY", funder="Health Foundation",
                             amount="1000", startsOn=DAY.isoformat()), own="lead"),
    "decideAdoption": Case(on(World.evaluated, outcome="ADOPT", authority="TEAM",
                              rationale="cheap and safe", evidence=[]), own="team_governor"),
    "shareInnovation": Case(lambda w, _: {"innovationId": str(w.submitted()), "scope": "FULL",
                                          "organisationId": str(w.organisation("recipient"))},
                            own="lead"),
    "revokeSharing": Case(_revoke, own="lead"),
    # a partner adopts for itself where the owner shared the innovation with it in full
    "startAdoption": Case(_adopt, own="lead", allowed=frozenset({FULL, ADOPTER}),
                          per_standing=True),
    # its own adoption, whatever the share is now
    "sustainAdoption": Case(lambda w, s: {**_adoption(w, s), "sustainedOn": "2025-06-01"},
                            own="lead", allowed=frozenset({FULL, ADOPTER, SUMMARY}),
                            per_standing=True),
    "abandonAdoption": Case(lambda w, s: {**_adoption(w, s), "abandonedOn": "2025-06-01"},
                            own="lead", allowed=frozenset({FULL, ADOPTER, SUMMARY}),
                            per_standing=True),
    "embedInnovation": Case(on(World.adopted, **REASON), own="lead"),
    "parkInnovation": Case(on(World.submitted, **REASON), own="lead"),
    "reopenInnovation": Case(on(World.parked, **REASON), own="lead"),
    "closeInnovation": Case(on(World.submitted, learning="kept", **REASON), own="lead"),
    "submitIdea": Case(lambda w, _: {"title": "Ward huddle board", "problem": "Handovers",
                                     "proposal": "A shared board"},
                       own="staff", target=None, allowed=frozenset({NONE})),
    "registerOrganisation": Case(lambda w, _: {"name": f"Shadow trust {uuid4().hex[:6]}",
                                               "kind": "TRUST"}, own="platform", target=None),
    # the person registry is the platform's: only its administrator erases anyone
    "erasePerson": Case(lambda w, _: {"subject": w.app.people.register("Matrix Person").subject},
                        own="platform", target=None),
    "addSite": Case(lambda w, _: {"organisationId": str(w.organisation(OWN)),
                                  "site": f"Site {uuid4().hex[:6]}"},
                    own="admin", target="organisationId", visible_target=True),
    "changeThresholds": Case(lambda w, _: {"organisationId": str(w.organisation(OWN)),
                                           "thresholds": THRESHOLDS, **REASON},
                             own="admin", target="organisationId", visible_target=True),
    "openChallenge": Case(lambda w, _: {"title": "Fewer falls", "problem": "Falls at night",
                                        "opensOn": "2025-01-01", "closesOn": CLOSES.isoformat()},
                          own="lead", target=None, allowed=frozenset({NONE})),
    # a challenge is its organisation's own: it exists for no one else
    "closeChallenge": Case(_challenge, own="lead", target="challengeId",
                           hidden=HIDDEN | {FULL, ADOPTER, SUMMARY}),
    "defineMeasure": Case(on(World.adopted, name="Falls", unit="falls", better="LOWER",
                             chart="XMR"), own="lead", allowed=frozenset({FULL, ADOPTER})),
    # the owner's measure: seen (not recorded) by a FULL share; no one else's
    "recordObservations": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                             "observations": [{"on": "2025-02-03",
                                                               "value": 2.0}]},
                               own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "startPhase": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                     "startsOn": "2025-02-03", "description": "go-live",
                                     **REASON}, own="lead", target="measureId",
                       hidden=HIDDEN | {SUMMARY}),
    "correctObservation": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                             "observation": {"on": DAY.isoformat(),
                                                             "value": 4.0}, **REASON},
                               own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "withdrawObservation": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                              "on": DAY.isoformat(), **REASON},
                                own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
    "setMeasureTarget": Case(lambda w, _: {"measureId": str(w.owners_measure()),
                                           "target": 2.0, **REASON},
                             own="lead", target="measureId", hidden=HIDDEN | {SUMMARY}),
}


def takes_version(name: str) -> bool:
    assert SCHEMA.mutation_type is not None
    argument = SCHEMA.mutation_type.fields[name].args["input"].type
    assert isinstance(argument, GraphQLNonNull)
    input_type = argument.of_type
    assert isinstance(input_type, GraphQLInputObjectType)
    return "expectedVersion" in input_type.fields


# An organisation's own webhook endpoints, which no other organisation's standing reaches:
# tests/e2e/partners/test_webhooks.py checks their roles and hidden ids.
WEBHOOK_MUTATIONS = {"registerWebhookEndpoint", "rotateWebhookSecret", "resumeWebhookEndpoint"}


def test_every_mutation_of_the_schema_is_in_the_matrix() -> None:
    assert SCHEMA.mutation_type is not None
    assert set(SCHEMA.mutation_type.fields) == set(MUTATIONS) | WEBHOOK_MUTATIONS


_REFUSED: dict[tuple[str, str], dict[str, Any]] = {}


def refused_input(world: World, name: str, standing: str) -> dict[str, Any]:
    """The input for a caller that will be refused: a refusal stores nothing, so its target
    serves every such caller (built once), unless the input depends on the standing."""
    case = MUTATIONS[name]
    key = (name, standing if case.per_standing else "")
    if key not in _REFUSED:
        _REFUSED[key] = case.build(world, standing)
    return _REFUSED[key]


@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_answers_each_standing_by_the_policy_and_a_hidden_target_as_a_missing_one(
        world: World, app: LifecycleApplication, name: str, standing: str) -> None:
    case = MUTATIONS[name]
    expected = case.expected(standing)
    input = refused_input(world, name, standing) if expected != "success" \
        else case.build(world, standing)
    if standing == ANONYMOUS:
        head = app.store.head()
        assert_unauthenticated(post(world.live, None, mutation(name), input=input))
        assert app.store.head() == head
        return
    actor = world.people[case.own] if standing == OWN else world.callers[standing]
    sent = send(world, app, actor, name, input)
    if expected == "success":
        assert (sent.payload["__typename"], sent.stored) == (success_of(name), True), sent
        innovation = sent.payload.get("innovation")
        if innovation is not None:  # the payload shows what the caller's scope shows
            assert (innovation["problem"] is not None) is (standing in DETAIL | {NONE}), sent
        return
    if expected == "ForbiddenError":
        assert (sent.payload["__typename"], sent.stored) == ("ForbiddenError", False), sent
        return
    # Hidden: exactly what an id never used gets, expected version or not (a version check
    # must not confirm that the target exists), and nothing stored.
    assert case.target is not None
    versions = [{}, {"expectedVersion": 99}] if takes_version(name) else [{}]
    for version in versions:
        missing = str(uuid4())
        hidden = send(world, app, actor, name, {**input, **version})
        random = send(world, app, actor, name, {**input, case.target: missing, **version})
        assert not hidden.stored
        assert not random.stored
        assert hidden.payload["__typename"] == "NotFoundError", hidden
        asked = input[case.target]
        assert hidden.payload == {**random.payload, "ident": asked,
                                  "message": random.payload["message"].replace(missing, asked)}


@pytest.mark.parametrize("name", ["sustainAdoption", "abandonAdoption"])
def test_an_adoption_a_caller_may_not_see_answers_as_a_missing_one(
        world: World, app: LifecycleApplication, name: str) -> None:
    """A summary shows counts only: another organisation's adoption (whose id a caller could
    guess) does not exist for a SUMMARY partner."""
    ident, adoption = world.adoption_for(FULL)
    day = {"sustainAdoption": "sustainedOn", "abandonAdoption": "abandonedOn"}[name]
    input = {"innovationId": str(ident), "adoptionId": str(adoption), day: "2025-06-01",
             **REASON}
    missing = str(uuid4())

    hidden = send(world, app, world.callers[SUMMARY], name, input)
    random = send(world, app, world.callers[SUMMARY], name, {**input, "adoptionId": missing})

    assert not hidden.stored
    assert hidden.payload["__typename"] == "NotFoundError", hidden
    assert hidden.payload == {**random.payload, "ident": str(adoption),
                              "message": random.payload["message"].replace(missing,
                                                                           str(adoption))}
