"""The directory and spread queries over real HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.vocabulary import Criterion, EvaluationMethod, PrototypeOutcome, SharingScope
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

D = date(2026, 1, 5)


def ask(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        f"{live.url}/graphql", headers={"Authorization": f"Bearer {live.token(actor)}"},
        json={"query": query, "variables": variables}, timeout=30).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_organisations_directory_lists_every_organisation(
        live: LiveServer, app: LifecycleApplication) -> None:
    org = new_organisation(app, "Directory Test Trust", ("North", "South"))
    at = positions.encode(app.store.epoch(), app.store.head())
    ask(live, org, "query($at: String) { innovations(first: 0, consistentWith: $at) "
        "{ edges { cursor } } }", at=at)  # the directory shares the projector's batch
    got = ask(live, member(org, Role.STAFF), "{ organisations { id name sites version } }")
    mine = [o for o in got["organisations"] if o["id"] == str(org.organisation)]
    assert mine == [{"id": str(org.organisation), "name": "Directory Test Trust",
                     "sites": ["North", "South"], "version": 1}]


def test_challenges_are_the_callers_organisations_own(
        live: LiveServer, app: LifecycleApplication) -> None:
    org = new_organisation(app, "Challenge Test Trust", ())
    lead = member(org, Role.INNOVATION_LEAD)
    opened = app.execute(c.OpenChallenge("Reduce missed appointments", "DNAs cost clinics",
                                         date(2020, 1, 1), date(date.today().year + 5, 1, 1)),
                         CommandContext(lead))
    closed = app.execute(c.OpenChallenge("Old call", "p", date(2020, 1, 1), date(2020, 6, 1)),
                         CommandContext(lead))
    at = positions.encode(app.store.epoch(), app.store.head())
    ask(live, lead, "query($at: String) { innovations(first: 0, consistentWith: $at) "
        "{ edges { cursor } } }", at=at)
    everything = ask(live, lead, "{ challenges { id } }")["challenges"]
    assert {ch["id"] for ch in everything} == {str(opened.aggregate_id), str(closed.aggregate_id)}
    still_open = ask(live, lead, "{ challenges(openOnly: true) { id title } }")["challenges"]
    assert still_open == [{"id": str(opened.aggregate_id),
                           "title": "Reduce missed appointments"}]
    stranger = member(new_organisation(app, "Other Trust", ()), Role.STAFF)
    assert ask(live, stranger, "{ challenges { id } }")["challenges"] == []


def test_spread_shows_adoptions_and_diffusion_to_whoever_may_see_the_innovation(
        live: LiveServer, app: LifecycleApplication) -> None:
    org = new_organisation(app, "Spread Test Trust", ("Main",))
    partner = new_organisation(app, "Spread Partner", ("Annex",))
    lead, board = member(org, Role.INNOVATION_LEAD), member(org, Role.GOVERNANCE_BOARD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Virtual ward", problem="p", proposal="q"),
                       CommandContext(member(org, Role.STAFF))).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", D), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", D), ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=D), ctx)
    app.execute(c.DecideAdoption(idea, DecisionOutcome.ADOPT, Authority.BOARD, "good"),
                CommandContext(board))
    app.execute(c.StartAdoption(idea, org.organisation, "as is", D, site="Main"), ctx)
    app.execute(c.ShareInnovation(idea, partner.organisation, SharingScope.FULL), ctx)
    app.execute(c.StartAdoption(idea, partner.organisation, "evenings only", date(2026, 2, 1),
                                site="Annex"), ctx)
    at = positions.encode(app.store.epoch(), app.store.head())
    query = """query($id: ID!, $at: String) { spread(innovationId: $id, consistentWith: $at) {
        adoptions { organisationName site adaptation status }
        diffusion { day adoptions sites organisations } } }"""
    got = ask(live, lead, query, id=str(idea), at=at)["spread"]
    assert [a["site"] for a in got["adoptions"]] == ["Main", "Annex"]
    assert got["diffusion"][-1] == {"day": "2026-02-01", "adoptions": 2, "sites": 2,
                                    "organisations": 2}
    partner_view = ask(live, member(partner, Role.PARTNER), query, id=str(idea), at=at)
    assert [a["adaptation"] for a in partner_view["spread"]["adoptions"]] == [
        "as is", "evenings only"]  # shared in full: the owner's adoption and its own
    stranger = member(new_organisation(app, "No Share Trust", ()), Role.STAFF)
    assert ask(live, stranger, query, id=str(idea), at=at)["spread"] is None


def test_node_fetches_any_visible_object_by_id_and_nothing_else(
        live: LiveServer, app: LifecycleApplication) -> None:
    org = new_organisation(app, "Node Test Trust", ())
    staff = member(org, Role.STAFF)
    idea = app.execute(c.SubmitIdea(title="Node idea", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id
    at = positions.encode(app.store.epoch(), app.store.head())
    query = """query($id: ID!) { node(id: $id) { __typename id
        ... on Innovation { title } ... on Organisation { name } } }"""
    ask(live, staff, "query($at: String) { innovations(first: 0, consistentWith: $at) "
        "{ edges { cursor } } }", at=at)
    assert ask(live, staff, query, id=str(idea))["node"] == {
        "__typename": "Innovation", "id": str(idea), "title": "Node idea"}
    assert ask(live, staff, query, id=str(org.organisation))["node"]["name"] == "Node Test Trust"
    stranger = member(new_organisation(app, "Node Stranger", ()), Role.STAFF)
    assert ask(live, stranger, query, id=str(idea))["node"] is None
    assert ask(live, staff, query, id="not-a-uuid")["node"] is None
