"""Authorisation over real HTTP: every query and a mutation for each policy path, walked by every
kind of caller. Anonymous callers are turned away, another trust sees none of this one's record,
partners see exactly what is shared with them (a summary without its detail), auditors write
nothing, and a refused mutation stores nothing.

The query tests come first in this module: the mutation tests add innovations to the same
organisations, and the query tests assert exactly what each caller sees."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance import DecisionOutcome, Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    FundingSource,
    PrototypeOutcome,
    SharingScope,
)
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

ANONYMOUS = "anonymous"
A_ROLES = ("staff_a", "lead_a", "board_a", "auditor_a")
PARTNER_FULL, PARTNER_SUMMARY, OUTSIDER = "partner_full", "partner_summary", "staff_b"
ROLES = (ANONYMOUS, *A_ROLES, PARTNER_FULL, PARTNER_SUMMARY, OUTSIDER)
STARTED = date(2025, 1, 6)


@dataclass
class World:
    a: Actor  # A's admin
    b: Actor  # B's admin
    p1: Actor  # admin of the partner A shares one innovation with in FULL
    p2: Actor  # admin of the partner A shares one innovation with as a SUMMARY
    recipient: Actor  # admin of an organisation the share mutations share with
    author: Actor  # A's staff member who submits the ideas others act on
    lead: Actor
    team_governor: Actor
    actors: dict[str, Actor]
    submitted: UUID
    concept: UUID  # shared with P2 as a SUMMARY
    prototyping: UUID
    adopted: UUID  # shared with P1 in FULL; decided, funded and measured
    b_own: UUID
    measure: UUID
    decision: UUID
    problems: dict[UUID, str] = field(default_factory=dict)
    at: str = ""

    @property
    def a_innovations(self) -> set[UUID]:
        return {self.submitted, self.concept, self.prototyping, self.adopted}

    def actor(self, role: str) -> Actor | None:
        return None if role == ANONYMOUS else self.actors[role]


def post(live: LiveServer, actor: Actor | None, query: str, **variables: Any) -> dict[str, Any]:
    headers = {} if actor is None else {"Authorization": f"Bearer {live.token(actor)}"}
    body: dict[str, Any] = httpx.post(f"{live.url}/graphql", headers=headers, timeout=30,
                                      json={"query": query, "variables": variables}).json()
    return body


def data_of(live: LiveServer, actor: Actor | None, query: str, **variables: Any) -> dict[str, Any]:
    body = post(live, actor, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def assert_unauthenticated(body: dict[str, Any]) -> None:
    """Refused outright: every error is UNAUTHENTICATED and no field answers."""
    assert body["errors"], body
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}, body
    assert body.get("data") is None or set(body["data"].values()) == {None}, body


# -- the record: two trusts and two partners ------------------------------------------------------
def ideas(app: LifecycleApplication, author: Actor, title: str) -> UUID:
    return app.execute(c.SubmitIdea(title=title, problem=f"problem of {title}",
                                    proposal="a proposal"), CommandContext(author)).aggregate_id


def evaluated(app: LifecycleApplication, author: Actor, lead: Actor, cost: Decimal,
              risk: Risk) -> UUID:
    """An innovation evaluated at ``cost`` and ``risk``, awaiting its adoption decision."""
    ctx = CommandContext(lead)
    ident = ideas(app, author, f"Evaluated {uuid4().hex[:6]}")
    app.execute(c.AcceptIdea(ident, reason="promising"), ctx)
    proto = app.execute(c.StartPrototype(ident, "Pilot", "Fewer bed days", "Ten patients",
                                         STARTED), ctx).created_id
    app.execute(c.CompletePrototype(ident, proto, PrototypeOutcome.SUCCEEDED, "Worked",
                                    "Needs a nurse", STARTED), ctx)
    app.execute(c.RecordEvaluation(ident, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "audit", "adopt", cost, risk,
                                   STARTED), ctx)
    return ident


def share(app: LifecycleApplication, world: World, ident: UUID) -> None:
    """Share as the roles expect: in FULL with P1, as a SUMMARY with P2."""
    ctx = CommandContext(world.lead)
    app.execute(c.ShareInnovation(ident, world.p1.organisation, SharingScope.FULL), ctx)
    app.execute(c.ShareInnovation(ident, world.p2.organisation, SharingScope.SUMMARY), ctx)


def wait_for_board(live: LiveServer, world: World) -> None:
    """The board's read models take no ``consistentWith``: wait until they hold the record."""
    query = """{ decisions(first: 50) { edges { node { decisionId } } }
                 funding { awards } culture { byStaffGroup { ideas } } }"""
    deadline = time.monotonic() + 30
    while True:
        a = data_of(live, world.actors["board_a"], query)
        b = data_of(live, world.actors[OUTSIDER], query)
        if ([e["node"]["decisionId"] for e in a["decisions"]["edges"]] == [str(world.decision)]
                and a["funding"]["awards"] == 1
                and sum(g["ideas"] for g in a["culture"]["byStaffGroup"]) == 4
                and sum(g["ideas"] for g in b["culture"]["byStaffGroup"]) == 1):
            return
        assert time.monotonic() < deadline, (a, b)
        time.sleep(0.05)


@pytest.fixture(scope="module")
def world(app: LifecycleApplication, live: LiveServer) -> World:
    a = new_organisation(app, "Powys Teaching Health Board", ("Brecon", "Llandrindod"))
    b = new_organisation(app, "Aneurin Bevan Authorisation", ("Nevill Hall",))
    p1 = new_organisation(app, "Aberystwyth University", ())
    p2 = new_organisation(app, "MedTech Wales Ltd", ())
    recipient = new_organisation(app, "Life Sciences Hub Wales", ())
    author, lead = member(a, Role.STAFF), member(a, Role.INNOVATION_LEAD)
    team_governor = member(a, Role.GOVERNANCE_TEAM)
    actors = {"staff_a": member(a, Role.STAFF), "lead_a": lead,
              "board_a": member(a, Role.GOVERNANCE_BOARD), "auditor_a": member(a, Role.AUDITOR),
              PARTNER_FULL: member(p1, Role.PARTNER), PARTNER_SUMMARY: member(p2, Role.PARTNER),
              OUTSIDER: member(b, Role.STAFF)}
    ctx = CommandContext(lead)

    submitted = ideas(app, author, "Falls sensors")
    concept = ideas(app, author, "Discharge lounge")
    app.execute(c.AcceptIdea(concept, reason="fits"), ctx)
    app.execute(c.ShareInnovation(concept, p2.organisation, SharingScope.SUMMARY), ctx)
    prototyping = ideas(app, author, "Virtual fracture clinic")
    app.execute(c.AcceptIdea(prototyping, reason="fits"), ctx)
    app.execute(c.StartPrototype(prototyping, "PDSA 1", "h", "p", STARTED), ctx)
    adopted = evaluated(app, author, lead, Decimal("4000"), Risk.LOW)
    decision = app.execute(c.DecideAdoption(adopted, DecisionOutcome.ADOPT, Authority.TEAM,
                                            "cheap and safe"),
                           CommandContext(team_governor)).created_id
    app.execute(c.RecordFunding(adopted, FundingSource.CHARITY, "Health Foundation",
                                Decimal("12500.50"), STARTED), ctx)
    measure = app.execute(c.DefineMeasure(adopted, name="Bed days", unit="days",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          ctx).aggregate_id
    app.execute(c.RecordObservations(measure, (c.ObservationInput(STARTED, value=4.0),)), ctx)
    app.execute(c.ShareInnovation(adopted, p1.organisation, SharingScope.FULL), ctx)
    b_own = ideas(app, member(b, Role.STAFF), "Nevill Hall parking")

    world = World(a, b, p1, p2, recipient, author, lead, team_governor, actors, submitted,
                  concept, prototyping, adopted, b_own, measure, decision)
    for ident in (submitted, concept, prototyping, adopted, b_own):
        world.problems[ident] = app.repository.get(ident).problem
    world.at = positions.encode(app.store.epoch(), app.store.head())
    wait_for_board(live, world)
    return world


def visible_innovations(world: World, role: str) -> dict[UUID, str | None]:
    """What each role may see: each innovation with its problem (None: a summary)."""
    if role in A_ROLES:
        return {i: world.problems[i] for i in world.a_innovations}
    if role == PARTNER_FULL:
        return {world.adopted: world.problems[world.adopted]}
    if role == PARTNER_SUMMARY:
        return {world.concept: None}
    return {world.b_own: world.problems[world.b_own]}


# -- 1. every query, for every role ---------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_innovation_by_id_answers_only_what_the_role_may_see(
        live: LiveServer, world: World, role: str) -> None:
    every = sorted(world.a_innovations | {world.b_own}, key=str)
    fields = "\n".join(f'i{n}: innovation(id: "{ident}", consistentWith: $at) '
                       "{ id organisationId problem proposal }" for n, ident in enumerate(every))
    query = f"query($at: String) {{ {fields} }}"
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query, at=world.at))
        return
    data = data_of(live, world.actor(role), query, at=world.at)
    expected = visible_innovations(world, role)
    for n, ident in enumerate(every):
        got = data[f"i{n}"]
        if ident not in expected:
            assert got is None, (role, ident, got)
            continue
        assert (UUID(got["id"]), got["problem"]) == (ident, expected[ident])
        assert (got["proposal"] is None) is (expected[ident] is None)


@pytest.mark.parametrize("role", ROLES)
def test_innovations_list_holds_exactly_the_roles_visible_innovations(
        live: LiveServer, world: World, role: str) -> None:
    query = """query($at: String) { innovations(first: 50, consistentWith: $at) {
        edges { node { id organisationId problem } } } }"""
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query, at=world.at))
        return
    nodes = [e["node"] for e in
             data_of(live, world.actor(role), query, at=world.at)["innovations"]["edges"]]
    assert {UUID(n["id"]): n["problem"] for n in nodes} == visible_innovations(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_measure_by_id_is_null_unless_its_innovation_is_visible(
        live: LiveServer, world: World, role: str) -> None:
    query = """query($id: ID!, $at: String) { measure(id: $id, consistentWith: $at) {
        id innovationId organisationId observationCount } }"""
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query, id=str(world.measure), at=world.at))
        return
    got = data_of(live, world.actor(role), query, id=str(world.measure), at=world.at)["measure"]
    if role in A_ROLES or role == PARTNER_FULL:  # the measured innovation is shared with P1
        assert (got["id"], got["observationCount"]) == (str(world.measure), 1)
    else:
        assert got is None


@pytest.mark.parametrize("role", ROLES)
def test_measures_of_an_innovation_are_empty_unless_it_is_visible(
        live: LiveServer, world: World, role: str) -> None:
    query = """query($innovation: ID!, $at: String) {
        measures(innovationId: $innovation, consistentWith: $at) { id } }"""
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query, innovation=str(world.adopted),
                                    at=world.at))
        return
    got = data_of(live, world.actor(role), query, innovation=str(world.adopted),
                  at=world.at)["measures"]
    expected = [str(world.measure)] if role in A_ROLES or role == PARTNER_FULL else []
    assert [m["id"] for m in got] == expected


@pytest.mark.parametrize("role", ROLES)
def test_pipeline_counts_only_the_callers_own_innovations(
        live: LiveServer, world: World, role: str) -> None:
    query = "{ pipeline { stages { stage count } conversions { reached } } }"
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query))
        return
    pipeline = data_of(live, world.actor(role), query)["pipeline"]
    counts = {s["stage"]: s["count"] for s in pipeline["stages"] if s["count"]}
    if role in A_ROLES:
        assert counts == {"SUBMITTED": 1, "CONCEPT": 1, "PROTOTYPING": 1, "ADOPTED": 1}
    elif role == OUTSIDER:
        assert counts == {"SUBMITTED": 1}  # B's own idea, none of A's
    else:
        assert counts == {}
        assert all(c["reached"] == 0 for c in pipeline["conversions"])


@pytest.mark.parametrize("role", ROLES)
def test_culture_counts_only_the_callers_own_ideas(
        live: LiveServer, world: World, role: str) -> None:
    query = "{ culture { byStaffGroup { staffGroup ideas } triaged awaitingTriage } }"
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query))
        return
    culture = data_of(live, world.actor(role), query)["culture"]
    ideas_counted = sum(g["ideas"] for g in culture["byStaffGroup"])
    expected = {**dict.fromkeys(A_ROLES, (4, 3, 1)), OUTSIDER: (1, 0, 1)}.get(role, (0, 0, 0))
    assert (ideas_counted, culture["triaged"], culture["awaitingTriage"]) == expected


@pytest.mark.parametrize("role", ROLES)
def test_funding_is_seen_only_by_the_funded_organisation(
        live: LiveServer, world: World, role: str) -> None:
    query = "{ funding { amount awards bySource { key amount } } }"
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query))
        return
    funding = data_of(live, world.actor(role), query)["funding"]
    if role in A_ROLES:
        assert (Decimal(funding["amount"]), funding["awards"]) == (Decimal("12500.50"), 1)
        assert [s["key"] for s in funding["bySource"]] == ["CHARITY"]
    else:
        assert (Decimal(funding["amount"]), funding["awards"], funding["bySource"]) == (
            Decimal(0), 0, [])


@pytest.mark.parametrize("role", ROLES)
def test_decisions_register_is_seen_only_by_the_deciding_organisation(
        live: LiveServer, world: World, role: str) -> None:
    query = """{ decisions(first: 50) { edges { node { decisionId innovationId rationale } } }
                 escalated: decisions(escalated: false) { edges { node { decisionId } } } }"""
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query))
        return
    data = data_of(live, world.actor(role), query)
    expected = [str(world.decision)] if role in A_ROLES else []
    assert [e["node"]["decisionId"] for e in data["decisions"]["edges"]] == expected
    assert [e["node"]["decisionId"] for e in data["escalated"]["edges"]] == expected


@pytest.mark.parametrize("role", ROLES)
def test_governance_summary_counts_only_the_callers_own_decisions(
        live: LiveServer, world: World, role: str) -> None:
    query = "{ governance { authority decided escalated required } }"
    if role == ANONYMOUS:
        assert_unauthenticated(post(live, None, query))
        return
    levels = {g["authority"]: (g["decided"], g["required"])
              for g in data_of(live, world.actor(role), query)["governance"]}
    nothing = dict.fromkeys(("TEAM", "DIRECTORATE", "EXECUTIVE", "BOARD"), (0, 0))
    assert levels == ({**nothing, "TEAM": (1, 1)} if role in A_ROLES else nothing)


@pytest.mark.parametrize("role", ROLES)
def test_me_is_the_token_holder_and_no_one_else(
        live: LiveServer, world: World, role: str) -> None:
    query = "{ me { subject organisationId roles } }"
    actor = world.actor(role)
    if actor is None:
        assert_unauthenticated(post(live, None, query))
        return
    me = data_of(live, actor, query)["me"]
    assert (me["subject"], UUID(me["organisationId"]), me["roles"]) == (
        actor.subject, actor.organisation, sorted(actor.roles))


# -- 2. a mutation for each policy path, for every role -------------------------------------------
PAYLOAD = """__typename ... on UserError { code message } ... on NotFoundError { kind ident }"""

Build = Callable[[LifecycleApplication, World, Actor | None], dict[str, Any]]


def new_idea(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    return {"title": "Ward huddle board", "problem": "Handovers miss risks",
            "proposal": "A shared board"}


def submitted_shared(app: LifecycleApplication, world: World,
                     actor: Actor | None) -> dict[str, Any]:
    ident = ideas(app, world.author, f"Shared idea {uuid4().hex[:6]}")
    share(app, world, ident)
    return {"innovationId": str(ident)}


def to_accept(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    return {**submitted_shared(app, world, actor), "reason": "fits the programme"}


def to_share(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    return {**submitted_shared(app, world, actor),
            "organisationId": str(world.recipient.organisation), "scope": "FULL"}


def to_decide(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    # £48,000 at medium risk needs the directorate: a board member holds more than enough.
    ident = evaluated(app, world.author, world.lead, Decimal("48000"), Risk.MEDIUM)
    share(app, world, ident)
    return {"innovationId": str(ident), "outcome": "ADOPT", "authority": "DIRECTORATE",
            "rationale": "frees beds"}


def to_adopt(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    ident = evaluated(app, world.author, world.lead, Decimal("4000"), Risk.LOW)
    app.execute(c.DecideAdoption(ident, DecisionOutcome.ADOPT, Authority.TEAM, "cheap"),
                CommandContext(world.team_governor))
    share(app, world, ident)
    adopter = actor.organisation if actor else world.a.organisation  # each for its own
    return {"innovationId": str(ident), "organisationId": str(adopter),
            "adaptation": "as piloted", "startedOn": "2025-05-01"}


def to_observe(app: LifecycleApplication, world: World, actor: Actor | None) -> dict[str, Any]:
    ident = evaluated(app, world.author, world.lead, Decimal("4000"), Risk.LOW)
    share(app, world, ident)
    measure = app.execute(c.DefineMeasure(ident, name="Falls", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          CommandContext(world.lead)).aggregate_id
    return {"measureId": str(measure), "observations": [{"on": "2025-02-03", "value": 3.0}]}


def new_organisation_input(app: LifecycleApplication, world: World,
                           actor: Actor | None) -> dict[str, Any]:
    return {"name": f"Shadow trust {uuid4().hex[:6]}", "kind": "TRUST"}


FORBIDDEN, NOT_FOUND = "ForbiddenError", "NotFoundError"


def outcomes(allowed: str, *, staff_a: str = FORBIDDEN, board_a: str = FORBIDDEN,
             lead_a: str | None = None, partner_full: str = FORBIDDEN,
             partner_summary: str = FORBIDDEN, staff_b: str = NOT_FOUND) -> dict[str, str]:
    """Each role's answer; the auditor is always refused."""
    return {"staff_a": staff_a, "lead_a": lead_a or allowed, "board_a": board_a,
            "auditor_a": FORBIDDEN, PARTNER_FULL: partner_full,
            PARTNER_SUMMARY: partner_summary, OUTSIDER: staff_b}


MUTATIONS: dict[str, tuple[Build, dict[str, str]]] = {
    # any contributor of their own organisation; partners are not contributors
    "submitIdea": (new_idea, outcomes("IdeaSubmitted", staff_a="IdeaSubmitted",
                                      board_a="IdeaSubmitted", staff_b="IdeaSubmitted")),
    # the owner's contributors only
    "endorseIdea": (submitted_shared, outcomes("IdeaEndorsed", staff_a="IdeaEndorsed",
                                               board_a="IdeaEndorsed")),
    # lead-only, on the owner's side
    "acceptIdea": (to_accept, outcomes("IdeaAccepted")),
    "shareInnovation": (to_share, outcomes("InnovationShared")),
    # the owner's governance, at no more than the authority it holds
    "decideAdoption": (to_decide, outcomes("AdoptionDecided", lead_a=FORBIDDEN,
                                           board_a="AdoptionDecided")),
    # the owner's leads, or a partner for its own organisation
    "startAdoption": (to_adopt, outcomes("AdoptionStarted", partner_full="AdoptionStarted")),
    # the measuring organisation's leads (or partners) only; another's measure is not found
    "recordObservations": (to_observe, outcomes("ObservationsRecorded",
                                                partner_full=FORBIDDEN,
                                                partner_summary=NOT_FOUND)),
    # admins only
    "registerOrganisation": (new_organisation_input, outcomes(FORBIDDEN, staff_b=FORBIDDEN)),
}


def mutation(name: str) -> str:
    return (f"mutation Do($input: {name[0].upper()}{name[1:]}Input!) {{\n"
            f"  {name}(input: $input) {{ {PAYLOAD} }} }}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_allowed_only_by_the_policy_and_a_refusal_stores_nothing(
        live: LiveServer, app: LifecycleApplication, world: World, name: str,
        role: str) -> None:
    build, expected = MUTATIONS[name]
    actor = world.actor(role)
    input = build(app, world, actor)
    head = app.store.head()
    body = post(live, actor, mutation(name), input=input)
    if actor is None:
        assert_unauthenticated(body)
        assert app.store.head() == head
        return
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload["__typename"] == expected[role], payload
    if payload["__typename"] in (FORBIDDEN, NOT_FOUND):
        assert app.store.head() == head
    else:
        assert app.store.head() > head
    if payload["__typename"] == NOT_FOUND:  # names only what the caller asked about
        kind, ident = ("measure", input["measureId"]) if "measureId" in input else (
            "innovation", input["innovationId"])
        assert (payload["kind"], payload["ident"]) == (kind, ident)


def test_another_trust_cannot_tell_a_hidden_innovation_from_a_missing_one(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    hidden, missing = world.submitted, uuid4()
    head = app.store.head()
    answers = [post(live, world.actors[OUTSIDER], mutation("acceptIdea"),
                    input={"innovationId": str(ident), "reason": "mine now"})
               ["data"]["acceptIdea"] for ident in (hidden, missing)]
    assert app.store.head() == head
    assert [a["__typename"] for a in answers] == [NOT_FOUND, NOT_FOUND]
    assert [a["message"].replace(str(i), "<id>")
            for a, i in zip(answers, (hidden, missing), strict=True)] == \
        ["innovation <id> does not exist"] * 2


def test_governance_may_not_decide_above_its_own_authority_nor_below_the_required_one(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    decision = to_decide(app, world, None)  # needs the directorate
    head = app.store.head()
    above = post(live, world.team_governor, mutation("decideAdoption"), input=decision)
    assert above["data"]["decideAdoption"]["__typename"] == FORBIDDEN
    below = post(live, world.team_governor, mutation("decideAdoption"),
                 input={**decision, "authority": "TEAM"})
    assert below["data"]["decideAdoption"]["__typename"] == "InsufficientAuthorityError"
    assert app.store.head() == head
    enough = post(live, member(world.a, Role.GOVERNANCE_DIRECTORATE), mutation("decideAdoption"),
                  input=decision)
    assert enough["data"]["decideAdoption"]["__typename"] == "AdoptionDecided"
