"""A mutation's payload answers its object exactly as a query made after it, over real HTTP: every
field of the innovation (``fundingTotal``, ``latestDecision``, ``updatedAt``, ``stageEnteredAt``,
``adoptions``... and its workspace), of the organisation and of the challenge, for every mutation
that returns one, read with the payload's own position."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest
from graphql import GraphQLObjectType, build_schema, get_named_type, is_leaf_type

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from schema.root import build
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer

SCHEMA = build_schema(build().as_str())


def leaves(type_name: str) -> str:
    """Every field of ``type_name`` without arguments: leaves, and objects' leaves."""
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, f in named.fields.items():
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif isinstance(inner, GraphQLObjectType) and not f.args:
            sub = leaves(inner.name) if inner.name != "Workspace" else WORKSPACE
            parts.append(f"{name} {{ {sub} }}")
    return " ".join(parts)


WORKSPACE = ("comments { edges { cursor node { commentId text } } } "
             "prototypes { edges { node { prototypeId outcome } } } "
             "funding { edges { node { fundingId amount } } } "
             "owners { edges { node { owner } } }")
INNOVATION = leaves("Innovation")
ORGANISATION = leaves("Organisation")
CHALLENGE = leaves("Challenge")


def graphql(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers={"Authorization": f"Bearer {live.token(actor)}"}).json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


class Steps:
    """Mutations sent one after another, each payload compared with the query after it."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.payloads: dict[str, dict[str, Any]] = {}

    def innovation(self, actor: Actor, name: str, /, **input: Any) -> dict[str, Any]:
        success = "IdeaSubmitted" if name == "submitIdea" else "InnovationChange"
        payload = self._send(actor, name, f"... on {success} {{ innovation {{ {INNOVATION} }} }}",
                             input)
        query = (f"query($id: ID!, $at: String) {{ innovation(id: $id, consistentWith: $at) "
                 f"{{ {INNOVATION} }} }}")
        after = graphql(self.live, actor, query, id=payload["innovation"]["id"],
                        at=payload["position"])
        assert payload["innovation"] == after["innovation"], name
        return payload

    def organisation(self, actor: Actor, name: str, /, **input: Any) -> dict[str, Any]:
        payload = self._send(actor, name, f"... on OrganisationChange {{ organisation {{ "
                                          f"{ORGANISATION} }} }}", input)
        after = graphql(self.live, actor, f"query($at: String) {{ organisations("
                        f"consistentWith: $at) {{ {ORGANISATION} }} }}", at=payload["position"])
        assert payload["organisation"] in after["organisations"], name
        return payload

    def challenge(self, actor: Actor, name: str, /, **input: Any) -> dict[str, Any]:
        payload = self._send(actor, name, f"... on ChallengeChange {{ challenge {{ "
                                          f"{CHALLENGE} }} }}", input)
        after = graphql(self.live, actor, f"query($at: String) {{ challenges(consistentWith: "
                        f"$at) {{ {CHALLENGE} }} }}", at=payload["position"])
        assert payload["challenge"] in after["challenges"], name
        return payload

    def _send(self, actor: Actor, name: str, shape: str,
              input: dict[str, Any]) -> dict[str, Any]:
        document = (f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: "
                    f"$input) {{ __typename ... on Change {{ position replayed }} {shape} "
                    "... on UserError { code message } } }")
        payload: dict[str, Any] = graphql(self.live, actor, document, input=input)[name]
        assert "code" not in payload, payload
        self.payloads[name] = payload
        return payload


@pytest.fixture(scope="module")
def trust(app: LifecycleApplication) -> dict[str, Actor]:
    admin = new_organisation(app, f"Payload trust {uuid4().hex[:6]}", ("Morriston",))
    return {"admin": admin, "staff": member(admin, Role.STAFF),
            "lead": member(admin, Role.INNOVATION_LEAD),
            "governor": member(admin, Role.GOVERNANCE_TEAM),
            "partner": member(new_organisation(app, f"Payload partner {uuid4().hex[:6]}", ()),
                              Role.PARTNER)}


def test_every_innovation_payload_equals_the_query_at_its_position(
        live: LiveServer, trust: dict[str, Actor]) -> None:
    steps = Steps(live)
    staff, lead = trust["staff"], trust["lead"]
    ident = steps.innovation(staff, "submitIdea", title="Night huddle", problem="Falls",
                             proposal="A 10pm huddle", idempotencyKey=f"k-{uuid4()}"
                             )["innovation"]["id"]
    on = {"innovationId": ident}
    steps.innovation(staff, "reviseIdea", title="Night huddle", problem="Falls at night",
                     proposal="A 10pm huddle", tags=["falls"], **on)
    steps.innovation(staff, "endorseIdea", **on)
    steps.innovation(staff, "commentOnIdea", text="Tried on ward 3", **on)
    steps.innovation(lead, "requestInformation", reason="which wards?", **on)
    steps.innovation(lead, "acceptIdea", reason="fits", **on)
    steps.innovation(lead, "assignOwner", owner="person-owner", team=["person-nurse"], **on)
    steps.innovation(lead, "recordInvolvement", kind="STAKEHOLDER", group="Night nurses",
                     description="A workshop", involvedOn="2025-01-10", **on)
    funded = steps.innovation(lead, "recordFunding", source="CHARITY", funder="Health "
                              "Foundation", amount="2500.50", startsOn="2025-01-06", **on)
    assert funded["innovation"]["fundingTotal"] == "2500.50"
    proto = steps.innovation(lead, "startPrototype", title="PDSA 1", hypothesis="h", plan="p",
                             startedOn="2025-01-06", **on)
    assert proto["innovation"]["stageEnteredAt"] is not None
    steps.innovation(lead, "completePrototype",
                     prototypeId=proto["innovation"]["workspace"]["prototypes"]["edges"][0][
                         "node"]["prototypeId"], outcome="SUCCEEDED", result="r",
                     learning="l", completedOn="2025-02-03", **on)
    steps.innovation(lead, "recordEvaluation", method="SERVICE_EVALUATION",
                     scores=[{"criterion": "SAFETY", "score": 4}], evidence="audit",
                     recommendation="adopt", estimatedCost="100", risk="LOW",
                     evaluatedOn="2025-02-10", **on)
    decided = steps.innovation(trust["governor"], "decideAdoption", outcome="ADOPT",
                               authority="TEAM", rationale="cheap", **on)
    assert decided["innovation"]["latestDecision"] == "ADOPT"
    partner = str(trust["partner"].organisation)
    steps.innovation(lead, "shareInnovation", organisationId=partner, scope="FULL", **on)
    adopted = steps.innovation(lead, "startAdoption", organisationId=str(
        trust["admin"].organisation), adaptation="nights", startedOn="2025-03-03", **on)
    assert (adopted["innovation"]["adoptions"], adopted["innovation"]["liveAdoptions"]) == (1, 1)
    adoption = graphql(live, lead, "query($id: ID!) { spread(innovationId: $id) { adoptions "
                       "{ adoptionId } } }", id=ident)["spread"]["adoptions"][0]["adoptionId"]
    steps.innovation(lead, "sustainAdoption", adoptionId=adoption, reason="in use",
                     sustainedOn="2025-06-01", **on)
    steps.innovation(lead, "embedInnovation", reason="business as usual", **on)
    steps.innovation(lead, "parkInnovation", reason="pause", **on)
    steps.innovation(lead, "reopenInnovation", reason="resume", **on)
    steps.innovation(lead, "abandonAdoption", adoptionId=adoption, reason="moved on",
                     abandonedOn="2025-07-01", **on)
    steps.innovation(lead, "revokeSharing", organisationId=partner, reason="ended", **on)
    steps.innovation(lead, "closeInnovation", reason="done", learning="kept", **on)
    for payload in steps.payloads.values():
        assert payload["innovation"]["updatedAt"] is not None


def test_a_replayed_payload_answers_the_innovation_as_a_query_reads_it_now(
        live: LiveServer, trust: dict[str, Actor]) -> None:
    steps = Steps(live)
    idea = {"title": "Replayed", "problem": "p", "proposal": "q", "idempotencyKey": f"k-{uuid4()}"}
    first = steps.innovation(trust["staff"], "submitIdea", **idea)
    ident = first["innovation"]["id"]
    steps.innovation(trust["staff"], "commentOnIdea", text="since then", innovationId=ident)
    again = steps.innovation(trust["staff"], "submitIdea", **idea)  # compared with the query
    assert (again["replayed"], again["position"]) == (True, first["position"])
    assert again["innovation"]["comments"] == 1


def test_organisation_and_challenge_payloads_equal_the_query_at_their_position(
        live: LiveServer, trust: dict[str, Actor]) -> None:
    steps = Steps(live)
    registered = steps.organisation(ADMIN, "registerOrganisation",
                                    name=f"Payload charity {uuid4().hex[:6]}", kind="CHARITY")
    admin = trust["admin"]
    steps.organisation(admin, "addSite", organisationId=str(admin.organisation),
                       site=f"Singleton {uuid4().hex[:6]}")
    steps.organisation(admin, "changeThresholds", organisationId=str(admin.organisation),
                       reason="new scheme of delegation", thresholds={
                           "teamMaxCost": "6000", "teamMaxRisk": "LOW",
                           "directorateMaxCost": "60000", "directorateMaxRisk": "MEDIUM",
                           "executiveMaxCost": "600000", "executiveMaxRisk": "HIGH"})
    assert registered["organisation"]["id"]
    opened = steps.challenge(trust["lead"], "openChallenge", title="Fewer falls",
                             problem="Falls at night", opensOn="2025-01-06",
                             closesOn="2026-01-06")
    steps.challenge(trust["lead"], "closeChallenge", challengeId=opened["challenge"]["id"],
                    reason="answered")
