"""Read-your-writes on every query, over real HTTP: each query of the schema takes
``consistentWith``, and asked with the position a mutation's payload returned, it answers with
that write in it, at once (no retry, no sleep). A cursor that is malformed or from another
database is a typed refusal; an anonymous caller is refused before the cursor is looked at."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import pytest
from graphql import build_schema

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from schema import positions
from schema.root import build
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer

SCHEMA = build_schema(build().as_str())


@dataclass
class Trust:
    admin: Actor
    staff: Actor
    lead: Actor
    governor: Actor
    erasable: str  # a registered person's id, for erasePerson


@pytest.fixture(scope="module")
def trust(app: LifecycleApplication) -> Trust:
    admin = new_organisation(app, f"Read-your-writes trust {uuid4().hex[:6]}", ("Morriston",))
    return Trust(admin, member(admin, Role.STAFF), member(admin, Role.INNOVATION_LEAD),
                 member(admin, Role.GOVERNANCE_TEAM), app.people.register("Erin Erased").subject)


def graphql(live: LiveServer, actor: Actor | None, query: str, **variables: Any
            ) -> dict[str, Any]:
    headers = {} if actor is None else {"Authorization": f"Bearer {live.token(actor)}"}
    body: dict[str, Any] = httpx.post(f"{live.url}/graphql", headers=headers, timeout=30,
                                      json={"query": query, "variables": variables}).json()
    return body


def data(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body = graphql(live, actor, query, **variables)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


def write(live: LiveServer, actor: Actor, name: str, success: str, fields: str, /,
          **input: Any) -> dict[str, Any]:
    """Carry out the mutation ``name``; its payload (``success``'s ``fields`` and position)."""
    document = (f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
                f"{{ __typename ... on {success} {{ position {fields} }} "
                "... on UserError { code message } } }")
    payload: dict[str, Any] = data(live, actor, document, input=input)[name]
    assert payload["__typename"] == success, payload
    return payload


def idea(live: LiveServer, trust: Trust, title: str = "Night-time falls huddle"
         ) -> dict[str, Any]:
    return write(live, trust.staff, "submitIdea", "IdeaSubmitted", "innovation { id }",
                 title=title, problem="Falls at night", proposal="A huddle at 10pm",
                 staffGroup="nursing_and_midwifery")


def decided(live: LiveServer, trust: Trust) -> dict[str, Any]:
    """An idea taken to an adoption decision through the API; the decision's payload."""
    ident = idea(live, trust)["innovation"]["id"]
    on = {"innovationId": ident}
    write(live, trust.lead, "acceptIdea", "IdeaAccepted", "", reason="fits", **on)
    proto = write(live, trust.lead, "startPrototype", "PrototypeStarted", "prototypeId",
                  title="PDSA 1", hypothesis="fewer falls", plan="two wards",
                  startedOn="2025-01-06", **on)["prototypeId"]
    write(live, trust.lead, "completePrototype", "PrototypeCompleted", "", prototypeId=proto,
          outcome="SUCCEEDED", result="fewer falls", learning="needs a lead nurse",
          completedOn="2025-02-03", **on)
    write(live, trust.lead, "recordEvaluation", "EvaluationRecorded", "",
          method="SERVICE_EVALUATION", scores=[{"criterion": "SAFETY", "score": 4}],
          evidence="audit", recommendation="adopt", estimatedCost="100", risk="LOW",
          evaluatedOn="2025-02-10", **on)
    payload = write(live, trust.governor, "decideAdoption", "AdoptionDecided",
                    "decisionId innovation { id }", outcome="ADOPT", authority="TEAM",
                    rationale="cheap and safe", **on)
    return payload


# Each query: a write through the API, then the query asked with the write's position, and
# what the answer must hold. Every query of the schema is here (checked below).
Check = Callable[[LiveServer, Trust], None]


def check_innovation(live: LiveServer, trust: Trust) -> None:
    written = idea(live, trust, "Innovation read at once")
    got = data(live, trust.staff, "query($id: ID!, $at: String) { innovation(id: $id, "
               "consistentWith: $at) { title } }", id=written["innovation"]["id"],
               at=written["position"])
    assert got == {"innovation": {"title": "Innovation read at once"}}


def check_innovations(live: LiveServer, trust: Trust) -> None:
    written = idea(live, trust, "Listed at once")
    got = data(live, trust.staff, "query($at: String) { innovations(first: 1, consistentWith: "
               "$at) { edges { node { id } } } }", at=written["position"])
    assert got["innovations"]["edges"][0]["node"]["id"] == written["innovation"]["id"]


def check_node(live: LiveServer, trust: Trust) -> None:
    written = idea(live, trust, "A node at once")
    got = data(live, trust.staff, "query($id: ID!, $at: String) { node(id: $id, consistentWith: "
               "$at) { id } }", id=written["innovation"]["id"], at=written["position"])
    assert got == {"node": {"id": written["innovation"]["id"]}}


def check_pipeline(live: LiveServer, trust: Trust) -> None:
    query = ("query($at: String) { pipeline(consistentWith: $at) { stages { stage count } } }")
    before = data(live, trust.staff, query)["pipeline"]["stages"]
    written = idea(live, trust)
    after = data(live, trust.staff, query, at=written["position"])["pipeline"]["stages"]
    count = {s["stage"]: s["count"] for s in before}
    assert {s["stage"]: s["count"] for s in after} == {**count,
                                                       "SUBMITTED": count["SUBMITTED"] + 1}


def check_culture(live: LiveServer, trust: Trust) -> None:
    query = "query($at: String) { culture(consistentWith: $at) { byStaffGroup { ideas } } }"

    def ideas(at: str | None = None) -> int:
        got = data(live, trust.staff, query, at=at)["culture"]["byStaffGroup"]
        return sum(g["ideas"] for g in got)

    before = ideas()
    assert ideas(idea(live, trust)["position"]) == before + 1


def check_funding(live: LiveServer, trust: Trust) -> None:
    query = "query($at: String) { funding(consistentWith: $at) { awards } }"
    before = data(live, trust.staff, query)["funding"]["awards"]
    written = write(live, trust.lead, "recordFunding", "FundingRecorded", "fundingId",
                    innovationId=idea(live, trust)["innovation"]["id"], source="CHARITY",
                    funder="Health Foundation", amount="2500", startsOn="2025-01-06")
    assert data(live, trust.staff, query, at=written["position"])["funding"]["awards"] == \
        before + 1


def check_decisions(live: LiveServer, trust: Trust) -> None:
    written = decided(live, trust)
    got = data(live, trust.staff, "query($at: String) { decisions(first: 1, consistentWith: "
               "$at) { edges { node { decisionId } } } }", at=written["position"])
    assert got["decisions"]["edges"][0]["node"]["decisionId"] == written["decisionId"]


def check_governance(live: LiveServer, trust: Trust) -> None:
    query = "query($at: String) { governance(consistentWith: $at) { authority decided } }"

    def team(at: str | None = None) -> int:
        got = data(live, trust.staff, query, at=at)["governance"]
        decided: int = next(g["decided"] for g in got if g["authority"] == "TEAM")
        return decided

    before = team()
    assert team(decided(live, trust)["position"]) == before + 1


def check_organisations(live: LiveServer, trust: Trust) -> None:
    name = f"Registered and listed {uuid4().hex[:6]}"
    written = write(live, ADMIN, "registerOrganisation", "OrganisationRegistered",
                    "organisation { id }", name=name, kind="CHARITY")
    got = data(live, trust.staff, "query($at: String) { organisations(consistentWith: $at) "
               "{ id name } }", at=written["position"])
    assert {"id": written["organisation"]["id"], "name": name} in got["organisations"]


def check_challenges(live: LiveServer, trust: Trust) -> None:
    written = write(live, trust.lead, "openChallenge", "ChallengeOpened", "challenge { id }",
                    title="Fewer night falls", problem="Falls at night",
                    opensOn="2025-01-06", closesOn="2026-01-06")
    got = data(live, trust.staff, "query($at: String) { challenges(consistentWith: $at) "
               "{ id } }", at=written["position"])
    assert {"id": written["challenge"]["id"]} in got["challenges"]


def check_me(live: LiveServer, trust: Trust) -> None:
    site = f"Singleton {uuid4().hex[:6]}"
    written = write(live, trust.admin, "addSite", "SiteAdded", "organisation { id }",
                    organisationId=str(trust.admin.organisation), site=site)
    got = data(live, trust.staff, "query($at: String) { me(consistentWith: $at) "
               "{ organisation { sites } } }", at=written["position"])
    assert site in got["me"]["organisation"]["sites"]


def check_spread(live: LiveServer, trust: Trust) -> None:
    ident = decided(live, trust)["innovation"]["id"]
    written = write(live, trust.lead, "startAdoption", "AdoptionStarted", "adoptionId",
                    innovationId=ident, organisationId=str(trust.admin.organisation),
                    adaptation="nights only", startedOn="2025-03-03")
    got = data(live, trust.staff, "query($id: ID!, $at: String) { spread(innovationId: $id, "
               "consistentWith: $at) { adoptions { adoptionId } } }", id=ident,
               at=written["position"])
    assert got["spread"]["adoptions"] == [{"adoptionId": written["adoptionId"]}]


def check_measures(live: LiveServer, trust: Trust) -> None:
    ident = decided(live, trust)["innovation"]["id"]
    written = write(live, trust.lead, "defineMeasure", "MeasureDefined", "measure { id }",
                    innovationId=ident, name="Falls", unit="falls", better="LOWER", chart="XMR")
    got = data(live, trust.staff, "query($id: ID!, $at: String) { measures(innovationId: $id, "
               "consistentWith: $at) { id } }", id=ident, at=written["position"])
    assert got == {"measures": [{"id": written["measure"]["id"]}]}


def check_measure(live: LiveServer, trust: Trust) -> None:
    ident = decided(live, trust)["innovation"]["id"]
    written = write(live, trust.lead, "defineMeasure", "MeasureDefined", "measure { id }",
                    innovationId=ident, name="Falls", unit="falls", better="LOWER", chart="XMR")
    got = data(live, trust.staff, "query($id: ID!, $at: String) { measure(id: $id, "
               "consistentWith: $at) { id } }", id=written["measure"]["id"],
               at=written["position"])
    assert got == {"measure": {"id": written["measure"]["id"]}}


def check_erased_people(live: LiveServer, trust: Trust) -> None:
    written = write(live, ADMIN, "erasePerson", "PersonErased", "subject",
                    subject=trust.erasable)
    got = data(live, trust.staff, "query($at: String, $who: [ID!]!) { erasedPeople(subjects: "
               "$who, consistentWith: $at) { subject } }", at=written["position"],
               who=[trust.erasable])
    assert got["erasedPeople"] == [{"subject": trust.erasable}]


def check_learning(live: LiveServer, trust: Trust) -> None:
    ident = idea(live, trust)["innovation"]["id"]
    write(live, trust.lead, "acceptIdea", "IdeaAccepted", "", innovationId=ident, reason="fits")
    proto = write(live, trust.lead, "startPrototype", "PrototypeStarted", "prototypeId",
                  innovationId=ident, title="PDSA 1", hypothesis="fewer falls",
                  plan="two wards", startedOn="2025-01-06")["prototypeId"]
    written = write(live, trust.lead, "completePrototype", "PrototypeCompleted", "",
                    innovationId=ident, prototypeId=proto, outcome="FAILED",
                    result="no change", learning="nights need their own huddle",
                    completedOn="2025-02-03")
    got = data(live, trust.staff, "query($at: String) { learning(first: 1, consistentWith: "
               "$at) { edges { node { prototype { prototypeId outcome } } } } }",
               at=written["position"])
    assert got["learning"]["edges"][0]["node"]["prototype"] == {"prototypeId": proto,
                                                                "outcome": "FAILED"}


CHECKS: dict[str, Check] = {
    "innovation": check_innovation, "innovations": check_innovations, "node": check_node,
    "pipeline": check_pipeline, "culture": check_culture, "funding": check_funding,
    "decisions": check_decisions, "governance": check_governance,
    "organisations": check_organisations, "challenges": check_challenges, "me": check_me,
    "spread": check_spread, "measures": check_measures, "measure": check_measure,
    "learning": check_learning, "erasedPeople": check_erased_people,
}
# The smallest document asking each query for something, with ``$at`` as its cursor.
SMALLEST = {
    "innovation": 'innovation(id: "%s", consistentWith: $at) { id }',
    "innovations": "innovations(consistentWith: $at) { edges { cursor } }",
    "node": 'node(id: "%s", consistentWith: $at) { id }',
    "pipeline": "pipeline(consistentWith: $at) { stages { count } }",
    "culture": "culture(consistentWith: $at) { triaged }",
    "funding": "funding(consistentWith: $at) { awards }",
    "decisions": "decisions(consistentWith: $at) { edges { cursor } }",
    "governance": "governance(consistentWith: $at) { decided }",
    "organisations": "organisations(consistentWith: $at) { id }",
    "challenges": "challenges(consistentWith: $at) { id }",
    "me": "me(consistentWith: $at) { subject }",
    "spread": 'spread(innovationId: "%s", consistentWith: $at) { diffusion { day } }',
    "measures": 'measures(innovationId: "%s", consistentWith: $at) { id }',
    "measure": 'measure(id: "%s", consistentWith: $at) { id }',
    "learning": "learning(consistentWith: $at) { edges { cursor } }",
    "erasedPeople": 'erasedPeople(subjects: ["person-1"], consistentWith: $at) { subject }',
}


def smallest(query: str) -> str:
    return "query($at: String) { " + SMALLEST[query].replace("%s", str(uuid4())) + " }"


# Queries that read no read model, so there is no read model's position to wait for: the delivery
# worker's own tables, which its mutations write in the request and not through the log
# (NOT_IN_THE_LOG in tests/unit/test_contract.py); an aggregate's history, read from the log
# itself (a write is in it once acknowledged); and the transparency log's proofs, which answer
# for the checkpoint named (a position not yet chained is a typed refusal, not a wait).
OUTSIDE_THE_LOG = {"webhookEndpoints", "history", "auditProof", "auditConsistency"}


def test_every_query_of_the_schema_takes_consistent_with_and_is_checked_here() -> None:
    assert SCHEMA.query_type is not None
    queries = SCHEMA.query_type.fields
    assert set(queries) - OUTSIDE_THE_LOG == set(CHECKS) == set(SMALLEST)
    assert {q for q, f in queries.items() if "consistentWith" not in f.args} == OUTSIDE_THE_LOG


@pytest.mark.parametrize("query", list(CHECKS))
def test_a_query_consistent_with_a_writes_position_answers_with_that_write(
        live: LiveServer, trust: Trust, query: str) -> None:
    CHECKS[query](live, trust)


@pytest.mark.parametrize("query", list(SMALLEST))
def test_a_cursor_not_of_this_database_is_a_typed_refusal_naming_consistent_with(
        live: LiveServer, app: LifecycleApplication, trust: Trust, query: str) -> None:
    foreign = positions.encode(uuid4(), 1)  # another database's epoch
    for cursor in ("not-a-cursor", foreign):
        body = graphql(live, trust.staff, smallest(query), at=cursor)
        assert body["data"] is None or set(body["data"].values()) == {None}, body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "VALIDATION", body
        assert error["message"].startswith("consistentWith"), body


def test_a_position_past_the_logs_head_is_refused_at_once_on_every_query(
        live: LiveServer, app: LifecycleApplication, trust: Trust) -> None:
    """Every query reads its cursor and asks whether waiting could answer it: a position no
    write has reached is refused, not retryable, without waiting (tests/integration/
    test_reads.py has a read model that does not get there named as NOT_YET_CONSISTENT)."""
    ahead = app.store.head() + 10_000
    at = positions.encode(app.store.epoch(), ahead)
    with ThreadPoolExecutor(len(SMALLEST)) as pool:
        bodies = dict(zip(SMALLEST, pool.map(
            lambda q: graphql(live, trust.staff, smallest(q), at=at), SMALLEST),
            strict=True))
    for query, body in bodies.items():
        (error,) = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["retryable"]) == (
            "POSITION_NOT_IN_LOG", False), (query, body)
        assert int(error["extensions"]["head"]) < ahead, (query, body)


@pytest.mark.parametrize("query", list(SMALLEST))
def test_an_anonymous_caller_is_refused_before_its_cursor_is_read(
        live: LiveServer, query: str) -> None:
    body = graphql(live, None, smallest(query), at="not-a-cursor")
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}, body
